"""The SQL side of the catalogue: for each table, the named aggregates ("parts") that the indicators are
computed from, as conditional aggregates over one period.

The engine runs one ``GROUP BY unit`` query per table, with every part of every period it needs side by side
(``COUNT(*) FILTER (WHERE …)``), so the number of queries does not depend on the number of units. Windows
(DESIGN §5): the period P = [S, E]; the year to date [Jan 1 of E's year, E]; the last 365 days (E − 365, E].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast
from datetime import date, timedelta

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from .. import choices as C
from ..ledger.models import (Discipline, Document, DutyReport, DutyTask, Education, Liaison, Meeting,
                             Petition, Promotion, PublicExpense, RiskPoint, Study, Talk)
from ..org.models import Department, Person, UnitRecord
from ..periods import Period
from ..rectify.models import Measure
from .catalogue import Metric
from .festivals import festivals_in

DONE = "已完成"
REMINDER_DAYS_BEFORE = 10
REMINDER = "节假日廉洁提醒"  # the form of education a holiday reminder is

#: the indicator filters that the report's facts state too, so both count the same rows
PROMOTED = Q(matter__in=("提拔", "进一步使用"))
ALL_FOUR_CHECKS = Q(file_reviewed=True, matters_verified=True, opinion_heard=True, petitions_checked=True)
HIGH_RISK_CONTROLLED = Q(level="高") & ~Q(controls="")
INTEGRITY_TOPIC = Q(kind="党组会", integrity=True)


@dataclass(frozen=True)
class Source:
    """One table and the parts computed from it."""

    name: str
    model: type[UnitRecord]
    #: (period, the unit ids or None for all) → aggregates; the parts read no other table's rows but by a join,
    #: so that one unit's assessment never reads the other units' rows
    parts: Callable[[Period, list[int] | None], dict[str, models.Aggregate]]
    #: rows outside every window of these periods are left out in WHERE, so the aggregates read fewer rows
    narrow: Callable[[list[Period]], Q] | None = None

    def queryset(self, periods: list[Period], unit_ids: list[int] | None) -> models.QuerySet:
        qs = self.model._default_manager.all() if unit_ids is None else self.model.of_units(unit_ids)
        if self.narrow is not None:
            qs = qs.filter(self.narrow(periods))
        aggregates = {alias(i, name): expr for i, p in enumerate(periods) for name, expr in self.parts(p, unit_ids).items()}
        return qs.order_by().values(uid=F(self.model.unit_path)).annotate(**aggregates)


def alias(index: int, part: str) -> str:
    return f"p{index}_{part}"


def split_alias(key: str) -> tuple[int, str]:
    head, part = key.split("_", 1)
    return int(head[1:]), part


def last_365_start(end: date) -> date:
    """The excluded lower bound of the 365-day window (E − 365 days, E]."""
    return end - timedelta(days=365)


def in_service(end: date) -> Q:
    """DESIGN §4: (入职日期 empty or ≤ E) and (状态 在职 or 状态日期 > E)."""
    return (Q(joined__isnull=True) | Q(joined__lte=end)) & (Q(status="在职") | Q(status_date__gt=end))


def on_establishment(end: date) -> Q:
    """在编在职 at E: in service and not 编外."""
    return in_service(end) & ~Q(category="编外")


def done_on_time() -> Q:
    """已完成 with 完成日期 empty (treated as on time, DESIGN §3) or not after 完成时限."""
    return Q(status=DONE) & (Q(done_date__isnull=True) | Q(done_date__lte=F("deadline")))


def due_by(end: date) -> Q:
    """完成时限 ≤ E: the tasks and measures whose on-time rate is taken at E."""
    return Q(deadline__lte=end)


def done_by(end: date) -> Q:
    """Done at E: 已完成 with 完成日期 empty or not after E (a task finished after E was still open at E)."""
    return Q(status=DONE) & (Q(done_date__isnull=True) | Q(done_date__lte=end))


def overdue_at(end: date) -> Q:
    """完成时限 < E and not done at E (DESIGN §5 overdue_measures), so a figure taken at E stays what it was
    at E after the measure is finished."""
    return Q(deadline__lt=end) & ~done_by(end)


def _window(field: str, reach_back: Callable[[Period], date]) -> Callable[[list[Period]], Q]:
    def narrow(periods: list[Period]) -> Q:
        return Q(**{f"{field}__gte": min(reach_back(p) for p in periods),
                    f"{field}__lte": max(p.end for p in periods)})
    return narrow


def _in_p(p: Period, field: str = "date") -> Q:
    return Q(**{f"{field}__range": (p.start, p.end)})


def _via(q: Q, path: str) -> Q:
    """``q``, a condition on a person, said of the person at ``path`` (the talk's subject, the reporter)."""
    def moved(child):
        if isinstance(child, Q):
            return _via(child, path)
        lookup, value = cast(tuple, child)
        return f"{path}__{lookup}", value

    return Q(*map(moved, q.children), _connector=q.connector, _negated=q.negated)


# People counted by their records ("staff with a talk", "heads with a report", "departments with a risk
# point") are counted from those records, joined to the person or department: COUNT(DISTINCT …) grouped by
# unit. Written the other way round, as ``person IN (talks …)`` inside the people's aggregate, PostgreSQL
# hashes the subquery only while it fits in work_mem and otherwise runs it again for every person: at the
# default 4 MB beyond about 1,300 units, the all-units assessment then never finished (bench/province_bench.py).
# Only the unit's own records count, as in one unit's assessment (subject__unit_id = unit_id).

def _people(p: Period, units: list[int] | None) -> dict:
    e = p.end
    return {"staff": Count("id", filter=on_establishment(e)),
            "heads": Count("id", filter=_heads(e))}


def _heads(end: date) -> Q:
    """机构负责人 in service at E."""
    return in_service(end) & Q(is_dept_head=True)


def _talks(p: Period, units: list[int] | None) -> dict:
    e = p.end
    talked = Q(kind__in=C.INTEGRITY_TALK_KINDS, date__range=(p.year_start, e), subject__unit_id=F("unit_id"))
    return {"staff_talked": Count("subject_id", distinct=True, filter=talked & _via(on_establishment(e), "subject"))}


def _studies(p: Period, units: list[int] | None) -> dict:
    return {"central_group_studies": Count("id", filter=_in_p(p) & Q(kind="党组理论学习中心组"))}


def _documents(p: Period, units: list[int] | None) -> dict:
    return {"study_plans_ytd": Count("id", filter=Q(category="学习计划", date__range=(p.year_start, p.end)))}


def _meetings(p: Period, units: list[int] | None) -> dict:
    return {"integrity_topics": Count("id", filter=_in_p(p) & INTEGRITY_TOPIC)}


def _tasks(p: Period, units: list[int] | None) -> dict:
    due = due_by(p.end)
    return {
        "tasks_due": Count("id", filter=due),
        "tasks_on_time": Count("id", filter=due & done_on_time()),
        "tasks_overdue": Count("id", filter=overdue_at(p.end)),
    }


def _liaisons(p: Period, units: list[int] | None) -> dict:
    return {"liaisons": Count("id", filter=_in_p(p))}


def expense_match(p: Period) -> Q | None:
    """The 三公经费 rows of period P: H1 ↔ 上半年, H2 ↔ 下半年, the year ↔ 全年, or 上半年 + 下半年 of a category
    that has no 全年 row that year. A quarter has no rows (the ledger is kept by half year)."""
    if p.kind == "half":
        return Q(year=p.year, half="上半年" if p.start.month == 1 else "下半年")
    if p.kind == "year":
        annual = PublicExpense.objects.filter(unit_id=OuterRef("unit_id"), year=OuterRef("year"),
                                              category=OuterRef("category"), half="全年")
        return Q(year=p.year) & (Q(half="全年") | (Q(half__in=("上半年", "下半年")) & Q(~Exists(annual))))
    return None


def _expenses(p: Period, units: list[int] | None) -> dict:
    parts = {}
    for suffix, q in (("", expense_match(p)), ("_ya", expense_match(p.year_ago()))):
        if q is None:  # no rows match: the parts stay absent and count as 0
            continue
        parts[f"expense_rows{suffix}"] = Count("id", filter=q)
        parts[f"expense_spent{suffix}"] = Sum("spent", filter=q)
        parts[f"expense_budget{suffix}"] = Sum("budget", filter=q)
    return parts


def _expense_years(periods: list[Period]) -> Q:
    return Q(year__in=sorted({y for p in periods for y in (p.year, p.year - 1)}))


def _education(p: Period, units: list[int] | None) -> dict:
    parts = {"warning_education": Count("id", filter=_in_p(p) & Q(form__in=C.WARNING_EDUCATION_FORMS))}
    for k, (_, day) in enumerate(festivals_in(p)):
        parts[f"reminded_{k}"] = Count("id", filter=Q(form=REMINDER, date__range=reminder_window(day)))
    return parts


def reminder_window(day: date) -> tuple[date, date]:
    """The days on which a reminder counts for the festival on ``day``: the ten days before it and the day."""
    return day - timedelta(days=REMINDER_DAYS_BEFORE), day


def _education_reach(p: Period) -> date:
    return min([p.start] + [day - timedelta(days=REMINDER_DAYS_BEFORE) for _, day in festivals_in(p)])


def _discipline(p: Period, units: list[int] | None) -> dict:
    return {
        "forms_all": Count("id", filter=_in_p(p)),
        "forms_first": Count("id", filter=_in_p(p) & Q(form="第一种形态")),
        "forms_serious": Count("id", filter=_in_p(p) & Q(form__in=C.DISCIPLINE_FORM[1:])),
    }


def _promotions(p: Period, units: list[int] | None) -> dict:
    scope = _in_p(p) & PROMOTED
    return {"promotions": Count("id", filter=scope),
            "promotions_checked": Count("id", filter=scope & ALL_FOUR_CHECKS)}


def _petitions(p: Period, units: list[int] | None) -> dict:
    return {"petitions_substantiated": Count("id", filter=_in_p(p, "received")
                                             & Q(result__in=("属实", "部分属实")))}


def _departments(p: Period, units: list[int] | None) -> dict:
    return {"departments": Count("id")}


def _risks(p: Period, units: list[int] | None) -> dict:
    known = Q(reviewed__lte=p.end)
    return {
        "departments_with_risks": Count("department_id", distinct=True,
                                        filter=known & Q(department__unit_id=F("unit_id"))),
        "risks": Count("id", filter=known),
        "risks_recent": Count("id", filter=known & Q(reviewed__gt=last_365_start(p.end))),
        "high_risks": Count("id", filter=known & Q(level="高")),
        "high_risks_controlled": Count("id", filter=known & HIGH_RISK_CONTROLLED),
    }


def _duty_reports(p: Period, units: list[int] | None) -> dict:
    window = Q(date__gt=last_365_start(p.end), date__lte=p.end)
    positive = F("good") + F("fairly_good")
    heads = _via(_heads(p.end), "reporter") & Q(reporter__unit_id=F("unit_id"))
    return {"votes_positive": Sum(positive, filter=window),
            "votes_all": Sum(positive + F("average") + F("poor"), filter=window),
            "heads_reported": Count("reporter_id", distinct=True, filter=window & heads)}


def _measures(p: Period, units: list[int] | None) -> dict:
    due = due_by(p.end)
    return {
        "measures_due": Count("id", filter=due),
        "measures_on_time": Count("id", filter=due & done_on_time()),
        "measures_overdue": Count("id", filter=overdue_at(p.end)),
    }


SOURCES = {s.name: s for s in (
    Source("people", Person, _people),
    Source("talks", Talk, _talks, _window("date", lambda p: p.year_start)),
    Source("studies", Study, _studies, _window("date", lambda p: p.start)),
    Source("documents", Document, _documents, _window("date", lambda p: p.year_start)),
    Source("meetings", Meeting, _meetings, _window("date", lambda p: p.start)),
    Source("tasks", DutyTask, _tasks),
    Source("liaisons", Liaison, _liaisons, _window("date", lambda p: p.start)),
    Source("expenses", PublicExpense, _expenses, _expense_years),
    Source("education", Education, _education, _window("date", _education_reach)),
    Source("discipline", Discipline, _discipline, _window("date", lambda p: p.start)),
    Source("promotions", Promotion, _promotions, _window("date", lambda p: p.start)),
    Source("petitions", Petition, _petitions, _window("received", lambda p: p.start)),
    Source("departments", Department, _departments),
    Source("risks", RiskPoint, _risks, lambda periods: Q(reviewed__lte=max(p.end for p in periods))),
    Source("duty_reports", DutyReport, _duty_reports,
           _window("date", lambda p: last_365_start(p.end) + timedelta(days=1))),
    Source("measures", Measure, _measures),
)}


def register_of(metric: Metric) -> type[UnitRecord]:
    """The table whose records a metric's value counts, where a user enters them."""
    return cast(type[UnitRecord], apps.get_model(metric.records)) if metric.records else SOURCES[metric.sources[0]].model
