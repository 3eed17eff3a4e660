"""Scoring (DESIGN §5): indicator scores and lights, dimension and total scores, completeness, grade, caps.

Two styles. ``linear``: score = clamp((v − f)/(t − f), 0, 1) × 100, dimension = weighted mean of its
indicators with a value, total = weighted mean of the dimensions with a value. ``deduction``: every unit
starts at the scheme's base (100) and each indicator takes off min(v × deduct, max) points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..periods import Period
from .catalogue import METRICS
from .measure import Values
from .results import IndicatorResult
from .schemes.model import DEDUCTION, DimensionSpec, IndicatorSpec, Scheme


@dataclass
class Scored:
    indicators: list[IndicatorResult]
    dimensions: dict[str, float | None]
    total: float | None
    completeness: float
    grade: str | None
    capped: list[tuple[str, str]]


#: scores are rounded to this many decimals as soon as they are computed, before they meet a light or grade
#: band (and a value before it meets a cap's bound): in floating point 24/25 scores 79.99999999999999
#: against t 1, f 0.8, and would miss the band at 80
DECIMALS = 9


def tidy(x: float | None) -> float | None:
    return None if x is None else round(x, DECIMALS)


def linear_score(value: float | None, target: float, floor: float) -> float | None:
    if value is None:
        return None
    return tidy(min(1.0, max(0.0, (value - floor) / (target - floor))) * 100)


def deduction(value: float | None, spec: IndicatorSpec) -> float | None:
    return None if value is None else tidy(min(value * spec.deduct, spec.max))


def deducted_from(base: float, deductions: list[float]) -> float | None:
    return tidy(max(base - sum(deductions), 0.0)) if deductions else None


def weighted_mean(pairs: Iterable[tuple[float, float | None]]) -> float | None:
    present = [(w, s) for w, s in pairs if s is not None]
    weights = sum(w for w, _ in present)
    return tidy(sum(w * s for w, s in present) / weights) if present and weights else None


def score(scheme: Scheme, period: Period, values: list[Values]) -> Scored:
    """Scores of one unit; ``values`` holds the indicator values of [P, previous period, a year earlier]."""
    current, previous, year_ago = values
    results, dimensions = [], {}
    for dim in scheme.dimensions:
        dim_results = [_indicator(scheme, period, dim, spec, current[spec.id], previous[spec.id],
                                  year_ago[spec.id]) for spec in dim.indicators]
        dimensions[dim.name] = _dimension_score(scheme, dim, dim_results)
        results.extend(dim_results)
    if scheme.style == DEDUCTION:
        total = deducted_from(scheme.base, [r.deduction for r in results if r.deduction is not None])
    else:
        total = weighted_mean((d.weight, dimensions[d.name]) for d in scheme.dimensions)
    all_weight = sum(r.weight for r in results)
    completeness = tidy(sum(r.weight for r in results if r.value is not None) / all_weight) if all_weight else 0.0
    grade, capped = _capped_grade(scheme, scheme.grade_for(total), current)
    return Scored(results, dimensions, total, completeness, grade, capped)


def _indicator(scheme: Scheme, period: Period, dim: DimensionSpec, spec: IndicatorSpec, value, previous,
               year_ago) -> IndicatorResult:
    metric = METRICS[spec.id]
    if scheme.style == DEDUCTION:
        taken = deduction(value, spec)
        points = None if taken is None else deducted_from(scheme.base, [taken])
        # target: no event; floor: the event count at which the indicator's maximum deduction is reached
        target, floor, weight = 0.0, spec.max / spec.deduct, spec.max
    else:
        taken = None
        target, floor = spec.target_for(period), spec.floor_for(period)
        points = linear_score(value, target, floor)
        weight = dim.weight * dim.share(spec)
    return IndicatorResult(id=spec.id, name=metric.name, dimension=dim.name, kind=metric.kind, value=value,
                           target=target, floor=floor, score=points, light=scheme.lights.of(points),
                           previous=previous, year_ago=year_ago, weight=weight, deduction=taken)


def _dimension_score(scheme: Scheme, dim: DimensionSpec, results: list[IndicatorResult]) -> float | None:
    if scheme.style == DEDUCTION:
        return deducted_from(scheme.base, [r.deduction for r in results if r.deduction is not None])
    return weighted_mean((spec.weight, r.score) for spec, r in zip(dim.indicators, results))


def _capped_grade(scheme: Scheme, grade: str | None, values: Values) -> tuple[str | None, list[tuple[str, str]]]:
    capped = []
    for cap in scheme.caps:
        if grade is not None and cap.applies(tidy(values[cap.indicator])) \
                and scheme.grade_rank(grade) < scheme.grade_rank(cap.grade_at_most):
            capped.append((cap.indicator, grade))
            grade = cap.grade_at_most
    return grade, capped
