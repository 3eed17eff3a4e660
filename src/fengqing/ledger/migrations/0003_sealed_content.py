"""Seal the content of sensitive records at rest (docs/security.md): the columns become sealed text and the
plaintext already stored is sealed in place; going back unseals it."""

import fengqing.crypto.fields
from django.db import migrations

from fengqing.crypto import columns

SEALED = [("ledger_discipline", "handling"), ("ledger_petition", "category"), ("ledger_petition", "subject"),
          ("ledger_talk", "reason"), ("ledger_talk", "talker")]


def seal(apps, schema_editor):
    for table, column in SEALED:
        columns.seal_plaintext(schema_editor.connection, table, column)


def unseal(apps, schema_editor):
    for table, column in SEALED:
        columns.unseal(schema_editor.connection, table, column)


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_unit_date_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='discipline',
            name='handling',
            field=fengqing.crypto.fields.SealedTextField(max_length=200, verbose_name='处理方式'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='category',
            field=fengqing.crypto.fields.SealedTextField(blank=True, default='', max_length=100, verbose_name='问题类别'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='subject',
            field=fengqing.crypto.fields.SealedTextField(blank=True, default='', max_length=200, verbose_name='反映对象'),
        ),
        migrations.AlterField(
            model_name='talk',
            name='reason',
            field=fengqing.crypto.fields.SealedTextField(blank=True, default='', max_length=500, verbose_name='事由'),
        ),
        migrations.AlterField(
            model_name='talk',
            name='talker',
            field=fengqing.crypto.fields.SealedTextField(blank=True, default='', max_length=100, verbose_name='谈话人'),
        ),
        migrations.RunPython(seal, unseal),
    ]
