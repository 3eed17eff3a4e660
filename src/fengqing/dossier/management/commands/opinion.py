"""fengqing opinion --unit U --request ID [--format docx,pdf,json] [--out PATH] [--date YYYY-MM-DD]
[--confirm 同意|暂缓|不同意 [--reason 理由]]"""

from __future__ import annotations

from datetime import date

from fengqing.accounts.audit import cli_actor
from fengqing.commands import FengqingCommand, find_unit
from fengqing.dossier.api import FORMATS, parse_formats, write_letter
from fengqing.dossier.letter import confirm
from fengqing.dossier.output import write
from fengqing.errors import DossierError


class Command(FengqingCommand):
    help = "起草党风廉政意见回复（同一批次的多名人员合为一份回复）；可确认或改变规则建议的结论"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位名称、简称或代码")
        parser.add_argument("--request", required=True, help="廉政意见记录的编号（网页“党风廉政意见”登记簿中的编号）")
        parser.add_argument("--format", default="docx", help=f"格式，可多选，逗号分隔：{','.join(FORMATS)}（默认 docx）")
        parser.add_argument("--out", help="输出文件或文件夹；不指定时 JSON 输出到标准输出，其他格式写入当前文件夹")
        parser.add_argument("--date", help="成文日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--confirm", help="确认该人员的结论：同意、暂缓或不同意（与规则建议不同时须给出 --reason）")
        parser.add_argument("--reason", default="", help="确认或改变结论的理由")

    def handle(self, *args, **opts):
        unit = find_unit(opts["unit"])
        letter_date = None
        if opts["date"]:
            try:
                letter_date = date.fromisoformat(opts["date"])
            except ValueError:
                raise DossierError(f"成文日期“{opts['date']}”应写作 YYYY-MM-DD") from None
        formats = parse_formats(opts["format"])
        if opts["confirm"]:
            reply = confirm(unit, opts["request"], opts["confirm"], opts["reason"], cli_actor(), "命令行")
            self.stderr.write(f"已确认：{reply.request.subject.name} {reply.conclusion}"
                              + (f"（规则建议{reply.proposed}）" if reply.proposed != reply.conclusion else ""))
        batch, _, rendered = write_letter(unit, opts["request"], formats, cli_actor(), "命令行", letter_date)
        write(self, batch.title, rendered, opts["out"])
