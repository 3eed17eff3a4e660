"""工作台: a unit's assessment, trend, overdue measures and missing data; accepting the suggested problems of red
indicators."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ... import charts
from ...assess.catalogue import METRICS
from ...assess.results import UnitAssessment
from ...assess.sources import overdue_at, register_of
from ...assess.suggest import accept_suggestions, suggestions
from ...assess.table import cap_reasons, format_score, format_value
from ...numbers import percent
from ...rectify.models import Measure, Problem
from ...submission import api as submission
from ..shared import unit_with_trend
from .base import VIA_WEB, allow, current_period, period_choices, scope_of, unit_for

TREND_LENGTH = 6


def _indicator_rows(assessment: UnitAssessment) -> list[dict]:
    rows = []
    for r in assessment.indicators:
        metric = METRICS[r.id]
        fmt = partial(format_value, r.kind, measure_word=metric.measure_word)
        rows.append({"r": r, "value": fmt(r.value), "target": fmt(r.target), "previous": fmt(r.previous),
                     "year_ago": fmt(r.year_ago), "score": format_score(r.score),
                     "kind": register_of(metric)._meta.model_name,
                     "definition": metric.definition})
    return rows


def dashboard(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    assessment, trend = unit_with_trend(unit_obj, period, TREND_LENGTH - 1)
    trend = [(t.period.label, t.total, t.grade) for t in trend]
    today = timezone.localdate()
    overdue_qs = scope.records(Measure, unit).filter(overdue_at(today))
    overdue = overdue_qs.select_related("problem").order_by("deadline")[:10]
    rows = _indicator_rows(assessment)
    missing = [row for row in rows if row["r"].value is None]
    found = suggestions(assessment)
    lights = {c: sum(1 for i in assessment.indicators if i.light == c) for c in ("green", "yellow", "red")}
    return render(request, "web/dashboard.html", {
        "unit": unit_obj, "section": "dashboard", "period": period, "period_codes": period_choices(period),
        "a": assessment, "total": format_score(assessment.total), "rows": rows,
        "cap_reasons": cap_reasons(assessment.scheme, assessment.capped),
        "lights": lights, "trend_svg": charts.inline_svg(charts.trend_chart(trend, bands=charts.grade_bands(
            [(g.min, g.name) for g in assessment.scheme.grades]))), "overdue": overdue,
        "overdue_count": overdue_qs.count(), "missing": missing,
        "completeness": percent(assessment.completeness, 0), "today": today,
        "suggestions": found, "may_accept": scope.may_accept_suggestions(unit),
        "accepted": set(scope.records(Problem, unit).filter(code__in=[s.code for s in found])
                        .values_list("code", flat=True)),
        "sent_back": submission.sent_back(unit_obj, period),
    })


@require_POST
def accept(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_accept_suggestions(unit))
    period = current_period(request, [unit])
    only = request.POST.getlist("indicator") or None
    n = accept_suggestions(unit_obj, period, only=only, actor=request.user.username, via=VIA_WEB)
    messages.success(request, f"已将 {n} 个预警问题加入问题清单" if n else "所选预警问题已在问题清单中")
    return redirect("web:problems", unit=unit)
