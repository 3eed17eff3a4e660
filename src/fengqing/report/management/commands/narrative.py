"""fengqing narrative --unit U --period P --section S --file F: sets one of the report's editable texts."""

from __future__ import annotations

import sys
from pathlib import Path

from django.db import transaction

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry
from fengqing.commands import FengqingCommand, find_unit
from fengqing.errors import ReportError
from fengqing.periods import parse_period
from fengqing.report.models import Narrative
from fengqing.report.narrative import set_narrative
from fengqing.report.sections import SECTIONS, find_section


class Command(FengqingCommand):
    help = "设置报告中由单位填写的文字（导语、各部分标题句和领导班子的段落）"

    def add_arguments(self, parser):
        names = "、".join(s.name for s in SECTIONS)
        parser.add_argument("--unit", required=True, help="单位名称、简称或代码")
        parser.add_argument("--period", required=True, help="期间，如 2023H1")
        parser.add_argument("--section", required=True, help=f"段落：{names}")
        parser.add_argument("--file", required=True, help="UTF-8 文本文件，每行一段；“-”为标准输入；空文件则删除")

    def handle(self, *args, **opts):
        unit = find_unit(opts["unit"])
        period = parse_period(opts["period"])
        section = find_section(opts["section"])
        text = self._read(opts["file"])
        old = Narrative.objects.filter(unit=unit, period=period.code, section=section.key).first()
        before = audit.snapshot(old) if old else None
        with transaction.atomic():
            saved = set_narrative(unit, period, section.key, text)
            change = (audit.Change(AuditEntry.DELETE, old, before) if saved is None else
                      audit.Change(AuditEntry.UPDATE if old else AuditEntry.CREATE, saved, before,
                                   audit.snapshot(saved)))
            if saved is not None or old is not None:
                audit.record(audit.cli_actor(), "命令行", [change], {unit.pk: unit.name})
        if saved is None:
            self.stdout.write(f"已删除{unit.short_name}{period.label}的“{section.name}”，将使用默认文字")
        else:
            self.stdout.write(f"已保存{unit.short_name}{period.label}的“{section.name}”")

    @staticmethod
    def _read(name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        try:
            return path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ReportError(f"找不到文件“{name}”") from None
        except UnicodeDecodeError:
            raise ReportError(f"文件“{name}”不是 UTF-8 编码的文本") from None
