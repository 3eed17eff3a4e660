"""The records behind an indicator's gap, for a problem the report drafts from a red (or yellow) indicator
(DESIGN §6 三): which promotions lacked which of the four checks, which high-risk points have no measures, before
which festivals no reminder was given, which tasks and measures are overdue. Each returns marked text (names marked for redaction) or "" when the indicator
has no records to name; the filters are the indicators' own (``assess.sources``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Count, F, Q, Value

from .. import prepared
from ..assess.festivals import festivals_in
from ..assess.sources import ALL_FOUR_CHECKS, DONE, PROMOTED, REMINDER, REMINDER_DAYS_BEFORE, due_by, overdue_at, \
    reminder_window
from ..ledger import models as L
from ..org.models import Unit
from ..periods import Period
from ..rectify.models import Measure
from .phrasing import cn_date
from .runs import clean, mark

#: how many records a problem names; the rest are counted (a report is read, not a register)
NAMED = 5
CHECKS = (("file_reviewed", "档案必审"), ("matters_verified", "个人事项必核"), ("opinion_heard", "纪检意见必听"),
          ("petitions_checked", "信访举报必查"))


def _first(rows: prepared.Build, fields: tuple[str, ...], **inputs: prepared.Input) -> tuple[list[dict], int]:
    """The first NAMED of the ``rows(v)`` and how many there are: a register of thousands costs two small
    prepared queries."""
    first = prepared.run(lambda v: rows(v).values(*fields)[:NAMED + 1], **inputs)
    if len(first) <= NAMED:
        return first, len(first)
    (counted,) = prepared.run(lambda v: rows(v).order_by().values(whole=Value(0)).annotate(n=Count("pk")), **inputs)
    return first[:NAMED], counted["n"]


def _listed(items: list[str], total: int, measure_word: str) -> str:
    return "；".join(items) + (f"等{total}{measure_word}" if total > len(items) else "")


def _promotions(unit: Unit, period: Period, on: date) -> str:
    rows, total = _first(lambda v: L.Promotion.objects.filter(unit=v.unit, date__range=(v.start, v.end))
                         .filter(PROMOTED).exclude(ALL_FOUR_CHECKS).order_by("date", "pk"),
                         ("subject__name", "matter", *(f for f, _ in CHECKS)), unit=unit.pk, start=period.start,
                         end=period.end)
    items = [f"{mark(r['subject__name'], 'name')}（{r['matter']}）未落实{'、'.join(n for f, n in CHECKS if not r[f])}"
             for r in rows]
    return f"其中，{_listed(items, total, '人')}。" if items else ""


def _high_risks(unit: Unit, period: Period, on: date) -> str:
    """Each point by its post and its 编号 (one post often holds several points)."""
    rows, total = _first(lambda v: L.RiskPoint.objects.filter(unit=v.unit, reviewed__lte=v.end, level="高", controls="")
                         .order_by("department__order", "code", "pk"), ("department__name", "post", "code"),
                         unit=unit.pk, end=period.end)
    items = [f"{clean(r['department__name'])}{clean(r['post'])}岗位（{clean(r['code'])}）" for r in rows]
    return f"尚未制定防控措施的高风险点{total}个：{_listed(items, total, '个')}。" if items else ""


def _holidays(unit: Unit, period: Period, on: date) -> str:
    """The festivals of the period without a reminder in their window (the indicator's own)."""
    festivals = festivals_in(period)
    if not festivals:
        return ""
    reminded = set(prepared.run(lambda v: L.Education.objects.filter(unit=v.unit, form=REMINDER, date__range=(
        v.start, v.end)).values_list("date", flat=True), unit=unit.pk, start=reminder_window(festivals[0][1])[0],
        end=festivals[-1][1]))
    missed = [name for name, day in festivals
              if not any(reminder_window(day)[0] <= d <= day for d in reminded)]
    if not missed:
        return ""
    return f"{'、'.join(missed)}前{REMINDER_DAYS_BEFORE}日内{'均' if len(missed) > 1 else ''}未开展廉洁提醒。"


#: due by the date and not done on time: the complement of ``due_by & done_on_time`` the rates count
_LATE = Q(done_date__gt=F("deadline")) | ~Q(status=DONE)


def _deadlines(qs: prepared.Build, text: str, lead: str, **inputs: prepared.Input) -> str:
    rows, total = _first(lambda v: qs(v).order_by("deadline", "pk"), (text, "deadline"), **inputs)
    items = [f"“{clean(r[text])}”（完成时限：{mark(cn_date(r['deadline']), 'date')}）" for r in rows]
    return f"{lead}{_listed(items, total, '项')}。" if items else ""


def _tasks(unit: Unit, period: Period, on: date) -> str:
    return _deadlines(lambda v: L.DutyTask.objects.filter(unit=v.unit).filter(due_by(v.on) & _LATE), "task",
                      "未按期完成的任务有：", unit=unit.pk, on=on)


def _late_measures(unit: Unit, period: Period, on: date) -> str:
    return _deadlines(lambda v: Measure.of_unit(v.unit).filter(due_by(v.on) & _LATE), "text",
                      "未按期完成的措施有：", unit=unit.pk, on=on)


def _overdue_measures(unit: Unit, period: Period, on: date) -> str:
    return _deadlines(lambda v: Measure.of_unit(v.unit).filter(overdue_at(v.on)), "text",
                      f"截至{mark(cn_date(on), 'date')}逾期未完成的措施有：", unit=unit.pk, on=on)


GAPS: dict[str, Callable[[Unit, Period, date], str]] = {
    "four_musts_rate": _promotions,
    "holiday_reminders": _holidays,
    "high_risk_controlled": _high_risks,
    "task_completion": _tasks,
    "rectification_completion": _late_measures,
    "overdue_measures": _overdue_measures,
}


def gap_records(indicator: str, unit: Unit, period: Period, on: date) -> str:
    found = GAPS.get(indicator)
    return found(unit, period, on) if found else ""
