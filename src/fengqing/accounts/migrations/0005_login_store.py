"""The log-in store (accounts.loginstore): the log-in path's audit entries waiting for the chain and the TOTP
steps used live there (their tables are made in the log-in store's database; on PostgreSQL, the same one); the
audit log gains ``ref``, the waiting entry each chained one came from. The security policy's row is made
here, so reading it (every log-in does) never has to create it in the main database."""

from django.db import migrations, models


def policy_row(apps, schema_editor):
    apps.get_model("accounts", "SecurityPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_sealed_totp_secret'),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.CharField(max_length=32, unique=True)),
                ('at', models.DateTimeField()),
                ('entry', models.JSONField()),
            ],
            options={
                'verbose_name': '待记入的审计条目',
                'verbose_name_plural': '待记入的审计条目',
            },
        ),
        migrations.CreateModel(
            name='TotpUse',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_id', models.BigIntegerField(unique=True)),
                ('step', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': '动态口令使用记录',
                'verbose_name_plural': '动态口令使用记录',
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='ref',
            field=models.CharField(blank=True, db_index=True, max_length=32, null=True, verbose_name='登录库条目'),
        ),
        migrations.RunPython(policy_row, migrations.RunPython.noop),
    ]
