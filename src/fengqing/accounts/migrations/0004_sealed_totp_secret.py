"""Seal the TOTP secrets at rest like the content of sensitive records (docs/security.md): the column becomes
sealed text and secrets already stored are sealed in place; going back unseals them."""

import fengqing.crypto.fields
from django.db import migrations

from fengqing.crypto import columns


def seal(apps, schema_editor):
    columns.seal_plaintext(schema_editor.connection, "accounts_credential", "totp_secret")


def unseal(apps, schema_editor):
    columns.unseal(schema_editor.connection, "accounts_credential", "totp_secret")


class Migration(migrations.Migration):

    dependencies = [("accounts", "0003_security")]

    operations = [
        migrations.AlterField(
            model_name="credential", name="totp_secret",
            field=fengqing.crypto.fields.SealedTextField(blank=True, default="", max_length=64,
                                                         verbose_name="动态口令密钥"),
        ),
        migrations.RunPython(seal, unseal),
    ]
