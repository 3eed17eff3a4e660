"""Seal the signed reports at rest (the JSON rendering and the .docx state sensitive findings): the columns become
sealed, and versions already signed are sealed in place. Their SHA-256 stay those of the plaintext documents,
which the fields give back unchanged; going back unseals them."""

import fengqing.crypto.fields
from django.db import migrations

from fengqing.crypto import columns

TABLE = "report_signedreport"


def seal(apps, schema_editor):
    columns.seal_plaintext(schema_editor.connection, TABLE, "document")
    columns.seal_plain_binary(schema_editor.connection, TABLE, "docx")


def unseal(apps, schema_editor):
    columns.unseal(schema_editor.connection, TABLE, "document")
    columns.unseal_binary(schema_editor.connection, TABLE, "docx")


class Migration(migrations.Migration):

    dependencies = [("report", "0003_signedreport")]

    operations = [
        migrations.AlterField(model_name="signedreport", name="document",
                              field=fengqing.crypto.fields.SealedTextField(verbose_name="报告（JSON）")),
        migrations.AlterField(model_name="signedreport", name="docx",
                              field=fengqing.crypto.fields.SealedBinaryField(verbose_name="报告（Word）")),
        migrations.RunPython(seal, unseal),
    ]
