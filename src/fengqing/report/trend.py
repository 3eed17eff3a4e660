"""The appendix's trend figure: the unit's total in the report's period and in up to three periods of the
same length before it (which ones: see fengqing.assess.history)."""

from __future__ import annotations

from ..assess.history import total_trend
from ..assess.schemes import Scheme
from ..org.models import Unit
from ..periods import Period
from .document import Figure, Point
from .runs import Run

EARLIER_PERIODS = 3


def trend_figure(unit: Unit, period: Period, total: float | None, scheme: Scheme) -> Figure | None:
    """The total of ``period`` (given: already assessed) and of the earlier periods with records, each assessed
    on its own with the same scheme; None when there is no total to draw."""
    points = [Point(p.code, p.label, value)
              for p, value in total_trend(unit, period, total, scheme, EARLIER_PERIODS)]
    if not points:
        return None
    span = points[0].label if len(points) == 1 else f"{points[0].label}至{points[-1].label}"
    return Figure([Run(f"图1　{span}综合得分")], points, [(g.min, g.name) for g in scheme.grades])
