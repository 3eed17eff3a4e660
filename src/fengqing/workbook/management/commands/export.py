from pathlib import Path

from fengqing.accounts import audit
from fengqing.accounts.audit import cli_actor
from fengqing.accounts.models import AuditEntry
from fengqing.commands import FengqingCommand, find_unit
from fengqing.workbook.exporter import export_unit


class Command(FengqingCommand):
    help = "导出一个单位的全部记录为交换格式工作簿"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位名称、简称或代码")
        parser.add_argument("file", help="要写出的 .xlsx 文件")

    def handle(self, *args, unit, file, **options):
        u = find_unit(unit)
        export_unit(u, file)
        audit.event(cli_actor(), "命令行", AuditEntry.EXPORT, "记录", Path(file).name, unit=u,
                    detail={"格式": "xlsx", "含敏感记录": True})
        self.stdout.write(f"已导出“{u.name}”的记录：{file}")
