"""Seal the reason of a 党风廉政意见回复 conclusion (it says why, about a person): the column becomes sealed text
(no longer limited to 500 characters in the database: the limit is the plaintext's, in the forms) and reasons
already given are sealed in place; going back unseals them."""

import fengqing.crypto.fields
from django.db import migrations

from fengqing.crypto import columns


def seal(apps, schema_editor):
    columns.seal_plaintext(schema_editor.connection, "dossier_reply", "reason")


def unseal(apps, schema_editor):
    columns.unseal(schema_editor.connection, "dossier_reply", "reason")


class Migration(migrations.Migration):

    dependencies = [("dossier", "0001_initial")]

    operations = [
        migrations.AlterField(model_name="reply", name="reason",
                              field=fengqing.crypto.fields.SealedTextField(blank=True, default="", max_length=500,
                                                                            verbose_name="理由")),
        migrations.RunPython(seal, unseal),
    ]
