"""Sections 三 and 四: the period's problems (those registered for the period or any of its sub-periods) and
their measures, and how the measures of other periods stand at the report's 成文日期 C.

A measure is done at C when it is 已完成 with 完成日期 empty or ≤ C (``assess.sources.done_by``); it is overdue
at C as the indicator ``overdue_measures`` counts it at a date (``assess.sources.overdue_at``), so with C the
period's end (the default) the report's overdue figures are the indicator's.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from .. import prepared
from ..assess.sources import done_by, overdue_at
from ..errors import PeriodError
from ..org.models import Unit
from ..periods import Period, parse_period
from ..rectify.models import Measure, Problem
from .fact import Fact
from .tally import Spec, by_choice, prepared_tally

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
    return _problems(SimpleNamespace(unit=unit.pk, codes=tuple(period_codes(period))))


def _problems(v: SimpleNamespace) -> QuerySet:
    """The problems of the unit ``v.unit`` registered for one of the periods ``v.codes``."""
    return Problem.objects.filter(unit=v.unit, period__in=v.codes)


def _measures_of(v: SimpleNamespace) -> QuerySet:
    return Measure.objects.filter(problem__in=_problems(v))


def other_measures(unit: Unit, period: Period, on=None) -> QuerySet:
    """Measures of the unit's other problems that concern the 成文日期 C (default: the period's end E): of
    periods begun by E (earlier ones, or one that holds this period), and any other measure whose deadline
    has passed at C, so that the overdue measures of this period and of the others are together all those
    the indicator counts."""
    return _other_measures(SimpleNamespace(**_other_inputs(unit, period, on or period.end)))


def _other_inputs(unit: Unit, period: Period, on: date) -> dict:
    """The inputs of :func:`_other_measures`: the periods begun after E, and C only when there are any (with
    none, every measure of the other periods concerns C, whatever its deadline)."""
    codes = prepared.run(_codes, unit=unit.pk)
    later = tuple(c for c in codes if _starts_after(c, period.end))
    return {"unit": unit.pk, "codes": tuple(period_codes(period)), "later": later, **({"on": on} if later else {})}


def _codes(v: SimpleNamespace) -> QuerySet:
    return Problem.objects.filter(unit=v.unit).order_by().values_list("period", flat=True).distinct()


def _other_measures(v: SimpleNamespace) -> QuerySet:
    qs = Measure.of_unit(v.unit).exclude(problem__period__in=v.codes)
    return qs.filter(~Q(problem__period__in=v.later) | Q(deadline__lt=v.on)) if v.later else qs


def _starts_after(code: str, end) -> bool:
    try:
        return parse_period(code).start > end
    except PeriodError:
        return False


def rectification_rows(unit: Unit, period: Period, on: date) -> tuple[list[dict], list[dict], list[dict]]:
    """What sections 三 and 四 list: the period's problems, their measures, and the measures of other periods
    not done at the 成文日期 ``on``; each measure flagged done, late (overdue at ``on``) and done_late."""
    mine = {"unit": unit.pk, "codes": tuple(period_codes(period))}
    problems = prepared.run(_problem_rows, **mine)
    measures = prepared.run(_measure_rows, **mine, end=on)
    outstanding = prepared.run(_outstanding_rows, **_other_inputs(unit, period, on), end=on)
    return problems, measures, outstanding


def _flags(end: date) -> dict:
    return {"done": ExpressionWrapper(done_by(end), BooleanField()),
            "late": ExpressionWrapper(overdue_at(end), BooleanField()),
            "done_late": ExpressionWrapper(Q(done_date__gt=F("deadline")), BooleanField())}


def _problem_rows(v: SimpleNamespace) -> QuerySet:
    return _problems(v).order_by("code").values("pk", "code", "aspect", "title", "description", "source")


def _measure_rows(v: SimpleNamespace) -> QuerySet:
    return (_measures_of(v).annotate(**_flags(v.end)).order_by("problem__code", "deadline", "pk")
            .values("problem_id", "text", "owner", "deadline", "status", "done_date", "done", "late", "done_late"))


def _outstanding_rows(v: SimpleNamespace) -> QuerySet:
    return (_other_measures(v).annotate(**_flags(v.end)).filter(done=False).order_by("deadline", "problem__code", "pk")
            .values("problem__period", "problem__title", "text", "owner", "deadline", "status", "done_date", "done",
                    "late", "done_late"))


#: the prefixes of the ids of :func:`rectification_facts` (``problem.total``, ``other.overdue`` …)
PREFIXES = ("problem", "measure", "prev", "other", "rectify")


def rectification_facts(unit: Unit, period: Period, on=None) -> list[Fact]:
    """The problems and measures as they stand at the 成文日期 ``on`` (default: the period's end)."""
    end = on or period.end
    codes = tuple(period_codes(period))
    problems, _ = prepared_tally(_problems, [
        Spec("problem.total", "查摆问题", None, "个"),
        *by_choice("problem", "aspect", ASPECT, "个", "{}方面问题"),
    ], unit=unit.pk, codes=codes)
    measures, _ = _measure_facts("measure", "", unit=unit.pk, codes=codes, end=end)
    previous = period.previous()
    previous_codes = tuple(period_codes(previous))
    prev_problems, _ = prepared_tally(_problems, [Spec("prev.problems", f"{previous.label}查摆问题", None, "个")],
                                      unit=unit.pk, codes=previous_codes)
    prev_measures, _ = _measure_facts("prev", f"{previous.label}问题的", unit=unit.pk, codes=previous_codes,
                                      end=end)
    others, _ = prepared_tally(_other_measures, lambda v: [
        Spec("other.measures", "其他期间问题的整改措施", None, "项"),
        Spec("other.outstanding", "其他期间问题未完成的整改措施", ~done_by(v.end), "项"),
        Spec("other.overdue", "其他期间问题逾期未完成的整改措施", overdue_at(v.end), "项"),
    ], **_other_inputs(unit, period, end), end=end)
    overdue, _ = prepared_tally(lambda v: Measure.of_unit(v.unit),
                                lambda v: [Spec("rectify.overdue", "逾期未完成整改措施", overdue_at(v.end), "项")],
                                unit=unit.pk, end=end)
    return problems + measures + prev_problems + prev_measures + others + overdue


def _measure_facts(prefix: str, label: str, **inputs) -> tuple[list[Fact], int]:
    """The measures of the problems ``_problems(v)``, as they stand at ``v.end``; ``label`` begins each label."""
    facts, rows = prepared_tally(_measures_of, lambda v: _measure_specs(prefix, v.end), **inputs)
    for f in facts:
        f.label = label + f.label  # not in the specs: the prepared queries do not depend on it
    return facts, rows


def _measure_specs(prefix: str, end) -> list[Spec]:
    done, overdue = done_by(end), overdue_at(end)
    return [
        Spec(f"{prefix}.measures", "整改措施", None, "项"),
        Spec(f"{prefix}.done", "已完成整改措施", done, "项"),
        Spec(f"{prefix}.done_late", "逾期完成的整改措施", done & Q(done_date__gt=F("deadline")), "项"),
        Spec(f"{prefix}.ongoing", "正在推进的整改措施", ~done & ~overdue, "项"),
        Spec(f"{prefix}.overdue", "逾期未完成整改措施", overdue, "项"),
    ]
