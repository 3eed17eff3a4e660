"""A unit's total over the periods before the one assessed: the trend drawn on the dashboard and in the
report's appendix.

A period without records still gets a total from the engine (no record counts as 0, so the count indicators
score 0 and the "fewer is better" ones 100): drawing it would show a score the unit never earned. Nor is any
record enough: the period before a unit's first kept period holds the odd record that spills over (a New
Year reminder sent in late December, a risk point reviewed before the register was taken over), and scores
about 30. An earlier period is drawn when the unit recorded its regular work in it: at least one 学习 or 会议,
which every Party group holds every period (in each half of a year, for a year). The assessed period itself is
always drawn. The report compares only with periods recorded in this sense.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import NamedTuple

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef

from .. import prepared
from ..ledger import models as L
from ..org.models import Unit
from ..periods import Period, parse_period
from .engine import assess_periods
from .results import UnitAssessment
from .schemes import Scheme


def earlier_periods(period: Period, n: int) -> list[Period]:
    """The ``n`` periods of the same length before ``period``, oldest first."""
    periods = [period.previous()]
    while len(periods) < n:
        periods.insert(0, periods[0].previous())
    return periods


def with_records(unit: Unit, periods: list[Period]) -> list[Period]:
    """The periods in which the unit has a record of its regular work (one prepared query, EXISTS per table and
    period: the periods' dates are its inputs)."""
    if not periods:
        return []
    (row,) = prepared.run(_worked, unit=unit.pk, windows=tuple(prepared.spans(_windows(p)) for p in periods))
    return [p for i, p in enumerate(periods) if row[f"p{i}"]]


def _worked(v):
    flags = {f"p{i}": ExpressionWrapper(_regular_work_in(windows), output_field=BooleanField())
             for i, windows in enumerate(v.windows)}
    return Unit.objects.filter(pk=v.unit).values(**flags)


def units_with_records(unit_ids: list[int], period: Period) -> set[int]:
    """The units (of ``unit_ids``) with a record of their regular work in the period (one query)."""
    flagged = Unit.objects.filter(pk__in=unit_ids).annotate(
        worked=ExpressionWrapper(_regular_work(period), output_field=BooleanField()))
    return set(flagged.filter(worked=True).values_list("pk", flat=True))


def _regular_work(period: Period):
    return _regular_work_in(_windows(period))


def _windows(period: Period) -> list[Period]:
    """The periods each of which must hold regular work: a year's two halves (a year kept only from July would
    compare half a year's spending and talks with a whole year's), else the period itself."""
    if period.kind == "year":
        return [parse_period(f"{period.year}H1"), parse_period(f"{period.year}H2")]
    return [period]


def _regular_work_in(windows):
    """A study or a meeting of the unit (``OuterRef("pk")``) in each of the ``windows`` (with start and end)."""
    def within(w):
        dates = {"unit": OuterRef("pk"), "date__range": (w.start, w.end)}
        return Exists(L.Study.objects.filter(**dates)) | Exists(L.Meeting.objects.filter(**dates))

    return reduce(operator.and_, map(within, windows))


class Total(NamedTuple):
    """A drawn period's total and the grade it was awarded, with the caps that lowered it
    (``UnitAssessment.capped``): a capped total is drawn in its grade's band."""

    period: Period
    total: float
    grade: str | None
    capped: tuple[tuple[str, str], ...] = ()


def _total(a: UnitAssessment) -> Total:
    return Total(a.period, a.total, a.grade, tuple(a.capped))


def assess_with_trend(unit: Unit, period: Period, scheme: Scheme, earlier: int) -> tuple[
        UnitAssessment, list[Total]]:
    """The unit's assessment of ``period`` and its trend: the totals of ``period`` and of the ``earlier`` periods
    before it that have records, each assessed on its own with the same scheme, oldest first (periods without a
    total left out); all periods read in the same aggregate queries (one per table the scheme reads)."""
    drawn = with_records(unit, earlier_periods(period, earlier))
    assessed = assess_periods(unit, [*drawn, period], scheme)
    return assessed[-1], [_total(a) for a in assessed if a.total is not None]
