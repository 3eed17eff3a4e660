from pathlib import Path

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry
from fengqing.accounts.audit import cli_actor
from fengqing.commands import FengqingCommand
from fengqing.workbook.importer import import_workbook


class Command(FengqingCommand):
    help = "导入交换格式工作簿（全部或全不）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--replace", action="store_true", help="使本单位的记录与工作簿完全一致（删除工作簿中没有的记录）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")

    def handle(self, *args, file, replace, dry_run, **options):
        result = import_workbook(file, replace=replace, dry_run=dry_run, actor=cli_actor(), via="命令行导入")
        if not dry_run:
            audit.event(cli_actor(), "命令行", AuditEntry.IMPORT, "工作簿", Path(file).name, unit=result.unit, detail={
                "替换模式": replace, "新增": sum(s.new for s in result.sheets),
                "修改": sum(s.updated for s in result.sheets), "删除": sum(s.deleted for s in result.sheets)})
        for warning in result.warnings:
            self.stderr.write(f"提示：{warning}")
        head = "试导入（未写入）" if dry_run else "导入完成"
        self.stdout.write(f"{head}：{result.unit.name}" + ("（替换模式）" if replace else ""))
        self.stdout.write(f"{'工作表':<8}\t新增\t更新\t不变" + ("\t删除" if replace else ""))
        for s in result.sheets:
            line = f"{s.sheet:<8}\t{s.new}\t{s.updated}\t{s.unchanged}" + (f"\t{s.deleted}" if replace else "")
            self.stdout.write(line)
