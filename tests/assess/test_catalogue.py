"""Every catalogue metric on hand-built records, expected values worked out by hand from DESIGN §5.

Period 2023H1 unless stated: S = 2023-01-01, E = 2023-06-30, E − 365 days = 2022-06-30.
"""

from datetime import date as D
from decimal import Decimal

import pytest

from fengqing.assess.catalogue import COUNT, FLAG, METRICS
from fengqing.assess.schemes import load_scheme
from fengqing.ledger.models import (Discipline, Document, DutyReport, DutyTask, Education, Liaison, Meeting,
                                    Petition, Promotion, PublicExpense, RiskPoint, Study, Talk)
from fengqing.rectify.models import Measure, Problem
from tests import factories as f

from .conftest import result, value

pytestmark = pytest.mark.django_db
H1 = "2023H1"
E = D(2023, 6, 30)


def staff(u, n, **kw):
    return [f.person(u, **kw) for _ in range(n)]


# -- counts in P -------------------------------------------------------------------------------------------

def test_central_group_study_counts_p_only_and_its_kind(u):
    for day in (D(2023, 1, 1), D(2023, 3, 5), E):  # both ends of P included
        Study.objects.create(unit=u, date=day, kind="党组理论学习中心组", topic="学习")
    Study.objects.create(unit=u, date=D(2022, 12, 31), kind="党组理论学习中心组", topic="上期")
    Study.objects.create(unit=u, date=D(2023, 7, 1), kind="党组理论学习中心组", topic="下期")
    Study.objects.create(unit=u, date=D(2023, 2, 1), kind="党支部集中学习", topic="支部")
    other = f.unit("另一局", "另局")
    Study.objects.create(unit=other, date=D(2023, 2, 1), kind="党组理论学习中心组", topic="别的单位")
    r = result(u, H1, "central_group_study")
    assert (r.value, r.previous, r.year_ago) == (3.0, 1.0, 0.0)  # previous = 2022H2 holds 12/31
    assert value(other, H1, "central_group_study") == 1.0


def test_integrity_topics_needs_party_group_meeting_on_integrity(u):
    Meeting.objects.create(unit=u, date=D(2023, 2, 1), kind="党组会", topic="a", integrity=True)
    Meeting.objects.create(unit=u, date=D(2023, 6, 30), kind="党组会", topic="b", integrity=True)
    Meeting.objects.create(unit=u, date=D(2023, 3, 1), kind="党组会", topic="c", integrity=False)
    Meeting.objects.create(unit=u, date=D(2023, 3, 1), kind="党风廉政建设工作会议", topic="d", integrity=True)
    Meeting.objects.create(unit=u, date=D(2022, 3, 1), kind="党组会", topic="e", integrity=True)
    r = result(u, H1, "integrity_topics")
    assert (r.value, r.year_ago) == (2.0, 1.0)


def test_liaison_count(u):
    for day in (D(2023, 1, 1), D(2023, 4, 1), D(2023, 7, 1)):
        Liaison.objects.create(unit=u, date=day, form="沟通会商", content="x")
    assert value(u, H1, "liaison_count") == 2.0
    assert value(u, "2023H2", "liaison_count") == 1.0


def test_warning_education_counts_the_four_warning_forms(u):
    for form in ("案例通报", "警示教育大会", "观看警示教育片", "参观警示教育基地", "廉政党课", "节假日廉洁提醒",
                 "发放警示教育读本"):
        Education.objects.create(unit=u, date=D(2023, 3, 1), form=form, content="x")
    assert value(u, H1, "warning_education") == 4.0


def test_study_plan_issued_looks_at_year_to_date(u):
    # for 2023H2 the window is [2023-01-01, 2023-12-31]: a plan of January counts
    Document.objects.create(unit=u, date=D(2023, 1, 1), title="2023年学习计划", category="学习计划")
    assert value(u, "2023H2", "study_plan_issued") == 1.0
    assert value(u, "2023Q1", "study_plan_issued") == 1.0
    # last year's plan does not count for 2024; nor does a plan dated after E, nor another category
    Document.objects.create(unit=u, date=D(2024, 7, 1), title="迟到的计划", category="学习计划")
    Document.objects.create(unit=u, date=D(2024, 2, 1), title="工作要点", category="工作要点")
    assert value(u, "2024H1", "study_plan_issued") == 0.0
    r = result(u, "2024H1", "study_plan_issued")
    assert r.year_ago == 1.0  # 2023H1


# -- completion rates ---------------------------------------------------------------------------------------

def test_task_completion(u):
    def task(name, deadline, status, done=None):
        DutyTask.objects.create(unit=u, task=name, deadline=deadline, status=status, done_date=done)

    task("on time", D(2023, 3, 31), "已完成", D(2023, 3, 31))   # done on the deadline: on time
    task("no date", D(2023, 6, 30), "已完成")                    # deadline on E, no 完成日期: on time
    task("late", D(2023, 3, 31), "已完成", D(2023, 4, 1))
    task("open", D(2023, 5, 1), "推进中")
    task("future", D(2023, 7, 1), "未开始")                      # not due at E
    DutyTask.objects.create(unit=u, task="no deadline", status="推进中")
    r = result(u, H1, "task_completion")
    assert r.value == pytest.approx(2 / 4)
    assert r.previous is None  # at 2022-12-31 nothing was due: N/A
    assert value(u, H1, "overdue_tasks") == 1.0  # "open"; "late" is 已完成; "no date" is due on E, not before


def test_rectification_completion_and_overdue_measures_reach_the_unit_through_the_problem(u):
    p = Problem.objects.create(unit=u, code="W1", period="2022H2", aspect="其他", title="问题")
    other = Problem.objects.create(unit=f.unit("另一局", "另局"), code="W1", period="2022H2", aspect="其他",
                                   title="别的单位的问题")

    def measure(problem, text, deadline, status, done=None):
        Measure.objects.create(problem=problem, text=text, deadline=deadline, status=status, done_date=done)

    measure(p, "a", D(2023, 1, 31), "已完成", D(2023, 1, 15))
    measure(p, "b", D(2023, 2, 28), "已完成")
    measure(p, "c", D(2023, 3, 31), "已完成", D(2023, 5, 1))   # late
    measure(p, "d", D(2023, 4, 30), "推进中")                   # overdue
    measure(p, "e", E, "未开始")                                # due on E: counted as due, not overdue
    measure(p, "f", D(2023, 8, 1), "未开始")                    # not due
    measure(other, "x", D(2023, 1, 1), "未开始")
    assert value(u, H1, "rectification_completion") == pytest.approx(2 / 5)
    assert value(u, H1, "overdue_measures") == 1.0  # "d"
    r = result(u, "2023H2", "overdue_measures")
    assert r.value == 3.0 and r.previous == 1.0  # at 2023-12-31 "e" and "f" are overdue too


# -- 三公经费 -----------------------------------------------------------------------------------------------

def expense(u, year, half, spent, budget=100, category="公务接待费"):
    PublicExpense.objects.create(unit=u, year=year, half=half, category=category, budget=Decimal(budget),
                                 spent=Decimal(spent))


def test_public_expense_halves(u):
    expense(u, 2022, "上半年", 40)
    expense(u, 2022, "上半年", 10, category="公务用车运行维护费")
    expense(u, 2023, "上半年", 30)
    expense(u, 2023, "上半年", 15, category="公务用车运行维护费")
    expense(u, 2022, "下半年", 20)
    expense(u, 2023, "下半年", 25)
    assert value(u, H1, "public_expense_change") == pytest.approx((45 - 50) / 50)
    assert value(u, H1, "public_expense_execution") == pytest.approx(45 / 200)
    assert value(u, "2023H2", "public_expense_change") == pytest.approx((25 - 20) / 20)


def test_public_expense_year_uses_annual_rows_else_halves_per_category(u):
    # 2023: 接待费 has a 全年 row (its halves are ignored); 车辆 has only halves, which are summed
    expense(u, 2023, "全年", 90)
    expense(u, 2023, "上半年", 1000)
    expense(u, 2023, "上半年", 10, budget=20, category="公务用车运行维护费")
    expense(u, 2023, "下半年", 12, budget=20, category="公务用车运行维护费")
    # 2022: halves only
    expense(u, 2022, "上半年", 50, budget=60)
    expense(u, 2022, "下半年", 30, budget=60)
    expense(u, 2022, "上半年", 20, budget=30, category="公务用车运行维护费")
    r = result(u, "2023", "public_expense_change")
    assert r.value == pytest.approx(((90 + 22) - (50 + 30 + 20)) / (50 + 30 + 20))
    assert r.previous is None  # 2022 against 2021: no 2021 rows
    assert value(u, "2023", "public_expense_execution") == pytest.approx(112 / (100 + 40))
    assert value(u, "2022", "public_expense_execution") == pytest.approx(100 / 150)


@pytest.mark.parametrize("rows,period", [
    ([(2023, "上半年", 30)], H1),                          # no rows a year earlier
    ([(2022, "上半年", 0), (2023, "上半年", 30)], H1),     # a year earlier spent 0: denominator 0
    ([(2022, "上半年", 30)], H1),                          # no rows in P
    ([(2022, "上半年", 30), (2023, "上半年", 30)], "2023Q1"),  # quarters have no rows
])
def test_public_expense_change_not_applicable(u, rows, period):
    for year, half, spent in rows:
        expense(u, year, half, spent)
    assert value(u, period, "public_expense_change") is None


def test_public_expense_execution_not_applicable(u):
    assert value(u, H1, "public_expense_execution") is None  # no rows
    expense(u, 2023, "上半年", 0, budget=0)
    assert value(u, H1, "public_expense_execution") is None  # budget 0


def test_public_expense_spent_nothing_is_minus_100_percent(u):
    expense(u, 2022, "下半年", 30)
    expense(u, 2023, "下半年", 0)
    assert value(u, "2023H2", "public_expense_change") == -1.0


# -- people at E --------------------------------------------------------------------------------------------

def test_integrity_talk_coverage(u):
    a, b, c = staff(u, 3)
    late_joiner = f.person(u, joined=D(2023, 7, 1))              # not in service at E
    retired = f.person(u, status="退休", status_date=D(2023, 6, 30))  # retired on E: not in service
    leaving = f.person(u, status="调出", status_date=D(2023, 7, 1))  # leaves after E: still in service
    extra = f.person(u, category="编外")
    for p, day, kind in [
        (a, D(2023, 1, 1), "廉洁纪律谈话"), (a, D(2023, 3, 1), "任前廉政谈话"),  # one person, two talks
        (b, E, "任前廉政谈话"),                      # on E: in the window
        (c, D(2022, 12, 31), "廉洁纪律谈话"),        # last year: outside the year to date
        (c, D(2023, 2, 1), "谈心谈话"),              # another kind
        (late_joiner, D(2023, 2, 1), "廉洁纪律谈话"), (retired, D(2023, 2, 1), "廉洁纪律谈话"),
        (leaving, D(2023, 2, 1), "廉洁纪律谈话"), (extra, D(2023, 2, 1), "廉洁纪律谈话"),
    ]:
        Talk.objects.create(unit=u, date=day, subject=p, kind=kind)
    # N = a, b, c, leaving; talked: a, b, leaving
    assert value(u, H1, "integrity_talk_coverage") == pytest.approx(3 / 4)
    # 2023Q1 (E = 3/31): N = a, b, c, leaving, retired (retired only on 6/30); talked by 3/31: a, retired, leaving
    assert value(u, "2023Q1", "integrity_talk_coverage") == pytest.approx(3 / 5)


def test_integrity_talk_coverage_uses_year_to_date_in_the_second_half(u):
    (a,) = staff(u, 1)
    Talk.objects.create(unit=u, date=D(2023, 2, 1), subject=a, kind="廉洁纪律谈话")
    r = result(u, "2023Q3", "integrity_talk_coverage", load_scheme())
    assert (r.value, r.target) == (1.0, 0.75)


def test_serious_cases_and_first_form_share(u):
    people = staff(u, 8)
    staff(u, 2, category="编外")  # not in N
    for p, form, day in [
        (people[0], "第一种形态", D(2023, 1, 5)), (people[1], "第一种形态", D(2023, 2, 5)),
        (people[2], "第一种形态", E), (people[3], "第二种形态", D(2023, 3, 5)),
        (people[4], "第四种形态", D(2023, 4, 5)), (people[5], "第三种形态", D(2022, 12, 31)),
    ]:
        Discipline.objects.create(unit=u, date=day, subject=p, form=form, handling="处理")
    assert value(u, H1, "first_form_share") == pytest.approx(3 / 5)
    assert value(u, H1, "serious_cases_rate") == pytest.approx(2 * 100 / 8)
    assert value(u, H1, "serious_cases") == 2.0
    assert result(u, H1, "serious_cases_rate").previous == pytest.approx(1 * 100 / 8)


def test_four_musts_rate(u):
    p = f.person(u)
    yes = dict(file_reviewed=True, matters_verified=True, opinion_heard=True, petitions_checked=True)
    Promotion.objects.create(unit=u, date=D(2023, 2, 1), subject=p, matter="提拔", **yes)
    Promotion.objects.create(unit=u, date=D(2023, 3, 1), subject=p, matter="进一步使用", **yes)
    Promotion.objects.create(unit=u, date=D(2023, 4, 1), subject=p, matter="提拔",
                             **{**yes, "petitions_checked": False})
    Promotion.objects.create(unit=u, date=D(2023, 4, 1), subject=p, matter="选调")  # not a promotion
    Promotion.objects.create(unit=u, date=D(2022, 4, 1), subject=p, matter="提拔")  # not in P
    assert value(u, H1, "four_musts_rate") == pytest.approx(2 / 3)
    assert value(u, H1, "promotions_unchecked") == 1.0


def test_petitions_substantiated_rate(u):
    staff(u, 4)
    for received, outcome in [(D(2023, 1, 1), "属实"), (D(2023, 6, 30), "部分属实"), (D(2023, 2, 1), "不属实"),
                              (D(2023, 3, 1), "在办"), (D(2023, 3, 1), ""), (D(2023, 7, 1), "属实")]:
        Petition.objects.create(unit=u, received=received, result=outcome)
    assert value(u, H1, "petitions_substantiated_rate") == pytest.approx(2 * 100 / 4)
    assert value(u, H1, "petitions_substantiated") == 2.0


def test_per_hundred_rates_not_applicable_without_staff(u):
    f.person(u, category="编外")
    Petition.objects.create(unit=u, received=D(2023, 1, 1), result="属实")
    assert value(u, H1, "petitions_substantiated_rate") is None
    assert value(u, H1, "serious_cases_rate") is None
    assert value(u, H1, "integrity_talk_coverage") is None


# -- risk points ---------------------------------------------------------------------------------------------

def risk(u, dept, code, reviewed, level="中", controls="措施"):
    RiskPoint.objects.create(unit=u, code=code, department=dept, post="岗位", description="风险", level=level,
                             controls=controls, reviewed=reviewed)


def test_risk_point_coverage_counts_departments_of_both_kinds(u):
    a, b = f.department(u), f.department(u)
    c = f.department(u, kind="下属单位")
    f.department(u, kind="下属单位")
    risk(u, a, "R1", E)                   # reviewed on E: counts
    risk(u, a, "R2", D(2023, 1, 1))
    risk(u, b, "R3", D(2023, 7, 1))       # after E: not yet
    risk(u, c, "R4", D(2020, 5, 1))       # long ago still counts for coverage
    assert value(u, H1, "risk_point_coverage") == pytest.approx(2 / 4)
    assert value(u, "2023H2", "risk_point_coverage") == pytest.approx(3 / 4)


def test_high_risk_controlled(u):
    d = f.department(u)
    risk(u, d, "R1", D(2023, 1, 1), level="高")
    risk(u, d, "R2", D(2023, 1, 1), level="高", controls="")
    risk(u, d, "R3", D(2023, 1, 1), level="高", controls="双人复核")
    risk(u, d, "R4", D(2023, 1, 1), level="中", controls="")
    risk(u, d, "R5", D(2023, 8, 1), level="高", controls="")  # after E
    assert value(u, H1, "high_risk_controlled") == pytest.approx(2 / 3)
    assert value(u, H1, "uncontrolled_high_risks") == 1.0
    assert value(u, "2023H2", "uncontrolled_high_risks") == 2.0


def test_risk_review_recency_window_boundaries(u):
    d = f.department(u)
    risk(u, d, "R1", E)                   # on E: recent
    risk(u, d, "R2", D(2022, 7, 1))       # E − 364 days: recent
    risk(u, d, "R3", D(2022, 6, 30))      # exactly E − 365 days: not recent
    risk(u, d, "R4", D(2021, 1, 1))
    risk(u, d, "R5", D(2023, 7, 1))       # after E: not counted at all
    assert value(u, H1, "risk_review_recency") == pytest.approx(2 / 4)


def test_risk_metrics_not_applicable_without_data(u):
    assert value(u, H1, "risk_point_coverage") is None  # no departments
    d = f.department(u)
    assert value(u, H1, "risk_point_coverage") == 0.0
    risk(u, d, "R1", D(2023, 1, 1), level="低")
    assert value(u, H1, "high_risk_controlled") is None  # no 高 risk point
    assert value(u, "2022H2", "risk_review_recency") is None  # none reviewed by 2022-12-31


# -- 述责述廉 ------------------------------------------------------------------------------------------------

def test_duty_report_coverage(u):
    heads = staff(u, 3, is_dept_head=True)
    gone = f.person(u, is_dept_head=True, status="调出", status_date=D(2023, 5, 1))
    plain = f.person(u)
    for reporter, day in [(heads[0], E), (heads[1], D(2022, 6, 30)), (gone, D(2023, 2, 1)),
                          (plain, D(2023, 2, 1)), (heads[2], D(2023, 7, 1))]:
        DutyReport.objects.create(unit=u, date=day, reporter=reporter)
    # heads in service at E: heads[0..2]; reported in (2022-06-30, 2023-06-30]: heads[0] only
    assert value(u, H1, "duty_report_coverage") == pytest.approx(1 / 3)
    # 2023H2: window (2022-12-31, 2023-12-31]: heads[0] (6/30) and heads[2] (7/1)
    assert value(u, "2023H2", "duty_report_coverage") == pytest.approx(2 / 3)


def test_democratic_rating(u):
    p = f.person(u)
    for day, votes in [(E, (10, 5, 3, 2)), (D(2022, 7, 1), (6, 2, 1, 1)), (D(2022, 6, 30), (0, 0, 0, 50)),
                       (D(2023, 7, 1), (0, 0, 0, 50))]:
        good, fair, avg, poor = votes
        DutyReport.objects.create(unit=u, date=day, reporter=p, good=good, fairly_good=fair, average=avg,
                                  poor=poor)
    assert value(u, H1, "democratic_rating") == pytest.approx((10 + 5 + 6 + 2) / (20 + 10))


def test_democratic_rating_not_applicable(u):
    p = f.person(u)
    assert value(u, H1, "democratic_rating") is None and value(u, H1, "duty_report_coverage") is None
    DutyReport.objects.create(unit=u, date=D(2023, 3, 1), reporter=p)  # no votes recorded
    assert value(u, H1, "democratic_rating") is None


# -- festivals -----------------------------------------------------------------------------------------------

def test_holiday_reminders_windows(u):
    # 2023H1 festivals: 元旦 1/1, 春节 1/22, 清明 4/5, 劳动节 5/1, 端午 6/22
    for day, form in [
        (D(2022, 12, 22), "节假日廉洁提醒"),  # 元旦: exactly 10 days before, in the previous period: counts
        (D(2023, 1, 22), "节假日廉洁提醒"),   # 春节: on the day
        (D(2023, 3, 25), "节假日廉洁提醒"),   # 清明: 11 days before: too early
        (D(2023, 5, 2), "节假日廉洁提醒"),    # 劳动节: a day after: too late
        (D(2023, 6, 20), "案例通报"),          # 端午: another form
    ]:
        Education.objects.create(unit=u, date=day, form=form, content="提醒")
    r = result(u, H1, "holiday_reminders")
    assert r.value == pytest.approx(2 / 5)
    assert r.previous == 0.0  # 2022H2: 中秋 9/10, 国庆 10/1; none reminded (12/22 is for 元旦 2023)


def test_holiday_reminders_all_festivals_of_the_year(u):
    for day in (D(2023, 1, 1), D(2023, 1, 12), D(2023, 4, 1), D(2023, 4, 21), D(2023, 6, 12), D(2023, 9, 29),
                D(2023, 9, 21)):  # 9/21 is within 10 days of both 中秋 (9/29) and 国庆 (10/1)
        Education.objects.create(unit=u, date=day, form="节假日廉洁提醒", content="提醒")
    assert value(u, "2023", "holiday_reminders") == 1.0
    assert value(u, "2023Q3", "holiday_reminders") == 1.0  # only 中秋 9/29


def test_holiday_reminders_not_applicable_without_festival(u):
    Education.objects.create(unit=u, date=D(2025, 9, 1), form="节假日廉洁提醒", content="提醒")
    assert value(u, "2025Q3", "holiday_reminders") is None


# -- an empty unit -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("metric_id", sorted(METRICS))
def test_empty_unit_counts_zero_and_rates_not_applicable(u, metric_id):
    # holiday_reminders' denominator is the festivals in P, not records: without reminders it is 0
    zero = METRICS[metric_id].kind in (COUNT, FLAG) or metric_id == "holiday_reminders"
    assert value(u, H1, metric_id) == (0.0 if zero else None)
