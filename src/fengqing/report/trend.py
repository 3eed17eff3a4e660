"""The appendix's trend figure: the unit's total in the report's period and in up to three periods of the
same length before it (which ones: see fengqing.assess.history), each with the grade it was awarded and why
a cap lowered it."""

from __future__ import annotations

from collections.abc import Sequence

from ..assess.history import Total
from ..assess.schemes import Scheme
from ..assess.table import cap_reasons
from .document import Figure, Point
from .runs import Run

EARLIER_PERIODS = 3


def trend_figure(scheme: Scheme, totals: Sequence[Total]) -> Figure | None:
    """The figure of ``totals`` (``assess_with_trend``'s, oldest first) on ``scheme``'s grade bands; None when
    there is no total to draw."""
    points = [Point(t.period.code, t.period.label, t.total, t.grade, "；".join(cap_reasons(scheme, t.capped, "等次")))
              for t in totals]
    if not points:
        return None
    span = points[0].label if len(points) == 1 else f"{points[0].label}至{points[-1].label}"
    return Figure([Run(f"图1　{span}综合得分")], points, [(g.min, g.name) for g in scheme.grades])
