"""The assessment of one period for one, several or all units (DESIGN §5).

All values come from a fixed number of aggregate queries (one per table the scheme reads, GROUP BY unit),
whatever the number of units; the previous period and the same period a year earlier are read in the same
queries. Scoring then works on those per-unit figures only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..org.models import Unit
from ..periods import Period, parse_period
from .measure import Values, measure, values_for
from .results import UnitAssessment
from .schemes import Scheme, load_scheme
from .scoring import score


def comparison_periods(period: Period) -> list[Period]:
    """[P, the previous period of the same length, the same period a year earlier]."""
    return [period, period.previous(), period.year_ago()]


def assess(period: Period | str, units: Iterable[Unit] | None = None,
           scheme: Scheme | None = None) -> list[UnitAssessment]:
    """One assessment per unit, in the order given (None: every unit, by name)."""
    period = parse_period(period) if isinstance(period, str) else period
    scheme = scheme or load_scheme()
    unit_list = list(Unit.objects.all()) if units is None else list(units)
    if not unit_list:
        return []
    periods = comparison_periods(period)
    metric_ids = scheme.metric_ids
    measured = measure(metric_ids, periods, None if units is None else [u.pk for u in unit_list])
    return [_assessment(unit, period, scheme, values_for(measured, unit.pk, metric_ids, periods))
            for unit in unit_list]


def assess_unit(unit: Unit, period: Period | str, scheme: Scheme | None = None) -> UnitAssessment:
    return assess(period, [unit], scheme)[0]


def assess_periods(unit: Unit, periods: list[Period], scheme: Scheme) -> list[UnitAssessment]:
    """The unit's assessment in each of ``periods``, in that order, all read in the same aggregate queries (one
    per table the scheme reads, however many periods)."""
    if not periods:
        return []
    wanted = [comparison_periods(p) for p in periods]
    distinct = list(dict.fromkeys(q for group in wanted for q in group))
    metric_ids = scheme.metric_ids
    values = dict(zip(distinct, values_for(measure(metric_ids, distinct, [unit.pk]), unit.pk, metric_ids,
                                           distinct)))
    return [_assessment(unit, p, scheme, [values[q] for q in group]) for p, group in zip(periods, wanted)]


def _assessment(unit: Unit, period: Period, scheme: Scheme, values: list[Values]) -> UnitAssessment:
    """``values``: the indicator values of ``comparison_periods(period)``."""
    return UnitAssessment(unit=unit, period=period, scheme=scheme, **vars(score(scheme, period, values)))


def ranked(assessments: Iterable[UnitAssessment]) -> list[UnitAssessment]:
    """Best total first; units without a total last, then by name."""
    return sorted(assessments, key=lambda a: (a.total is None, -(a.total or 0.0), a.unit.name))
