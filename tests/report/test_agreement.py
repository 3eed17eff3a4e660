"""The report states no figure that disagrees with the same-named indicator of the assessment: the figures
both compute come from one definition (DESIGN §5, §6). Fixtures and expected values by hand."""

from decimal import Decimal

import pytest

from fengqing.ledger import models as L
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from tests.factories import D, unit

from .test_facts import section_two

Y2023 = parse_period("2023")
RECEPTION, CAR = "公务接待费", "公务用车运行维护费"


def _expense(u, year, half, category, budget, spent):
    return L.PublicExpense.objects.create(unit=u, year=year, half=half, category=category,
                                          budget=Decimal(budget), spent=Decimal(spent)).pk


def test_year_expenses_are_matched_per_category_as_by_the_indicator(db):
    u = unit()
    # 2023: 接待 has a 全年 row, so its halves are not added; 用车 has only halves, so they are
    matched_now = [_expense(u, 2023, "全年", RECEPTION, "20", "12"),
                   _expense(u, 2023, "上半年", CAR, "10", "3"), _expense(u, 2023, "下半年", CAR, "10", "6")]
    _expense(u, 2023, "上半年", RECEPTION, "10", "5")
    _expense(u, 2023, "下半年", RECEPTION, "10", "6")
    # 2022: the other way round
    matched_before = [_expense(u, 2022, "上半年", RECEPTION, "10", "6"),
                      _expense(u, 2022, "下半年", RECEPTION, "10", "4"), _expense(u, 2022, "全年", CAR, "20", "15")]
    # 2022 has regular work in both halves: compared
    L.Meeting.objects.create(unit=u, date=D(2022, 5, 1), kind="党组会", topic="部署")
    L.Meeting.objects.create(unit=u, date=D(2022, 11, 1), kind="党组会", topic="部署")
    doc = build_report(u, Y2023, appendix=True)
    # spent 12 + 3 + 6 = 21 of a budget 20 + 10 + 10 = 40: 52.5%; a year earlier 6 + 4 + 15 = 25: −16.0%
    assert "全年“三公”经费预算40.00万元，实际支出21.00万元，预算执行率52.5%，支出较上年下降16.0%" \
        in section_two(doc)
    facts = {f["id"]: f for f in doc.facts}
    assert sorted(facts["expense.spent"]["records"]) == sorted(f"publicexpense:{pk}" for pk in matched_now)
    assert sorted(facts["expense.spent.year_ago"]["records"]) == \
        sorted(f"publicexpense:{pk}" for pk in matched_before)
    indicators = {i["id"]: i for i in doc.assessment["indicators"]}
    assert indicators["public_expense_change"]["value"] == pytest.approx(-0.16)
    assert indicators["public_expense_execution"]["value"] == pytest.approx(0.525)
    assert facts["expense.execution"]["value"] == pytest.approx(0.525)


def _task(u, name, deadline, status, done=None):
    return L.DutyTask.objects.create(unit=u, task=name, deadline=deadline, status=status, done_date=done).pk


def test_task_completion_counts_every_task_due_by_the_end_date(db, h1):
    u = unit()
    due = [_task(u, "上年未完成任务", D(2022, 11, 30), "推进中"),
           _task(u, "按期完成任务", D(2023, 3, 31), "已完成", D(2023, 3, 30)),
           _task(u, "逾期完成任务", D(2023, 5, 31), "已完成", D(2023, 6, 10))]
    _task(u, "未到期任务", D(2023, 9, 30), "推进中")
    doc = build_report(u, h1, appendix=True)
    # due by 2023-06-30: 3 (one of them from 2022); on time: 1 → 33.3%, as the indicator
    assert "2023年度分解党风廉政建设任务3项。" in section_two(doc)
    assert "截至2023年6月30日，已到完成时限的责任分工任务3项，按期完成1项，按期完成率33.3%，部分任务推进滞后。" in section_two(doc)
    facts = {f["id"]: f for f in doc.facts}
    assert sorted(facts["task.due"]["records"]) == sorted(f"dutytask:{pk}" for pk in due)
    indicators = {i["id"]: i for i in doc.assessment["indicators"]}
    assert indicators["task_completion"]["value"] == pytest.approx(1 / 3)
    assert facts["task.completion"]["value"] == round(1 / 3, 9) == round(indicators["task_completion"]["value"], 9)
