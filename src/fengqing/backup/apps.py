from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "fengqing.backup"
    verbose_name = "备份与恢复"
