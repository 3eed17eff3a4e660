"""The trend chart's grade bands are the scheme's, not the default scheme's (review finding: the deduction
scheme grades at 95/90/80, and its chart showed 90/80/60)."""

from __future__ import annotations

import re

from fengqing import charts
from fengqing.assess.schemes import load_scheme
from fengqing.report.document import Figure, Point
from fengqing.report.render.json import _block, _load_block
from fengqing.report.runs import Run


def _bands(svg: bytes) -> list[tuple[float, float]]:
    """(top, height) of each band rectangle; the plot runs from y=228 (0) up to y=14 (105)."""
    return [(float(y), float(h)) for y, h in re.findall(rb'<rect x="[^"]*" y="([^"]*)" width="[^"]*" '
                                                         rb'height="([^"]*)"', svg)]


def _score_at(y: float) -> float:
    return round((228 - y) / (228 - 14) * 105, 1)


def _tick_labels(svg: bytes) -> list[str]:
    return re.findall(r'text-anchor="end" fill="[^"]*">([^<]*)</text>', svg.decode())


def test_deduction_scheme_bands_are_drawn_at_95_90_80():
    scheme = load_scheme("fengqing-deduction-v1")
    bands = charts.grade_bands([(g.min, g.name) for g in scheme.grades])
    # by hand from fengqing-deduction-v1.yaml: 好 ≥ 95, 较好 ≥ 90, 一般 ≥ 80, 较差 below
    assert [(low, high, name) for low, high, name, _ in bands] == [
        (95, 100, "好"), (90, 95, "较好"), (80, 90, "一般"), (0, 80, "较差")]
    svg = charts.trend_chart([("2023年上半年", 93.0)], bands=bands)
    tops = sorted(_score_at(top) for top, _ in _bands(svg))
    assert tops == [80.0, 90.0, 95.0, 100.0]
    assert _tick_labels(svg) == ["0", "80", "90", "95", "100"]


def test_default_bands_unchanged_and_worst_grade_red():
    svg = charts.trend_chart([("2023年上半年", 85.0)])
    assert _tick_labels(svg) == ["0", "60", "80", "90", "100"]
    assert charts.GRADE_BANDS[-1][3] == charts.RED and charts.GRADE_BANDS[0][3] == charts.GREEN


def test_report_figure_keeps_its_schemes_grades_through_json():
    figure = Figure([Run("图1")], [Point("2023H1", "2023年上半年", 93.0)], [(95, "好"), (90, "较好"), (80, "一般"),
                                                                           (0, "较差")])
    again = _load_block(_block(figure))
    assert again.grades == figure.grades
    assert _tick_labels(again.image("svg")) == ["0", "80", "90", "95", "100"]
