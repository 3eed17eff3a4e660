"""The indicator catalogue (DESIGN §5): every metric fengqing computes, by id. A scheme picks among these.

Each metric turns the parts of one unit and period (see ``sources``) into a value: a float, or ``None``
(N/A) when its denominator is 0 or its data is absent. Counts are never N/A: no record means 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..periods import Period
from .festivals import festivals_in

#: kinds decide how a value is shown (``table.format_value``) and whether a deduction scheme may use it
COUNT, RATIO, PER_100, FLAG, CHANGE = "count", "ratio", "per100", "flag", "change"


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    dimension: str  # where the default scheme places it
    kind: str
    measure_word: str  # shown after a count: 次, 项, 人次 …
    definition: str
    sources: tuple[str, ...]
    compute: Callable[[Mapping[str, float], Period], float | None]
    #: the register (model label) of the records the value counts, when they are not its first source's rows:
    #: a coverage is computed over people or departments but counts talks, duty reports or risk points
    records: str = ""


def ratio(numerator, denominator) -> float | None:
    return None if not denominator else float(numerator) / float(denominator)


def per_hundred(count, staff) -> float | None:
    return None if not staff else float(count) * 100 / float(staff)


def _count(part: str):
    return lambda a, p: float(a[part])


def _share(numerator: str, denominator: str):
    return lambda a, p: ratio(a[numerator], a[denominator])


def change_rate(now, before) -> float | None:
    """(now − before) / before, computed in decimals; None when there is nothing to compare with. The report's
    同比 percentage of 三公经费 is this same function."""
    if not before:
        return None
    now, before = Decimal(now or 0), Decimal(before)
    return float((now - before) / before)


def _expense_change(a, p) -> float | None:
    if not a["expense_rows"] or not a["expense_rows_ya"]:
        return None
    return change_rate(a["expense_spent"], a["expense_spent_ya"])


def _expense_execution(a, p) -> float | None:
    if not a["expense_rows"]:
        return None
    return ratio(a["expense_spent"] or 0, a["expense_budget"] or 0)


def _holiday_reminders(a, p) -> float | None:
    n = len(festivals_in(p))
    return None if n == 0 else sum(1 for k in range(n) if a[f"reminded_{k}"]) / n


def _study_plan(a, p) -> float:
    return 1.0 if a["study_plans_ytd"] else 0.0


METRICS: dict[str, Metric] = {m.id: m for m in (
    Metric("central_group_study", "党组理论学习中心组学习次数", "政治建设", COUNT, "次",
           "期间内类型为“党组理论学习中心组”的学习次数", ("studies",), _count("central_group_studies")),
    Metric("study_plan_issued", "年度学习计划制定", "政治建设", FLAG, "",
           "当年1月1日至期末有类别为“学习计划”的文件为1，否则为0", ("documents",), _study_plan),
    Metric("integrity_topics", "党组专题研究党风廉政建设次数", "主体责任", COUNT, "次",
           "期间内类型为“党组会”且研究党风廉政的会议次数", ("meetings",), _count("integrity_topics")),
    Metric("task_completion", "责任分工任务按期完成率", "主体责任", RATIO, "",
           "完成时限不晚于期末的责任分工中，已完成且完成日期为空或不晚于完成时限的比例", ("tasks",),
           _share("tasks_on_time", "tasks_due")),
    Metric("liaison_count", "与派驻纪检监察组会商通报次数", "主体责任", COUNT, "次",
           "期间内会商记录数", ("liaisons",), _count("liaisons")),
    Metric("public_expense_change", "“三公”经费同比变化率", "主体责任", CHANGE, "",
           "（本期支出数合计 − 上年同期支出数合计）/ 上年同期支出数合计；上半年、下半年、全年分别对应，"
           "全年无“全年”行的类别取上半年与下半年之和", ("expenses",), _expense_change),
    Metric("public_expense_execution", "“三公”经费预算执行率", "主体责任", RATIO, "",
           "本期三公经费支出数合计 / 预算数合计", ("expenses",), _expense_execution),
    Metric("integrity_talk_coverage", "廉洁谈话覆盖率", "纪律作风", RATIO, "",
           "当年1月1日至期末接受廉洁纪律谈话或任前廉政谈话的在编在职人员数 / 在编在职人员数",
           ("people", "talks"), _share("staff_talked", "staff"), records="ledger.Talk"),
    Metric("warning_education", "警示教育次数", "纪律作风", COUNT, "次",
           "期间内形式为案例通报、警示教育大会、观看警示教育片或参观警示教育基地的廉政教育次数", ("education",),
           _count("warning_education")),
    Metric("holiday_reminders", "节假日廉洁提醒覆盖率", "纪律作风", RATIO, "",
           "节日在期间内的元旦、春节、清明、劳动节、端午、中秋、国庆中，节前10日至节日当天有节假日廉洁提醒的比例",
           ("education",), _holiday_reminders),
    Metric("first_form_share", "第一种形态占比", "纪律作风", RATIO, "",
           "期间内第一种形态记录数 / 四种形态记录总数", ("discipline",), _share("forms_first", "forms_all")),
    Metric("serious_cases_rate", "第二至四种形态人次（每百人）", "纪律作风", PER_100, "人次",
           "期间内第二至四种形态记录数 × 100 / 在编在职人员数", ("discipline", "people"),
           lambda a, p: per_hundred(a["forms_serious"], a["staff"])),
    Metric("four_musts_rate", "“凡提四必”执行率", "纪律作风", RATIO, "",
           "期间内事项为提拔或进一步使用的干部选任中，四项均为“是”的比例", ("promotions",),
           _share("promotions_checked", "promotions")),
    Metric("petitions_substantiated_rate", "信访举报查实率（每百人）", "纪律作风", PER_100, "件",
           "期间内收件、办理结果为属实或部分属实的信访举报数 × 100 / 在编在职人员数", ("petitions", "people"),
           lambda a, p: per_hundred(a["petitions_substantiated"], a["staff"])),
    Metric("risk_point_coverage", "廉政风险点排查覆盖率", "权力制约", RATIO, "",
           "有排查日期不晚于期末的风险点的机构数 / 机构总数（科室与下属单位）", ("departments", "risks"),
           _share("departments_with_risks", "departments"), records="ledger.RiskPoint"),
    Metric("high_risk_controlled", "高风险点防控措施落实率", "权力制约", RATIO, "",
           "排查日期不晚于期末的高等级风险点中，防控措施不为空的比例", ("risks",),
           _share("high_risks_controlled", "high_risks")),
    Metric("risk_review_recency", "风险点年内复核率", "权力制约", RATIO, "",
           "排查日期不晚于期末的风险点中，排查日期在（期末 − 365天，期末］内的比例", ("risks",),
           _share("risks_recent", "risks")),
    Metric("duty_report_coverage", "机构负责人述责述廉覆盖率", "权力制约", RATIO, "",
           "期末在职的机构负责人中，在（期末 − 365天，期末］内作过述责述廉的比例", ("people", "duty_reports"),
           _share("heads_reported", "heads"), records="ledger.DutyReport"),
    Metric("democratic_rating", "民主测评满意率", "权力制约", RATIO, "",
           "（期末 − 365天，期末］内述责述廉的（好 + 较好）票数 / 总票数", ("duty_reports",),
           _share("votes_positive", "votes_all")),
    Metric("rectification_completion", "整改措施按期完成率", "问题整改", RATIO, "",
           "完成时限不晚于期末的整改措施中，已完成且完成日期为空或不晚于完成时限的比例", ("measures",),
           _share("measures_on_time", "measures_due")),
    Metric("overdue_measures", "逾期未完成整改措施数", "问题整改", COUNT, "项",
           "完成时限早于期末、期末时尚未完成（状态不是已完成，或完成日期晚于期末）的整改措施数", ("measures",), _count("measures_overdue")),
    # Event counts beyond DESIGN's table, for deduction schemes (扣分制).
    Metric("serious_cases", "第二至四种形态人次", "纪律作风", COUNT, "人次",
           "期间内第二至四种形态记录数", ("discipline",), _count("forms_serious")),
    Metric("petitions_substantiated", "查实信访举报件数", "纪律作风", COUNT, "件",
           "期间内收件、办理结果为属实或部分属实的信访举报数", ("petitions",), _count("petitions_substantiated")),
    Metric("promotions_unchecked", "未落实“凡提四必”的选任人次", "纪律作风", COUNT, "人次",
           "期间内事项为提拔或进一步使用、四项中有“否”的干部选任数", ("promotions",),
           lambda a, p: float(a["promotions"] - a["promotions_checked"])),
    Metric("overdue_tasks", "逾期未完成责任分工任务数", "主体责任", COUNT, "项",
           "完成时限早于期末、期末时尚未完成（状态不是已完成，或完成日期晚于期末）的责任分工任务数", ("tasks",), _count("tasks_overdue")),
    Metric("uncontrolled_high_risks", "未落实防控措施的高风险点数", "权力制约", COUNT, "个",
           "排查日期不晚于期末、防控措施为空的高等级风险点数", ("risks",),
           lambda a, p: float(a["high_risks"] - a["high_risks_controlled"])),
)}
