"""Sections 三 and 四 (DESIGN §6): the period's problems include those registered for its sub-periods, and 四
reports every measure of other periods still not done at E, naming the overdue ones; the overdue count is
the indicator's. Fixtures and expected texts by hand."""

import pytest

from fengqing.assess.engine import assess_unit
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from fengqing.report.document import Heading, block_runs, walk
from fengqing.report.rectification import period_codes
from fengqing.rectify.models import Measure, Problem
from fengqing.report.runs import plain
from tests.factories import D, unit

Y2023 = parse_period("2023")


def section(doc, number: str) -> str:
    block = next(b for b in doc.blocks if isinstance(b, Heading) and plain(b.runs).startswith(number))
    return "".join(plain(runs) for b in walk([block]) for runs in block_runs(b))


def problem(u, code, period, aspect="主体责任"):
    return Problem.objects.create(unit=u, code=code, period=period, aspect=aspect, title=f"问题{code}",
                                  description=f"描述{code}。")


def measure(p, text, deadline, status="推进中", done=None):
    return Measure.objects.create(problem=p, text=text, deadline=deadline, status=status, done_date=done)


@pytest.mark.parametrize("code,expected", [
    ("2023", {"2023", "2023H1", "2023H2", "2023Q1", "2023Q2", "2023Q3", "2023Q4"}),
    ("2023H2", {"2023H2", "2023Q3", "2023Q4"}),
    ("2023Q2", {"2023Q2"}),
])
def test_period_codes_are_the_period_and_its_sub_periods(code, expected):
    assert set(period_codes(parse_period(code))) == expected


@pytest.fixture
def register(db):
    u = unit()
    a = problem(u, "A", "2023H1")
    measure(a, "措施A1", D(2023, 9, 30))                                     # overdue at 2023-12-31
    measure(a, "措施A2", D(2023, 6, 30), "已完成", D(2023, 6, 20))           # done
    measure(a, "措施A3", D(2023, 10, 31), "已完成", D(2024, 1, 15))          # done only after E: overdue at E
    b = problem(u, "B", "2023Q4", "纪律作风")
    measure(b, "措施B1", D(2024, 3, 31))                                     # not due yet
    c = problem(u, "C", "2022H2")
    measure(c, "措施C1", D(2023, 3, 31))                                     # overdue
    measure(c, "措施C2", D(2024, 6, 30), "未开始")                           # outstanding, not due
    measure(c, "措施C3", D(2023, 2, 28), "已完成", D(2023, 1, 10))           # done
    d = problem(u, "D", "2022")
    measure(d, "措施D1", D(2022, 12, 31), "已完成", D(2022, 12, 1))          # done
    g = problem(u, "G", "2021H2", "权力制约")
    measure(g, "措施G1", D(2022, 6, 30))                                     # overdue, an older period's
    f = problem(u, "F", "2024H1")                                            # later: not this report's
    measure(f, "措施F1", D(2024, 5, 31))
    return u


def test_a_year_lists_the_problems_of_its_halves_and_quarters(register):
    three = section(build_report(register, Y2023), "三、")
    assert "问题A。" in three and "问题B。" in three
    assert not any(f"问题{c}" in three for c in "CDFG")
    assert "未登记问题" not in three


def test_measures_of_the_period_and_every_outstanding_earlier_measure(register):
    doc = build_report(register, Y2023)
    four = section(doc, "四、")
    assert "措施A1（完成时限：2023年9月30日，已逾期）" in four
    assert "措施A2（完成时限：2023年6月30日，已完成）" in four
    assert "措施A3（完成时限：2023年10月31日，已逾期）" in four  # finished in 2024: open at 2023-12-31
    assert "2024年" not in four.replace("完成时限：2024年", "")  # no later completion date is printed
    assert "措施B1（完成时限：2024年3月31日，正在推进）" in four
    # previous period 2022 with its sub-periods: problems C (2022H2) and D (2022), measures C1–C3 and D1
    assert "2022年度查摆问题2个，制定整改措施4项，截至2023年12月31日，已完成2项，正在推进1项，逾期未完成1项。" in four
    # C1, C2 and G1 (2021H2) are not done; C1 and G1 are overdue
    assert "截至2023年12月31日，其他期间问题尚有3项整改措施未完成，其中逾期未完成2项。" \
           "1．措施G1（2021年下半年问题“问题G”，完成时限：2022年6月30日，已逾期）。" \
           "2．措施C1（2022年下半年问题“问题C”，完成时限：2023年3月31日，已逾期）。" \
           "3．措施C2（2022年下半年问题“问题C”，完成时限：2024年6月30日，未开始）。" in four
    assert "措施C3" not in four and "措施D1" not in four and "措施F1" not in four
    assert "其他期间问题整改措施落实情况。2022年度查摆问题" in four  # a run-in heading ends with 。
    # A1, A3, C1 and G1, as the indicator counts them at the end date
    assert "截至2023年12月31日，逾期未完成整改措施共4项。" in four
    assert assess_unit(register, Y2023).indicator("overdue_measures").value == 4
    overdue = next(f for f in doc.facts if f["id"] == "rectify.overdue")
    assert sorted(overdue["records"]) == sorted(f"measure:{m.pk}" for m in Measure.objects.filter(
        text__in=("措施A1", "措施A3", "措施C1", "措施G1")))
    assert "亦无" not in four


def test_nothing_of_the_period_but_an_overdue_earlier_measure(db):
    u = unit()
    measure(problem(u, "C", "2022H2"), "措施C1", D(2023, 3, 31))
    doc = build_report(u, Y2023)
    # nothing registered, but the red indicator of the on-time rate drafts its problem, naming the measure
    assert "（四）问题整改方面1．整改措施未能按期完成。已到完成时限的整改措施按期完成率为0.0%，低于100.0%的要求，" \
           "整改落实不够有力。未按期完成的措施有：“措施C1”（完成时限：2023年3月31日）。（问题来源：指标预警）" \
           in section(doc, "三、")
    four = section(doc, "四、")
    assert "措施C1（2022年下半年问题“问题C”，完成时限：2023年3月31日，已逾期）" in four
    assert "2022年度查摆问题1个，制定整改措施1项，截至2023年12月31日，逾期未完成1项。" in four
    assert "亦无" not in four


def test_nothing_outstanding_anywhere(db):
    u = unit()
    measure(problem(u, "C", "2022H2"), "措施C1", D(2023, 3, 31), "已完成", D(2023, 3, 1))
    measure(problem(u, "E", "2021H1"), "措施E1", D(2021, 9, 30), "已完成", D(2021, 9, 1))
    four = section(build_report(u, Y2023), "四、")
    assert "2022年度查摆问题1个，制定整改措施1项，截至2023年12月31日，已全部完成。" in four
    assert "截至2023年12月31日，其他期间问题的整改措施均已完成。" in four  # E1 is not the previous period's
    assert "逾期" not in four and "措施" not in four.replace("整改措施", "")


@pytest.mark.parametrize("on, late, early", [
    # 成文日期 at the period's end: neither is finished yet; the first is past its deadline
    (D(2023, 6, 30), "已逾期", "正在推进"),
    # before both were finished (7 July): the same, as of 5 July
    (D(2023, 7, 5), "已逾期", "正在推进"),
    # after: both finished; the first after its deadline of 15 June
    (D(2023, 7, 20), "已于2023年7月10日完成，超过完成时限", "已完成"),
])
def test_every_status_is_as_of_the_cut_off_date(db, on, late, early):
    u = unit()
    p = problem(u, "A", "2023H1", "纪律作风")
    measure(p, "措施甲", D(2023, 6, 15), "已完成", D(2023, 7, 10))
    measure(p, "措施乙", D(2023, 8, 31), "已完成", D(2023, 7, 10))
    doc = build_report(u, parse_period("2023H1"), on=on)
    four = section(doc, "四、")
    assert f"措施甲（完成时限：2023年6月15日，{late}）" in four
    assert f"措施乙（完成时限：2023年8月31日，{early}）" in four
    overdue = next(f for f in doc.facts if f["id"] == "measure.overdue")["value"]
    assert overdue == (0 if on >= D(2023, 7, 10) else 1)
    stamp = f"截至{on.year}年{on.month}月{on.day}日，逾期未完成整改措施共1项。"
    assert (stamp in four) == (on < D(2023, 7, 10))


@pytest.mark.parametrize("owner, printed", [
    ("李四", "李四"),                  # a name stays
    ("P90001", "王五"),                # a 工号 becomes the name
    ("P90001、李四", "王五、李四"),    # several, in either form
    ("P90001 / P90002", "王五 / 赵六"),
    ("P99999", "P99999"),              # not one of the unit's people: printed as recorded
])
def test_people_are_named_never_by_staff_number(db, owner, printed):
    from fengqing.report.api import build_report as build
    from fengqing.report.redact import redact
    from tests.factories import person

    u = unit()
    person(u, "王五", staff_no="P90001")
    person(u, "赵六", staff_no="P90002")
    Measure.objects.create(problem=problem(u, "A", "2023H1"), text="措施甲", owner=owner, deadline=D(2023, 9, 30),
                           status="推进中")
    doc = build(u, parse_period("2023H1"))
    assert f"措施甲（责任人：{printed}，完成时限：2023年9月30日，正在推进）" in section(doc, "四、")
    assert "措施甲（责任人：***，完成时限：2023年，正在推进）" in section(redact(doc, u), "四、")
