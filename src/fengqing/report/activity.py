"""Facts of the work done in a period (section 二 of the report): everything dated within [start, end], plus
the registers as they stand at the end date (risk points; duty tasks at the 成文日期) and the 三公经费 rows of the period."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from types import SimpleNamespace

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from .. import choices as C
from ..assess.sources import (ALL_FOUR_CHECKS, HIGH_RISK_CONTROLLED, INTEGRITY_TOPIC, PROMOTED, done_on_time,
                              due_by, expense_match)
from ..ledger import models as L
from .. import prepared
from ..org.models import Unit
from ..periods import Period, parse_period
from .fact import Fact
from .tally import Spec, by_choice, in_periods, prepared_tally, prepared_tally_each, ratio_fact, traced

STUDY = {"党组理论学习中心组": "central", "党支部集中学习": "branch", "干部职工集中学习": "staff",
         "专题读书班": "course", "其他": "other"}
MEETING = {"党组会": "party_group", "干部职工会": "staff", "党支部会": "branch", "系统工作会": "system",
           "党风廉政建设工作会议": "integrity_conference", "述责述廉会议": "duty_report",
           "民主生活会": "democratic_life", "组织生活会": "org_life", "其他": "other"}
DOCUMENT = {"学习计划": "study_plan", "工作要点": "work_points", "责任分工": "duty_division",
            "内控制度": "internal_control", "其他": "other"}
LIAISON = {"沟通会商": "consult", "情况通报": "briefing", "交换意见": "exchange", "纪律作风检查": "inspection",
           "问题反馈": "feedback"}
OPINION = {"干部选拔任用": "selection", "人员选调": "transfer", "评先评优": "award", "其他": "other"}
EDUCATION = {"案例通报": "case_notice", "警示教育大会": "warning_conference", "观看警示教育片": "warning_film",
             "发放警示教育读本": "warning_books", "新进人员培训": "newcomer", "节假日廉洁提醒": "holiday",
             "参观警示教育基地": "warning_base", "廉政党课": "party_lecture", "其他": "other"}
TALK = {"廉洁纪律谈话": "integrity", "任前廉政谈话": "pre_appointment", "谈心谈话": "heart",
        "诫勉谈话": "admonition", "约谈": "interview", "谈话函询": "inquiry"}
FORM = {"第一种形态": "first", "第二种形态": "second", "第三种形态": "third", "第四种形态": "fourth"}
RISK = {"高": "high", "中": "medium", "低": "low"}
PETITION = {"在办": "open", "属实": "substantiated", "部分属实": "partly", "不属实": "unfounded", "了结": "settled"}
PERSON_TIMES = "人次"  # one word for counts of people throughout (never 人（次） beside 人次)


def activity_facts(unit: Unit, periods: list[Period], on: date | None = None,
                   prefixes: Collection[str] | None = None) -> list[tuple[list[Fact], set[str]]]:
    """For each of ``periods`` (which do not overlap), its facts and the tables that hold any record for it
    (comparisons need those). The first period is the report's: its tasks' state is taken at ``on`` (the 成文日期,
    default the period's end), the others' at their end. The dated registers are read once for all periods.
    ``prefixes``: only the parts (:data:`PARTS`) of these id prefixes, in the report's order; default all."""
    out: list[tuple[list[Fact], set[str]]] = [([], set()) for _ in periods]
    for part in (part for prefix, part in PARTS.items() if prefixes is None or prefix in prefixes):
        for (facts, present), (part_facts, rows) in zip(out, part(unit, periods, on)):
            facts.extend(part_facts)
            if rows:
                present.update(f.source for f in part_facts)
    return out


def _dated(model, v: SimpleNamespace, field: str = "date"):
    """The rows of the unit ``v.unit`` dated in one of the periods ``v.spans`` (inputs of a prepared query)."""
    return in_periods(model.objects.filter(unit=v.unit), field, v.spans)


def _each(model, unit: Unit, periods: list[Period], specs: list[Spec], field: str = "date"):
    return prepared_tally_each(lambda v: model.objects.filter(unit=v.unit), specs, periods, field, unit=unit.pk)


def _study(unit, periods, on):
    return _each(L.Study, unit, periods, by_choice("study", "kind", STUDY, "次", "{}学习"))


def _meetings(unit, periods, on):
    return _each(L.Meeting, unit, periods, [
        *by_choice("meeting", "kind", MEETING, "次"),
        Spec("meeting.integrity_topics", "党组会专题研究党风廉政建设", INTEGRITY_TOPIC, "次"),
    ])


#: a document of the category 其他 whose title names risk control (the 廉政风险防控手册) is said under 权力制约
RISK_CONTROL = Q(category="其他", title__contains="风险防控")


def _documents(unit, periods, on):
    specs = [Spec(f"document.{key}", f"{value}类文件", Q(category=value) & ~RISK_CONTROL, "件")
             for value, key in DOCUMENT.items()]
    specs.append(Spec("document.risk_control", "廉政风险防控类文件", RISK_CONTROL, "件"))
    each = _each(L.Document, unit, periods, specs)
    titles: list[dict[str, list[str]]] = [{} for _ in periods]
    for period, category, title, risk in prepared.run(_titles, unit=unit.pk, spans=prepared.spans(periods)):
        titles[period].setdefault("风险防控" if risk else category, []).append(title)
    for (facts, _), found in zip(each, titles):
        for f, category in zip(facts, [*DOCUMENT, "风险防控"]):
            f.kind, f.titles = "titles", tuple(found.get(category, ()))
    return each


def _titles(v):
    return (_dated(L.Document, v).order_by("date", "pk")
            .annotate(risk=ExpressionWrapper(RISK_CONTROL, output_field=BooleanField()))
            .values_list("in_period", "category", "title", "risk"))


def _tasks(unit, periods, on):
    """The year's tasks, and the due and on-time tasks exactly as the indicator ``task_completion`` counts them:
    every task due by the 成文日期 (default E), whatever its year."""
    out = []
    for i, period in enumerate(periods):
        year = period.end.year
        facts, rows = prepared_tally(lambda v: L.DutyTask.objects.filter(unit=v.unit), _task_specs, unit=unit.pk,
                                     year_start=date(year, 1, 1), year_end=date(year, 12, 31),
                                     due=(on if i == 0 else None) or period.end)
        out.append((facts + [ratio_fact("task.completion", "责任分工任务按期完成率", facts[2], facts[1])], rows))
    return out


def _task_specs(v) -> list[Spec]:
    due = due_by(v.due)
    return [
        # the year's bounds, as Django turns deadline__year into them, bound as inputs of the prepared query
        Spec("task.year", "本年度党风廉政建设责任分工任务", Q(deadline__range=(v.year_start, v.year_end)), "项"),
        Spec("task.due", "已到完成时限的责任分工任务", due, "项"),
        Spec("task.on_time", "按期完成的责任分工任务", due & done_on_time(), "项"),
    ]


def _liaison(unit, periods, on):
    return _each(L.Liaison, unit, periods, [
        Spec("liaison.total", "与纪检监察组会商通报", None, "次"),
        *by_choice("liaison", "form", LIAISON, "次"),
    ])


def _opinions(unit, periods, on):
    return _each(L.IntegrityOpinion, unit, periods, [
        Spec("opinion.total", "征求党风廉政意见", None, PERSON_TIMES),
        *by_choice("opinion", "matter", OPINION, PERSON_TIMES, "{}征求党风廉政意见"),
        Spec("opinion.deferred", "党风廉政意见为暂缓", Q(conclusion="暂缓"), PERSON_TIMES),
        Spec("opinion.refused", "党风廉政意见为不同意", Q(conclusion="不同意"), PERSON_TIMES),
    ])


def expense_rows(unit: Unit, period: Period):
    """The 三公经费 rows of a period, matched by the indicators' own rule (``assess.sources.expense_match``), so
    the report's sums and change are those of ``public_expense_execution`` and ``public_expense_change``."""
    match = expense_match(period)
    qs = L.PublicExpense.objects.filter(unit=unit)
    return qs.none() if match is None else qs.filter(match)


def _expenses(unit, periods, on):
    out = []
    for period in periods:
        facts, rows = prepared_tally(_expense_source(period.code[4:]), [
            Spec("expense.budget", "“三公”经费预算", None, "万元", "budget", "money"),
            Spec("expense.spent", "“三公”经费支出", None, "万元", "spent", "money"),
        ], unit=unit.pk, year=period.year)
        out.append((facts + [ratio_fact("expense.execution", "“三公”经费预算执行率", facts[1], facts[0])], rows))
    return out


def _expense_source(of_year: str) -> prepared.Build:
    """The rows of ``expense_rows`` for the period ``of_year`` (H1, H2, Q1…, empty for the year) of the year
    ``v.year``: their query depends on which period of a year it is, not on the year."""
    return lambda v: expense_rows(v.unit, parse_period(f"{v.year}{of_year}"))


def _education(unit, periods, on):
    warning = Q(form__in=C.WARNING_EDUCATION_FORMS)
    return _each(L.Education, unit, periods, [
        *by_choice("education", "form", EDUCATION, "次"),
        Spec("education.warning", "警示教育", warning, "次"),
        Spec("education.warning_coverage", "警示教育覆盖", warning, "人次", "coverage"),
        Spec("education.newcomer_people", "新进人员培训覆盖", Q(form="新进人员培训"), "人", "coverage"),
    ])


def _talks(unit, periods, on):
    return _each(L.Talk, unit, periods, [
        Spec("talk.total", "谈话", None, PERSON_TIMES),
        *by_choice("talk", "kind", TALK, PERSON_TIMES),
        Spec("talk.reminder", "提醒谈话", Q(kind__in=("提醒谈话", "谈话提醒")), PERSON_TIMES),
    ])


def _forms(unit, periods, on):
    out = []
    for facts, rows in _each(L.Discipline, unit, periods, [
        Spec("forms.total", "运用“四种形态”处理", None, "人次"),
        *by_choice("forms", "form", FORM, "人次", "运用{}"),
    ]):
        total = facts[0]
        shares = [ratio_fact(f"{f.id}_share", f"{f.label.removeprefix('运用')}占比", f, total) for f in facts[1:]]
        out.append((facts + shares, rows))
    return out


def _promotions(unit, periods, on):
    return [(facts + [ratio_fact("promotion.check_rate", "“凡提四必”执行率", facts[1], facts[0])], rows)
            for facts, rows in _each(L.Promotion, unit, periods, [
                Spec("promotion.promoted", "提拔和进一步使用干部", PROMOTED, "人"),
                Spec("promotion.checked", "落实“凡提四必”", PROMOTED & ALL_FOUR_CHECKS, "人"),
                Spec("promotion.transfer", "选调", Q(matter="选调"), "人"),
                Spec("promotion.award", "评先评优", Q(matter="评先评优"), "人"),
            ])]


def _postings(unit, periods, on):
    return _each(L.Posting, unit, periods, [Spec("posting.started", "选派干部挂职锻炼", None, "人")], "start")


def _petitions(unit, periods, on):
    """信访举报 received in the period, by outcome: counts only, never who was named (DESIGN §2: sensitive)."""
    return _each(L.Petition, unit, periods, [
        Spec("petition.received", "收到信访举报", None, "件"),
        *by_choice("petition", "result", PETITION, "件", "办理结果为{}的信访举报"),
    ], "received")


def _risks(unit, periods, on):
    """The register as it stands at each period's end."""
    return [prepared_tally(lambda v: L.RiskPoint.objects.filter(unit=v.unit, reviewed__lte=v.end), lambda v: [
        Spec("risk.total", "廉政风险点", None, "个"),
        *by_choice("risk", "level", RISK, "个", "{}风险点"),
        Spec("risk.reviewed", "期内排查（复核）风险点", Q(reviewed__gte=v.start), "个"),
        Spec("risk.high_controlled", "已制定防控措施的高风险点", HIGH_RISK_CONTROLLED, "个"),
    ], unit=unit.pk, start=period.start, end=period.end) for period in periods]


def _duty_reports(unit, periods, on):
    """The 机构负责人 who reported in the period, counted once each however many times they reported, and the
    votes of all the period's reports."""
    reports = _each(L.DutyReport, unit, periods, [
        Spec("duty_report.reports", "述责述廉", None, "人次"),
        *(Spec(f"duty_report.{field}", f"民主测评“{name}”票", None, "票", field) for field, name in (
            ("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "差"))),
    ])
    return [(people + _votes(facts), rows) for people, (facts, rows) in zip(_heads(unit, periods), reports)]


def _heads(unit: Unit, periods: list[Period]) -> list[list[Fact]]:
    """For each period, the unit's 机构负责人 who reported in it, and those who reported on site: a COUNT(DISTINCT)
    of each period's reports, the people's ids from the same rows."""
    inputs = {"unit": unit.pk, "spans": prepared.spans(periods)}
    counts = {g["in_period"]: g for g in prepared.run(_head_counts, **inputs)}
    ids: list[tuple[set[int], set[int]]] = [(set(), set()) for _ in periods]
    listed = traced()
    for period, reporter, on_site in prepared.run(_head_rows, **inputs) if listed else ():
        ids[period][0].add(reporter)
        if on_site:
            ids[period][1].add(reporter)
    return [[Fact(fid, label, counts.get(i, {}).get(key, 0), [f"person:{pk}" for pk in sorted(ids[i][n])], "人",
                  source="person", unlisted=None if listed else counts.get(i, {}).get(key, 0))
             for n, (fid, label, key) in enumerate((("duty_report.reporters", "述责述廉的机构负责人", "reporters"),
                                                    ("duty_report.on_site", "现场述责的机构负责人", "on_site")))]
            for i in range(len(periods))]


def _head_reports(v):
    return _dated(L.DutyReport, v).filter(reporter__unit=v.unit, reporter__is_dept_head=True)


def _head_counts(v):
    return _head_reports(v).order_by().values("in_period").annotate(
        reporters=Count("reporter", distinct=True), on_site=Count("reporter", distinct=True, filter=Q(on_site=True)))


def _head_rows(v):
    return _head_reports(v).values_list("in_period", "reporter_id", "on_site")


def _votes(facts: list[Fact]) -> list[Fact]:
    """The period's reports and votes, then the votes in all and the 好 and 较好 ones, and their share."""
    by_id = {f.id: f for f in facts}
    votes = sum(by_id[f"duty_report.{k}"].value for k in ("good", "fairly_good", "average", "poor"))
    satisfied = by_id["duty_report.good"].value + by_id["duty_report.fairly_good"].value
    records = by_id["duty_report.reports"].records
    votes_fact = Fact("duty_report.votes", "民主测评票", votes, list(records), "票", "sum", source="dutyreport")
    satisfied_fact = Fact("duty_report.satisfied", "民主测评“好”和“较好”票", satisfied, list(records), "票", "sum",
                          source="dutyreport")
    # not named 民主测评满意率: that indicator takes 365 days, this share the period's reports
    share = ratio_fact("duty_report.satisfaction", "期内民主测评“好”和“较好”票占比", satisfied_fact, votes_fact)
    return facts + [votes_fact, satisfied_fact, share]


#: Part = (unit, periods, on) → for each period, its facts and how many rows it read (``tally``)
Part = Callable[[Unit, list[Period], date | None], list[tuple[list[Fact], int]]]

#: the parts of section 二 in the report's order, by the prefix of their facts' ids (``talk`` for ``talk.total``,
#: its ratios and the comparisons of them): :func:`activity_facts` runs them all, ``report.facts.compute_fact``
#: the one an id names, so a part is declared here or not computed at all
PARTS: dict[str, Part] = {
    "study": _study, "meeting": _meetings, "document": _documents, "task": _tasks, "liaison": _liaison,
    "opinion": _opinions, "expense": _expenses, "education": _education, "talk": _talks, "forms": _forms,
    "promotion": _promotions, "posting": _postings, "petition": _petitions, "risk": _risks,
    "duty_report": _duty_reports,
}
