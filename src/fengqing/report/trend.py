"""The appendix's trend figure: the unit's total in the report's period and in up to three periods of the
same length before it (which ones: see fengqing.assess.history), each with the grade it was awarded and why
a cap lowered it."""

from __future__ import annotations

from ..assess.history import total_trend
from ..assess.results import UnitAssessment
from ..assess.table import cap_reasons
from ..org.models import Unit
from .document import Figure, Point
from .runs import Run

EARLIER_PERIODS = 3


def trend_figure(unit: Unit, assessed: UnitAssessment) -> Figure | None:
    """The total of ``assessed.period`` (already assessed) and of the earlier periods with records, each
    assessed on its own with the same scheme; None when there is no total to draw."""
    scheme = assessed.scheme
    points = [Point(t.period.code, t.period.label, t.total, t.grade, "；".join(cap_reasons(scheme, t.capped, "等次")))
              for t in total_trend(unit, assessed, EARLIER_PERIODS)]
    if not points:
        return None
    span = points[0].label if len(points) == 1 else f"{points[0].label}至{points[-1].label}"
    return Figure([Run(f"图1　{span}综合得分")], points, [(g.min, g.name) for g in scheme.grades])
