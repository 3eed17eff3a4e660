"""Seal the submitted reports at rest (the uploaded file and the text kept for the reader): the columns become
sealed and what was submitted already is sealed in place; the stored SHA-256 stays that of the file as
submitted. Going back unseals them."""

import fengqing.crypto.fields
from django.db import migrations

from fengqing.crypto import columns

TABLE = "submission_submission"


def seal(apps, schema_editor):
    columns.seal_plain_binary(schema_editor.connection, TABLE, "content")
    columns.seal_plaintext(schema_editor.connection, TABLE, "text")


def unseal(apps, schema_editor):
    columns.unseal_binary(schema_editor.connection, TABLE, "content")
    columns.unseal(schema_editor.connection, TABLE, "text")


class Migration(migrations.Migration):

    dependencies = [("submission", "0001_initial")]

    operations = [
        migrations.AlterField(model_name="submission", name="content",
                              field=fengqing.crypto.fields.SealedBinaryField(blank=True, default=b"",
                                                                              verbose_name="文件内容")),
        migrations.AlterField(model_name="submission", name="text",
                              field=fengqing.crypto.fields.SealedTextField(blank=True, default="",
                                                                            verbose_name="文字（供审读）")),
        migrations.RunPython(seal, unseal),
    ]
