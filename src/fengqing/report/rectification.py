"""Sections 三 and 四: the period's problems (those registered for the period or any of its sub-periods) and
their measures, and how the measures of other periods stand at the report's 成文日期 C.

A measure is done at C when it is 已完成 with 完成日期 empty or ≤ C (``assess.sources.done_by``); it is overdue
at C as the indicator ``overdue_measures`` counts it at a date (``assess.sources.overdue_at``), so with C the
period's end (the default) the report's overdue figures are the indicator's.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from ..assess.sources import done_by, overdue_at
from ..errors import PeriodError
from ..org.models import Unit
from ..periods import Period, parse_period
from ..rectify.models import Measure, Problem
from .fact import Fact
from .tally import Spec, by_choice, tally

ASPECT = {"政治建设": "political", "主体责任": "duty", "纪律作风": "discipline", "权力制约": "power",
          "问题整改": "rectification", "其他": "other"}


def period_codes(period: Period) -> list[str]:
    """The period and the periods inside it: a year with its halves and quarters, a half with its quarters."""
    y = period.year
    candidates = [parse_period(c) for c in (f"{y}", f"{y}H1", f"{y}H2", *(f"{y}Q{q}" for q in range(1, 5)))]
    return [p.code for p in candidates if period.start <= p.start and p.end <= period.end]


def period_label(code: str) -> str:
    try:
        return parse_period(code).label
    except PeriodError:
        return code


def problems_of(unit: Unit, period: Period) -> QuerySet:
    return Problem.objects.filter(unit=unit, period__in=period_codes(period))


def other_measures(unit: Unit, period: Period, on=None) -> QuerySet:
    """Measures of the unit's other problems that concern the 成文日期 C (default: the period's end E): of
    periods begun by E (earlier ones, or one that holds this period), and any other measure whose deadline
    has passed at C, so that the overdue measures of this period and of the others are together all those
    the indicator counts."""
    on = on or period.end
    codes = Problem.objects.filter(unit=unit).order_by().values_list("period", flat=True).distinct()
    later = [c for c in codes if _starts_after(c, period.end)]
    return (Measure.of_unit(unit).exclude(problem__period__in=period_codes(period))
            .filter(~Q(problem__period__in=later) | Q(deadline__lt=on)))


def _starts_after(code: str, end) -> bool:
    try:
        return parse_period(code).start > end
    except PeriodError:
        return False


def rectification_rows(unit: Unit, period: Period, on: date) -> tuple[list[dict], list[dict], list[dict]]:
    """What sections 三 and 四 list: the period's problems, their measures, and the measures of other periods
    not done at the 成文日期 ``on``; each measure flagged done, late (overdue at ``on``) and done_late."""
    flags = {"done": ExpressionWrapper(done_by(on), BooleanField()),
             "late": ExpressionWrapper(overdue_at(on), BooleanField()),
             "done_late": ExpressionWrapper(Q(done_date__gt=F("deadline")), BooleanField())}
    problems = list(problems_of(unit, period).order_by("code").values("pk", "code", "aspect", "title",
                                                                      "description", "source"))
    measures = list(Measure.objects.filter(problem__in=problems_of(unit, period)).annotate(**flags)
                    .order_by("problem__code", "deadline", "pk")
                    .values("problem_id", "text", "owner", "deadline", "status", "done_date", "done", "late",
                            "done_late"))
    outstanding = list(other_measures(unit, period, on).annotate(**flags).filter(done=False)
                       .order_by("deadline", "problem__code", "pk")
                       .values("problem__period", "problem__title", "text", "owner", "deadline", "status",
                               "done_date", "done", "late", "done_late"))
    return problems, measures, outstanding


#: the prefixes of the ids of :func:`rectification_facts` (``problem.total``, ``other.overdue`` …)
PREFIXES = ("problem", "measure", "prev", "other", "rectify")


def rectification_facts(unit: Unit, period: Period, on=None) -> list[Fact]:
    """The problems and measures as they stand at the 成文日期 ``on`` (default: the period's end)."""
    end = on or period.end
    problems, _ = tally(problems_of(unit, period), [
        Spec("problem.total", "查摆问题", None, "个"),
        *by_choice("problem", "aspect", ASPECT, "个", "{}方面问题"),
    ])
    measures, _ = _measure_facts("measure", Measure.objects.filter(problem__in=problems_of(unit, period)), end)
    previous = period.previous()
    prev_problems, _ = tally(problems_of(unit, previous),
                             [Spec("prev.problems", f"{previous.label}查摆问题", None, "个")])
    prev_measures, _ = _measure_facts("prev", Measure.objects.filter(problem__in=problems_of(unit, previous)),
                                      end, f"{previous.label}问题的")
    others, _ = tally(other_measures(unit, period, end), [
        Spec("other.measures", "其他期间问题的整改措施", None, "项"),
        Spec("other.outstanding", "其他期间问题未完成的整改措施", ~done_by(end), "项"),
        Spec("other.overdue", "其他期间问题逾期未完成的整改措施", overdue_at(end), "项"),
    ])
    overdue, _ = tally(Measure.of_unit(unit),
                       [Spec("rectify.overdue", "逾期未完成整改措施", overdue_at(end), "项")])
    return problems + measures + prev_problems + prev_measures + others + overdue


def _measure_facts(prefix: str, qs: QuerySet, end, label: str = ""):
    done, overdue = done_by(end), overdue_at(end)
    return tally(qs, [
        Spec(f"{prefix}.measures", f"{label}整改措施", None, "项"),
        Spec(f"{prefix}.done", f"{label}已完成整改措施", done, "项"),
        Spec(f"{prefix}.done_late", f"{label}逾期完成的整改措施", done & Q(done_date__gt=F("deadline")), "项"),
        Spec(f"{prefix}.ongoing", f"{label}正在推进的整改措施", ~done & ~overdue, "项"),
        Spec(f"{prefix}.overdue", f"{label}逾期未完成整改措施", overdue, "项"),
    ])
