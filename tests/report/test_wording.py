"""One honest-wording rule (DESIGN §6): a sentence reporting a figure with an indicator is worded by its light —
green positively, yellow neutrally, red stating the shortfall; the 导语 never lists a shortfall as work done."""

from __future__ import annotations

import pytest

from fengqing.ledger.models import Education, RiskPoint
from fengqing.periods import parse_period
from fengqing.report.api import build_report
from fengqing.report.runs import plain
from tests.factories import D, department, unit

from .test_facts import section_two
from .test_problems import promotions

H1 = parse_period("2023H1")


@pytest.mark.parametrize("checked, lacking, expected", [
    # green: all checked (均 only of more than one)
    (5, 0, "注重干部培养。上半年提拔和进一步使用干部5人，均严格执行“凡提四必”。"),
    (1, 0, "注重干部培养。上半年提拔和进一步使用干部1人，严格执行“凡提四必”。"),
    # yellow: 12 of 13 = 92.3%, 61.5 points
    (12, 1, "规范干部选任。上半年提拔和进一步使用干部13人，其中12人完整执行“凡提四必”，执行率92.3%。"),
    # red: 4 of 5 = 80%, the floor: 0 points
    (4, 1, "干部选任把关不够严格。上半年提拔和进一步使用干部5人，仅4人完整执行“凡提四必”，执行率80.0%，1人未完整执行。"),
    (0, 2, "干部选任把关不够严格。上半年提拔和进一步使用干部2人，均未完整执行“凡提四必”。"),
])
def test_promotions_by_the_light_of_four_musts(db, checked, lacking, expected):
    u = unit()
    promotions(u, checked, {f"缺{i}": {"petitions_checked": False} for i in range(lacking)})
    assert expected in section_two(build_report(u, H1))


@pytest.mark.parametrize("controls, expected", [
    (("甲", "乙"), "强化内部控制。现有廉政风险点2个，其中高风险2个，高风险点均已制定防控措施。"),
    (("甲", "", ""), "内部控制仍有薄弱环节。现有廉政风险点3个，其中高风险3个，仅1个高风险点已制定防控措施，2个尚未制定。"),
])
def test_high_risk_points_by_their_light(db, controls, expected):
    u = unit()
    d = department(u, "财务科")
    for i, c in enumerate(controls):
        RiskPoint.objects.create(unit=u, code=f"R{i}", department=d, post=f"岗位{i}", description="资金", level="高",
                                 controls=c, reviewed=D(2022, 12, 1))
    assert expected in section_two(build_report(u, H1))


@pytest.mark.parametrize("n, lead, intro", [
    # the default target: 4 a year, 2 a half year; floor 0. 2 → 100 points, green; 1 → 50 points, red
    (2, "加强廉政教育。上半年开展警示教育2次（召开警示教育大会2次）。", "开展警示教育2次"),
    (1, "廉政教育还不够经常。上半年开展警示教育1次（召开警示教育大会1次）。", None),
])
def test_warning_education_in_the_intro_only_when_not_red(db, n, lead, intro):
    u = unit()
    for i in range(n):
        Education.objects.create(unit=u, date=D(2023, 3, 1 + i), form="警示教育大会", content="大会", coverage=0)
    doc = build_report(u, H1)
    assert lead in section_two(doc)
    opening = plain(doc.blocks[0].runs)
    assert (intro in opening) if intro else ("警示教育" not in opening)


def test_language_rules(db):
    """均 only of more than one; documents not issued are not 印发; the risk-control manual under 权力制约; one
    word (人次) for counts of people; a run-in heading ends with 。."""
    from fengqing.ledger.models import Document, DutyTask, Talk
    from tests.factories import person

    u = unit()
    Document.objects.create(unit=u, date=D(2023, 2, 1), category="其他", title="水务局廉政风险防控手册（2023年版）")
    Document.objects.create(unit=u, date=D(2023, 2, 2), category="其他", title="2022年度工作总结")
    DutyTask.objects.create(unit=u, task="修订制度", deadline=D(2023, 3, 31), status="已完成", done_date=D(2023, 3, 1))
    p = person(u, "孙八")
    Talk.objects.create(unit=u, date=D(2023, 3, 2), subject=p, kind="廉洁纪律谈话", talker="书记")
    two = section_two(build_report(u, H1))
    assert "已到完成时限的责任分工任务1项，已按期完成。" in two
    assert "形成《2022年度工作总结》等文件。" in two and "印发" not in two
    duty, power = two.split("（三）")[0], two.split("（四）")[1]
    assert "风险防控手册" not in duty
    assert "制定完善《水务局廉政风险防控手册（2023年版）》，强化权力运行制约和监督。" in power
    assert "开展廉洁纪律谈话1人次。" in two and "人（次）" not in two


def test_petitions_are_counted_by_outcome_without_names(db):
    from fengqing.ledger.models import Petition

    u = unit()
    for i, result in enumerate(("属实", "不属实", "不属实", "在办")):
        Petition.objects.create(unit=u, received=D(2023, 2, 1 + i), number=f"X{i}", subject="钱某某", result=result)
    Petition.objects.create(unit=u, received=D(2023, 7, 1), number="X9", subject="钱某某", result="属实")  # H2
    two = section_two(build_report(u, H1))
    assert "上半年收到信访举报4件，其中经查属实1件、不属实2件、正在办理1件。" in two
    assert "钱某某" not in two


def test_the_category_behind_a_large_change_of_public_expenses_is_named(db):
    from decimal import Decimal

    from fengqing.ledger.models import PublicExpense, Study

    u = unit()
    Study.objects.create(unit=u, date=D(2022, 3, 1), kind="党支部集中学习", topic="学习")
    rows = {2022: {"公务接待费": "4", "公务用车运行维护费": "6"}, 2023: {"公务接待费": "9", "公务用车运行维护费": "6.5"}}
    for year, spent in rows.items():
        for category, amount in spent.items():
            PublicExpense.objects.create(unit=u, year=year, half="上半年", category=category, budget=Decimal("20"),
                                         spent=Decimal(amount))
    # 10 → 15.5: +55.0%; 接待 +5 of the +5.5 (more than half of it)
    two = section_two(build_report(u, H1))
    assert "支出较上年同期增长55.0%，主要是公务接待费增长5.00万元，增幅偏大" in two
