"""Facts of sections 三 and 四: the period's problems and measures, and how last period's measures stand at
this period's end date."""

from __future__ import annotations

from django.db.models import Q

from ..org.models import Unit
from ..periods import Period
from ..rectify.models import Measure, Problem
from .fact import Fact
from .tally import Spec, by_choice, tally

ASPECT = {"政治建设": "political", "主体责任": "duty", "纪律作风": "discipline", "权力制约": "power",
          "问题整改": "rectification", "其他": "other"}


def done_by(end) -> Q:
    return Q(status="已完成") & (Q(done_date__isnull=True) | Q(done_date__lte=end))


def rectification_facts(unit: Unit, period: Period) -> list[Fact]:
    problems, _ = tally(Problem.objects.filter(unit=unit, period=period.code), [
        Spec("problem.total", "查摆问题", None, "个"),
        *by_choice("problem", "aspect", ASPECT, "个", "{}方面问题"),
    ])
    measures, _ = _measure_facts("measure", unit, period.code, period)
    previous = period.previous()
    prev_problems, _ = tally(Problem.objects.filter(unit=unit, period=previous.code),
                             [Spec("prev.problems", f"{previous.label}查摆问题", None, "个")])
    prev_measures, _ = _measure_facts("prev", unit, previous.code, period, f"{previous.label}问题的")
    return problems + measures + prev_problems + prev_measures


def _measure_facts(prefix: str, unit: Unit, code: str, period: Period, label: str = ""):
    end = period.end
    done = done_by(end)
    return tally(Measure.objects.filter(problem__unit=unit, problem__period=code), [
        Spec(f"{prefix}.measures", f"{label}整改措施", None, "项"),
        Spec(f"{prefix}.done", f"{label}已完成整改措施", done, "项"),
        Spec(f"{prefix}.ongoing", f"{label}正在推进的整改措施", ~done & Q(deadline__gte=end), "项"),
        Spec(f"{prefix}.overdue", f"{label}逾期未完成整改措施", ~done & Q(deadline__lt=end), "项"),
    ])
