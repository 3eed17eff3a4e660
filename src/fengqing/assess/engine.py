"""The assessment of one period for one, several or all units (DESIGN §5).

All values come from a fixed number of aggregate queries (one per table the scheme reads, GROUP BY unit),
whatever the number of units; the previous period and the same period a year earlier are read in the same
queries. Scoring then works on those per-unit figures only.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..org.models import Unit
from ..periods import Period, parse_period
from .measure import measure, values_for
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
    results = []
    for unit in unit_list:
        scored = score(scheme, period, values_for(measured, unit.pk, metric_ids, periods))
        results.append(UnitAssessment(unit=unit, period=period, scheme=scheme, total=scored.total,
                                      grade=scored.grade, completeness=scored.completeness,
                                      dimensions=scored.dimensions, indicators=scored.indicators,
                                      capped=scored.capped))
    return results


def assess_unit(unit: Unit, period: Period | str, scheme: Scheme | None = None) -> UnitAssessment:
    return assess(period, [unit], scheme)[0]


def ranked(assessments: Iterable[UnitAssessment]) -> list[UnitAssessment]:
    """Best total first; units without a total last, then by name."""
    return sorted(assessments, key=lambda a: (a.total is None, -(a.total or 0.0), a.unit.name))
