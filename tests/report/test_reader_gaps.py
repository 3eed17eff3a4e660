"""Gaps a discipline-inspection reader found walking issue 8 on an independent workbook: which high-risk points
lack measures (one post holds several), before which festivals no reminder was given, talk and 述责述廉 sentences
worded by their lights, a subsection of 二 without records, a previous period's measure done late, a change
after sign-off listed once. Expected texts worked out by hand."""

from __future__ import annotations


import pytest
from django.contrib.auth.models import User

from fengqing.analysis.figures import FactInput, StatedText, figure_findings
from fengqing.ledger.models import DutyReport, Education, RiskPoint, Study, Talk
from fengqing.periods import parse_period
from fengqing.rectify.models import Measure
from fengqing.report import signoff
from fengqing.report.api import build_report
from tests.factories import D, department, person, unit

from .test_facts import section_two
from .test_rectification import measure, problem, section

H1, H2 = parse_period("2023H1"), parse_period("2023H2")


def test_high_risk_points_without_measures_are_named_by_post_and_code(db):
    u = unit()
    office = department(u, "办公室")
    for code, controls in (("B2", ""), ("B1", ""), ("B3", "双人复核")):  # two points of one post lack measures
        RiskPoint.objects.create(unit=u, code=code, department=office, post="出纳", description="资金", level="高",
                                 controls=controls, reviewed=D(2023, 2, 1))
    # 1 of 3 controlled: 33.3%, red; listed by 编号
    assert "尚未制定防控措施的高风险点2个：办公室出纳岗位（B1）；办公室出纳岗位（B2）。" in section(build_report(u, H1), "三、")


def test_the_festivals_without_a_reminder_are_named(db):
    u = unit()
    # 2023H1's festivals: 元旦 1 Jan, 春节 22 Jan, 清明 5 Apr, 劳动节 1 May, 端午 22 Jun; a reminder counts in the
    # ten days before the day and on it: 12 Jan is 10 days before 春节 (counts), 10 Apr is after 清明 (does not)
    for day in (D(2023, 1, 12), D(2023, 4, 10)):
        Education.objects.create(unit=u, date=day, form="节假日廉洁提醒", content="提醒", coverage=0)
    three = section(build_report(u, H1), "三、")
    # 1 of 5: 20.0%, score 20, red
    assert ("节假日廉洁提醒不到位。2023年上半年重要节日前的廉洁提醒覆盖率为20.0%，“节日腐败”防线有待筑牢。"
            "元旦、清明、劳动节、端午前10日内均未开展廉洁提醒。（问题来源：指标预警）") in three


def _staff_talked(u, talked: int, staff: int = 10):
    people = [person(u) for _ in range(staff)]
    for p in people[:talked]:
        Talk.objects.create(unit=u, date=D(2023, 3, 1), subject=p, kind="廉洁纪律谈话", talker="书记")


@pytest.mark.parametrize("talked, lead", [
    # coverage of 10 staff against 50% by mid-year (floor 0): 4 → 80 points, green; 3 → 60, yellow; 2 → 40, red
    (4, "坚持抓早抓小，上半年开展廉洁纪律谈话4人次。"),
    (3, "建设。上半年开展廉洁纪律谈话3人次。"),
    (2, "廉洁谈话覆盖面还不够广，上半年开展廉洁纪律谈话2人次。"),
])
def test_talks_are_worded_by_the_light_of_talk_coverage(db, talked, lead):
    u = unit()
    _staff_talked(u, talked)
    two = section_two(build_report(u, H1))
    assert lead in two
    if talked != 4:
        assert "抓早抓小" not in two


@pytest.mark.parametrize("reported, votes, expected", [
    # 2 heads, both reported: 100%, green; 19 of 20 votes positive: 95%, green
    (2, (15, 4, 1), "督促责任落实。组织2名科室（下属单位）主要负责人述责述廉；开展民主测评，“好”和“较好”票占95.0%。"),
    # 1 of 2 heads: 50%, the floor, red; 3 of 4 positive: 75%, (75 − 70) / 20 → 25 points, red
    (1, (2, 1, 1), "述责述廉还未做到全覆盖。组织1名科室（下属单位）主要负责人述责述廉；开展民主测评，“好”和“较好”票占75.0%，"
                   "干部职工认可度有待提高。"),
])
def test_duty_reports_are_worded_by_their_lights(db, reported, votes, expected):
    u = unit()
    heads = [person(u, is_dept_head=True) for _ in range(2)]
    good, fairly_good, average = votes
    for i, head in enumerate(heads[:reported]):
        DutyReport.objects.create(unit=u, date=D(2023, 5, 1), reporter=head, good=good if i == 0 else 0,
                                  fairly_good=fairly_good if i == 0 else 0, average=average if i == 0 else 0)
    assert expected in section_two(build_report(u, H1))


def test_a_subsection_without_records_says_so(db):
    u = unit()
    Study.objects.create(unit=u, date=D(2023, 3, 1), kind="党组理论学习中心组", topic="党章")
    two = section_two(build_report(u, H1))
    assert "（三）坚持挺纪在前，持续加强纪律作风建设。上半年未见廉政教育、谈话提醒、执纪问责、干部选任等方面的工作记录。" in two
    assert "上半年未见理论学习" not in two  # (一) has its study


def test_a_previous_periods_measure_done_late_is_said_to_be(db):
    u = unit()
    p = problem(u, "P1", "2023H1")
    measure(p, "按期完成的措施", D(2023, 5, 31), "已完成", D(2023, 5, 20))
    measure(p, "逾期完成的措施", D(2023, 6, 30), "已完成", D(2023, 7, 10))
    four = section(build_report(u, H2), "四、")
    assert "2023年上半年查摆问题1个，制定整改措施2项，截至2023年12月31日，已全部完成，其中1项逾期完成。" in four
    Measure.objects.filter(text="按期完成的措施").delete()
    four = section(build_report(u, H2), "四、")
    assert "2023年上半年查摆问题1个，制定整改措施1项，截至2023年12月31日，已全部完成，系逾期完成。" in four


def test_a_change_after_sign_off_that_two_facts_state_alike_is_listed_once(db):
    u = unit()
    p = problem(u, "P1", "2023H1")
    late = measure(p, "逾期的措施", D(2023, 5, 31))  # overdue at 30 June
    leader = User.objects.create(username="lead")
    signed = signoff.sign(u, H1, leader, "lead", "测试")
    late.status, late.done_date = "已完成", D(2023, 6, 10)
    late.save()
    texts = [(d.signed, d.now) for d in signoff.differences(signed, build_report(u, H1, on=signed.date))]
    # the indicator's and the register's count of overdue measures read alike: said once
    assert texts.count(("逾期未完成整改措施1项", "逾期未完成整改措施0项")) == 1
    assert len(texts) == len(set(texts))


def test_the_reader_matches_figures_rounded_half_up():
    facts = [FactInput("duty_report.satisfaction", "“好”和“较好”票占", 0.9125, kind="ratio"),
             FactInput("expense.spent", "实际支出", 2.345, "万元", kind="money")]

    def found(text: str) -> list[str]:
        return [f.message for f in figure_findings([StatedText("t", "报告", text)], facts)]

    # 91.25% is 91.3% and 2.345 is 2.35 rounded half up (half to even would give 91.2% and 2.34)
    assert found("“好”和“较好”票占91.3%，实际支出2.35万元。") == []
    assert found("“好”和“较好”票占91.2%，实际支出2.34万元。") == [
        "报告称““好”和“较好”票占91.2%”，台账记录为“好”和“较好”票占91.3%", "报告称“实际支出2.34万元”，台账记录为实际支出2.35万元"]


def test_a_fact_only_one_version_computed_is_a_difference_only_when_not_zero(db):
    u = unit()
    signed = signoff.sign(u, H1, User.objects.create(username="lead"), "lead", "测试")
    now = build_report(u, H1, on=signed.date)
    assert signoff.differences(signed, now) == []
    # a later version of fengqing counts more: its zero is not stated anywhere, its non-zero figure is
    now.facts += [{"id": "new.zero", "text": "新数据项0项", "value": 0, "records": []},
                  {"id": "new.two", "text": "新数据项2项", "value": 2, "records": []}]
    assert [(d.fact, d.signed, d.now) for d in signoff.differences(signed, now)] == [("new.two", "", "新数据项2项")]


def test_tasks_due_of_earlier_years_are_said_to_be_included(db):
    from fengqing.ledger.models import DutyTask

    u = unit()
    for i, deadline in enumerate((D(2022, 10, 31), D(2022, 11, 30), D(2023, 4, 30))):
        DutyTask.objects.create(unit=u, task=f"任务{i}", deadline=deadline, status="已完成", done_date=deadline)
    # 2023's tasks: 1; due by 30 June 2023: 3, all on time
    assert ("2023年度分解党风廉政建设任务1项。截至2023年6月30日，已到完成时限的责任分工任务（含以往年度任务）3项，"
            "均按期完成。") in section_two(build_report(u, H1))
