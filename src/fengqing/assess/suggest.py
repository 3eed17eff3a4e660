"""Suggested problems from red indicators (DESIGN §6 三、存在的问题): each red indicator (and yellow one, where the
scheme's ``suggest_lights`` says so) proposes a problem whose 方面, 标题, 描述 and 整改方向 come from the scheme's
template; accepting adds them to the problem register. The report drafts the same problems in 三."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ..accounts.audit import Change, cli_actor, record, snapshot
from ..accounts.models import AuditEntry
from ..org.models import Unit
from ..periods import Period, parse_period
from ..rectify.models import Problem
from .catalogue import METRICS
from .engine import assess_unit
from .results import IndicatorResult, UnitAssessment
from .schemes import Scheme
from .schemes.validate import DEFAULT_SUGGESTION
from .table import format_score, format_value

SOURCE = "指标预警"


@dataclass(frozen=True)
class Suggestion:
    indicator: str
    code: str  # the problem's 编号: accepting twice finds it and adds nothing
    aspect: str
    title: str
    description: str
    direction: str  # the scheme's 整改方向 for the indicator
    light: str


def problem_code(period: Period, metric_id: str) -> str:
    return f"YJ-{period.code}-{metric_id}"


def suggestions(assessment: UnitAssessment) -> list[Suggestion]:
    """One suggestion per indicator whose light the scheme's ``suggest_lights`` names, in the scheme's order."""
    return [draft(assessment, r) for r in assessment.indicators if r.light in assessment.scheme.suggest_lights]


def draft(assessment: UnitAssessment, result: IndicatorResult) -> Suggestion:
    """The problem the scheme drafts for one indicator (whatever its light: the report also needs the
    direction of an accepted suggestion whose indicator has turned green since)."""
    scheme = assessment.scheme
    dim = next(d for d in scheme.dimensions if d.name == result.dimension)
    template = next(s for s in dim.indicators if s.id == result.id).suggest or scheme.suggestion
    direction = template.direction or scheme.suggestion.direction or DEFAULT_SUGGESTION.direction
    context = _context(assessment, result)
    return Suggestion(indicator=result.id, code=problem_code(assessment.period, result.id),
                      aspect=template.aspect or dim.aspect, title=template.title.format(**context),
                      description=template.description.format(**context), direction=direction.format(**context),
                      light=result.light or "")


def _context(assessment: UnitAssessment, result: IndicatorResult) -> dict[str, str]:
    metric = METRICS[result.id]

    def fmt(value):
        return format_value(result.kind, value, metric.measure_word)

    return {"unit": assessment.unit.short_name, "period": assessment.period.label, "name": result.name,
            "value": fmt(result.value), "target": fmt(result.target), "floor": fmt(result.floor),
            "score": format_score(result.score), "previous": fmt(result.previous),
            "year_ago": fmt(result.year_ago)}


def accept_suggestions(unit: Unit, period: Period | str, scheme: Scheme | None = None, *,
                       only: Iterable[str] | None = None, actor: str | None = None, via: str = "命令行") -> int:
    """Adds the unit's suggestions for the period (``only``: these indicator ids) to the problem register
    with source 指标预警; returns how many problems were new. A suggestion already accepted is left as
    it is, so accepting again changes nothing."""
    period = parse_period(period) if isinstance(period, str) else period
    wanted = None if only is None else set(only)
    chosen = [s for s in suggestions(assess_unit(unit, period, scheme))
              if wanted is None or s.indicator in wanted]
    return add_suggested(unit, period, chosen, actor, via)


def add_suggested(unit: Unit, period: Period, chosen: Iterable[Suggestion], actor: str | None = None,
                  via: str = "命令行") -> int:
    """Adds these suggestions (already computed for the unit and period) to the problem register, leaving
    those already there alone; returns how many problems were new."""
    chosen = list(chosen)
    with transaction.atomic():
        existing = set(Problem.objects.filter(unit=unit, code__in=[s.code for s in chosen])
                       .values_list("code", flat=True))
        created = [Problem.objects.create(unit=unit, code=s.code, period=period.code, aspect=s.aspect,
                                          title=s.title, description=s.description, source=SOURCE)
                   for s in chosen if s.code not in existing]
        record(actor or cli_actor(), via, [Change(AuditEntry.CREATE, p, after=snapshot(p)) for p in created],
               {unit.pk: unit.name})
    return len(created)
