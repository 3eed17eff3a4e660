"""Facts of the work done in a period (section 二 of the report): everything dated within [start, end], plus
the registers as they stand at the end date (risk points; duty tasks at the 成文日期) and the 三公经费 rows of the period."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db.models import BooleanField, ExpressionWrapper, Q

from .. import choices as C
from ..assess.sources import (ALL_FOUR_CHECKS, HIGH_RISK_CONTROLLED, INTEGRITY_TOPIC, PROMOTED, done_on_time,
                              due_by, expense_match)
from ..ledger import models as L
from ..org.models import Person, Unit
from ..periods import Period
from .fact import Fact
from .tally import Spec, by_choice, ratio_fact, tally

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


def activity_facts(unit: Unit, period: Period, on: date | None = None) -> tuple[list[Fact], set[str]]:
    """The period's facts and the tables that hold any record for it (comparisons need those); the tasks'
    state is taken at ``on`` (the 成文日期, default the period's end)."""
    facts: list[Fact] = []
    present: set[str] = set()
    for part in (_study, _meetings, _documents, partial(_tasks, on=on), _liaison, _opinions, _expenses,
                 _education, _talks, _forms, _promotions, _postings, _petitions, _risks, _duty_reports):
        part_facts, rows = part(unit, period)
        facts.extend(part_facts)
        if rows:
            present.update(f.source for f in part_facts)
    return facts, present


def _dated(model, unit: Unit, period: Period, field: str = "date"):
    return model.objects.filter(unit=unit, **{f"{field}__range": (period.start, period.end)})


def _study(unit, period):
    return tally(_dated(L.Study, unit, period), by_choice("study", "kind", STUDY, "次", "{}学习"))


def _meetings(unit, period):
    return tally(_dated(L.Meeting, unit, period), [
        *by_choice("meeting", "kind", MEETING, "次"),
        Spec("meeting.integrity_topics", "党组会专题研究党风廉政建设", INTEGRITY_TOPIC, "次"),
    ])


#: a document of the category 其他 whose title names risk control (the 廉政风险防控手册) is said under 权力制约
RISK_CONTROL = Q(category="其他", title__contains="风险防控")


def _documents(unit, period):
    qs = _dated(L.Document, unit, period).order_by("date", "pk")
    specs = [Spec(f"document.{key}", f"{value}类文件", Q(category=value) & ~RISK_CONTROL, "件")
             for value, key in DOCUMENT.items()]
    specs.append(Spec("document.risk_control", "廉政风险防控类文件", RISK_CONTROL, "件"))
    facts, rows = tally(qs, specs)
    flags = qs.annotate(risk=ExpressionWrapper(RISK_CONTROL, output_field=BooleanField()))
    titles: dict[str, list[str]] = {}
    for category, title, risk in flags.values_list("category", "title", "risk"):
        titles.setdefault("风险防控" if risk else category, []).append(title)
    for f, category in zip(facts, [*DOCUMENT, "风险防控"]):
        f.kind, f.titles = "titles", tuple(titles.get(category, ()))
    return facts, rows


def _tasks(unit, period, on=None):
    """The year's tasks, and the due and on-time tasks exactly as the indicator ``task_completion`` counts them:
    every task due by the 成文日期 (default E), whatever its year."""
    due = due_by(on or period.end)
    facts, rows = tally(L.DutyTask.objects.filter(unit=unit), [
        Spec("task.year", "本年度党风廉政建设责任分工任务", Q(deadline__year=period.end.year), "项"),
        Spec("task.due", "已到完成时限的责任分工任务", due, "项"),
        Spec("task.on_time", "按期完成的责任分工任务", due & done_on_time(), "项"),
    ])
    return facts + [ratio_fact("task.completion", "责任分工任务按期完成率", facts[2], facts[1])], rows


def _liaison(unit, period):
    return tally(_dated(L.Liaison, unit, period), [
        Spec("liaison.total", "与纪检监察组会商通报", None, "次"),
        *by_choice("liaison", "form", LIAISON, "次"),
    ])


def _opinions(unit, period):
    return tally(_dated(L.IntegrityOpinion, unit, period), [
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


def _expenses(unit, period):
    facts, rows = tally(expense_rows(unit, period), [
        Spec("expense.budget", "“三公”经费预算", None, "万元", "budget", "money"),
        Spec("expense.spent", "“三公”经费支出", None, "万元", "spent", "money"),
    ])
    return facts + [ratio_fact("expense.execution", "“三公”经费预算执行率", facts[1], facts[0])], rows


def _education(unit, period):
    warning = Q(form__in=C.WARNING_EDUCATION_FORMS)
    return tally(_dated(L.Education, unit, period), [
        *by_choice("education", "form", EDUCATION, "次"),
        Spec("education.warning", "警示教育", warning, "次"),
        Spec("education.warning_coverage", "警示教育覆盖", warning, "人次", "coverage"),
        Spec("education.newcomer_people", "新进人员培训覆盖", Q(form="新进人员培训"), "人", "coverage"),
    ])


def _talks(unit, period):
    return tally(_dated(L.Talk, unit, period), [
        Spec("talk.total", "谈话", None, PERSON_TIMES),
        *by_choice("talk", "kind", TALK, PERSON_TIMES),
        Spec("talk.reminder", "提醒谈话", Q(kind__in=("提醒谈话", "谈话提醒")), PERSON_TIMES),
    ])


def _forms(unit, period):
    facts, rows = tally(_dated(L.Discipline, unit, period), [
        Spec("forms.total", "运用“四种形态”处理", None, "人次"),
        *by_choice("forms", "form", FORM, "人次", "运用{}"),
    ])
    total = facts[0]
    shares = [ratio_fact(f"{f.id}_share", f"{f.label.removeprefix('运用')}占比", f, total) for f in facts[1:]]
    return facts + shares, rows


def _promotions(unit, period):
    facts, rows = tally(_dated(L.Promotion, unit, period), [
        Spec("promotion.promoted", "提拔和进一步使用干部", PROMOTED, "人"),
        Spec("promotion.checked", "落实“凡提四必”", PROMOTED & ALL_FOUR_CHECKS, "人"),
        Spec("promotion.transfer", "选调", Q(matter="选调"), "人"),
        Spec("promotion.award", "评先评优", Q(matter="评先评优"), "人"),
    ])
    return facts + [ratio_fact("promotion.check_rate", "“凡提四必”执行率", facts[1], facts[0])], rows


def _postings(unit, period):
    return tally(_dated(L.Posting, unit, period, "start"), [Spec("posting.started", "选派干部挂职锻炼", None, "人")])


def _petitions(unit, period):
    """信访举报 received in the period, by outcome: counts only, never who was named (DESIGN §2: sensitive)."""
    return tally(_dated(L.Petition, unit, period, "received"), [
        Spec("petition.received", "收到信访举报", None, "件"),
        *by_choice("petition", "result", PETITION, "件", "办理结果为{}的信访举报"),
    ])


def _risks(unit, period):
    register = L.RiskPoint.objects.filter(unit=unit, reviewed__lte=period.end)
    facts, rows = tally(register, [
        Spec("risk.total", "廉政风险点", None, "个"),
        *by_choice("risk", "level", RISK, "个", "{}风险点"),
        Spec("risk.reviewed", "期内排查（复核）风险点", Q(reviewed__gte=period.start), "个"),
        Spec("risk.high_controlled", "已制定防控措施的高风险点", HIGH_RISK_CONTROLLED, "个"),
    ])
    return facts, rows


def _duty_reports(unit, period):
    """The 机构负责人 who reported in the period, counted once each however many times they reported, and the
    votes of all the period's reports."""
    qs = _dated(L.DutyReport, unit, period)
    heads = Person.objects.filter(unit=unit, is_dept_head=True, id__in=qs.values("reporter_id"))
    people, _ = tally(heads, [
        Spec("duty_report.reporters", "述责述廉的机构负责人", None, "人"),
        Spec("duty_report.on_site", "现场述责的机构负责人", Q(id__in=qs.filter(on_site=True).values("reporter_id")),
             "人"),
    ])
    facts, rows = tally(qs, [
        Spec("duty_report.reports", "述责述廉", None, "人次"),
        *(Spec(f"duty_report.{field}", f"民主测评“{name}”票", None, "票", field) for field, name in (
            ("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "差"))),
    ])
    by_id = {f.id: f for f in facts}
    votes = sum(by_id[f"duty_report.{k}"].value for k in ("good", "fairly_good", "average", "poor"))
    satisfied = by_id["duty_report.good"].value + by_id["duty_report.fairly_good"].value
    records = by_id["duty_report.reports"].records
    votes_fact = Fact("duty_report.votes", "民主测评票", votes, list(records), "票", "sum", source="dutyreport")
    satisfied_fact = Fact("duty_report.satisfied", "民主测评“好”和“较好”票", satisfied, list(records), "票", "sum",
                          source="dutyreport")
    # not named 民主测评满意率: that indicator takes 365 days, this share the period's reports
    share = ratio_fact("duty_report.satisfaction", "期内民主测评“好”和“较好”票占比", satisfied_fact, votes_fact)
    return people + facts + [votes_fact, satisfied_fact, share], rows
