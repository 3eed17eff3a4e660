"""``fengqing score --unit U --period P [--all-units] [--json] [--scheme FILE]`` (DESIGN §8)."""

from __future__ import annotations

import json

from ....commands import FengqingCommand, find_unit
from ....errors import FengqingError
from ....periods import parse_period
from ...engine import assess, ranked
from ...schemes import load_scheme
from ...table import assessment_text, ranking_text


class Command(FengqingCommand):
    help = "打印单位在某期间的研判评估（指标得分、总分、等级）；--all-units 对全部单位排名"

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="单位名称、简称或代码")
        parser.add_argument("--period", required=True, help="期间，如 2023H1、2023H2、2023、2023Q1")
        parser.add_argument("--all-units", action="store_true", help="评估全部单位并按总分排名")
        parser.add_argument("--json", action="store_true", help="输出 JSON（格式见设计文档 §8）")
        parser.add_argument("--scheme", help="指标方案文件（YAML）或内置方案编号，默认 fengqing-default-v1")

    def handle(self, *args, **options):
        period = parse_period(options["period"])
        scheme = load_scheme(options["scheme"])
        if options["all_units"]:
            self._all_units(period, scheme, options)
            return
        if not options["unit"]:
            raise FengqingError("请用 --unit 指定单位，或用 --all-units 评估全部单位")
        assessment = assess(period, [find_unit(options["unit"])], scheme)[0]
        if options["json"]:
            self._json(assessment.as_dict())
        else:
            self.stdout.write(assessment_text(assessment))

    def _all_units(self, period, scheme, options):
        mine = find_unit(options["unit"]) if options["unit"] else None
        order = ranked(assess(period, None, scheme))
        if options["json"]:
            self._json([a.as_dict() for a in order])
        else:
            self.stdout.write(ranking_text(order, mine.pk if mine else None))

    def _json(self, data):
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
