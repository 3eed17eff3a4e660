"""``fengqing suggest --unit U --period P [--accept] [--scheme FILE]``: problems suggested by red indicators."""

from __future__ import annotations

from ....commands import FengqingCommand, find_unit
from ....periods import parse_period
from ...engine import assess_unit
from ...schemes import load_scheme
from ...suggest import add_suggested, suggestions


class Command(FengqingCommand):
    help = "列出红灯指标建议的问题；--accept 将其加入问题清单（来源：指标预警，重复执行不会重复加入）"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位名称、简称或代码")
        parser.add_argument("--period", required=True, help="期间，如 2023H1")
        parser.add_argument("--accept", action="store_true", help="把建议的问题加入问题清单")
        parser.add_argument("--scheme", help="指标方案文件（YAML）或内置方案编号，默认 fengqing-default-v1")

    def handle(self, *args, **options):
        unit, period = find_unit(options["unit"]), parse_period(options["period"])
        scheme = load_scheme(options["scheme"])
        found = suggestions(assess_unit(unit, period, scheme))
        if not found:
            self.stdout.write(f"{unit.name}{period.label}没有红灯指标，无建议问题。")
            return
        self.stdout.write(f"{unit.name}{period.label}红灯指标建议的问题（{len(found)} 个）：")
        for s in found:
            self.stdout.write(f"{s.code}　【{s.aspect}】{s.title}")
            self.stdout.write(f"    {s.description}")
        if options["accept"]:
            added = add_suggested(unit, period, found)
            self.stdout.write(f"已加入问题清单 {added} 个；此前已加入的 {len(found) - added} 个未重复加入。")
