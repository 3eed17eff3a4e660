"""fengqing dossier --unit U --person 工号或姓名 [--format docx,pdf,json] [--out PATH]"""

from __future__ import annotations

from fengqing.accounts.audit import cli_actor
from fengqing.commands import FengqingCommand, find_unit
from fengqing.dossier.api import FORMATS, open_file, parse_formats
from fengqing.dossier.common import find_person
from fengqing.dossier.output import write


class Command(FengqingCommand):
    help = "生成一名人员的廉政档案（Word、PDF、JSON）；每次生成均记入审计日志"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位名称、简称或代码")
        parser.add_argument("--person", required=True, help="工号，或本单位内不重名的姓名")
        parser.add_argument("--format", default="docx", help=f"格式，可多选，逗号分隔：{','.join(FORMATS)}（默认 docx）")
        parser.add_argument("--out", help="输出文件或文件夹；不指定时 JSON 输出到标准输出，其他格式写入当前文件夹")

    def handle(self, *args, **opts):
        formats = parse_formats(opts["format"])
        person = find_person(find_unit(opts["unit"]), opts["person"])
        _, _, rendered = open_file(person, formats, cli_actor(), "命令行")
        write(self, f"{person.name}（{person.staff_no}）廉政档案", rendered, opts["out"])
