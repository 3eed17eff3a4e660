"""The appendix's trend figure: the unit's total in the report's period and in those of the three periods of
the same length before it whose records are kept in fengqing.

A period without records still gets a total from the engine (no record counts as 0, so the count indicators
score 0 and the "fewer is better" ones 100): drawing it would show a score the unit never earned. Nor is any
record enough: the period before a unit's first kept period holds the odd record that spills over (a New
Year reminder sent in late December, a risk point reviewed before the register was taken over), and scores
about 30. An earlier period is drawn when the unit recorded its regular work in it: at least one 学习 or 会议,
which every Party group holds every period. The report's own period is always drawn, as its total is the one
the appendix's table states.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef

from ..ledger import models as L
from ..org.models import Unit
from ..periods import Period
from .document import Figure, Point
from .runs import Run

EARLIER_PERIODS = 3


def earlier_periods(period: Period, n: int = EARLIER_PERIODS) -> list[Period]:
    """The ``n`` periods of the same length before ``period``, oldest first."""
    periods = [period.previous()]
    while len(periods) < n:
        periods.insert(0, periods[0].previous())
    return periods


def with_records(unit: Unit, periods: list[Period]) -> list[Period]:
    """The periods in which the unit has a record of its regular work (one query, EXISTS per table and
    period)."""
    flags = {f"p{i}": ExpressionWrapper(_regular_work(p), output_field=BooleanField())
             for i, p in enumerate(periods)}
    row = Unit.objects.filter(pk=unit.pk).values(**flags).get()
    return [p for i, p in enumerate(periods) if row[f"p{i}"]]


def _regular_work(period: Period):
    dates = {"unit": OuterRef("pk"), "date__range": (period.start, period.end)}
    return Exists(L.Study.objects.filter(**dates)) | Exists(L.Meeting.objects.filter(**dates))


def trend_figure(unit: Unit, period: Period, total: float | None,
                 scheme: str | Path | None = None) -> Figure | None:
    """The total of ``period`` (given: already assessed) and of the earlier periods with records, each assessed
    on its own with the same scheme; None when there is no total to draw."""
    from ..assess.engine import assess_unit
    from ..assess.schemes import load_scheme

    loaded = load_scheme(scheme)
    points = []
    for p in [*with_records(unit, earlier_periods(period)), period]:
        value = total if p == period else assess_unit(unit, p, loaded).total
        if value is not None:
            points.append(Point(p.code, p.label, value))
    if not points:
        return None
    span = points[0].label if len(points) == 1 else f"{points[0].label}至{points[-1].label}"
    return Figure([Run(f"图1　{span}综合得分")], points)
