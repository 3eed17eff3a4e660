from fengqing.backup.archive import write_backup
from fengqing.commands import FengqingCommand


class Command(FengqingCommand):
    help = "备份：数据库的一致快照（运行中也可）、上传文件、审计日志末端和校验码，写入一个文件"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要写出的备份文件（如 风清备份-20240101.tar）")

    def handle(self, *args, file, **options):
        manifest = write_backup(file)
        files = len(manifest.data["members"]) - 1
        self.stdout.write(f"已备份到“{file}”：数据库、{files} 个上传文件，审计日志 {manifest.audit['entries']} 条。")
        self.stdout.write(f"恢复时需要密钥 {manifest.data['key']}：请另行妥善保管密钥文件。")
