from fengqing.backup.archive import restore_backup
from fengqing.commands import FengqingCommand, ensure_migrated


class Command(FengqingCommand):
    help = "恢复：把备份文件恢复到空的数据目录（或空的 PostgreSQL 数据库），先校验整个文件"
    uses_database = False  # the store must stay empty until the backup is in it

    def add_arguments(self, parser):
        parser.add_argument("file", help="fengqing backup 写出的备份文件")

    def handle(self, *args, file, **options):
        manifest = restore_backup(file)
        ensure_migrated()  # a backup of an older version gets this version's schema
        self.stdout.write(f"已从“{file}”恢复（备份于 {manifest.data['created']}）：审计日志 "
                          f"{manifest.audit['entries']} 条，末端与备份时一致。")
