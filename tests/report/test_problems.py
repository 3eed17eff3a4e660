"""三、存在的问题 drafts one problem for every flagged indicator, naming the records behind the gap, and does not
repeat one the register covers; 四 gives each problem its measures or its indicator's 整改方向 (DESIGN §6)."""

from __future__ import annotations

import pytest
import yaml

from fengqing.assess import schemes
from fengqing.ledger.models import Promotion, RiskPoint
from fengqing.periods import parse_period
from fengqing.rectify.models import Measure, Problem
from fengqing.report.api import build_report
from tests.factories import D, department, person, unit

from .test_rectification import section

H1 = parse_period("2023H1")
DEFAULT = f"{schemes.__path__[0]}/fengqing-default-v1.yaml"
ALL = dict(file_reviewed=True, matters_verified=True, opinion_heard=True, petitions_checked=True)


def promotions(u, checked: int, missing: dict[str, dict]):
    """``checked`` promotions with all four checks, then one per name in ``missing`` with those checks False."""
    for _ in range(checked):
        Promotion.objects.create(unit=u, date=D(2023, 3, 1), subject=person(u), matter="提拔", **ALL)
    for name, lacking in missing.items():
        Promotion.objects.create(unit=u, date=D(2023, 4, 1), subject=person(u, name), matter="进一步使用",
                                 **{**ALL, **lacking})


@pytest.fixture
def flagged(db):
    """四 of 5 promotions fully checked (80%: 0 points, red); 1 of 3 high-risk points without measures (66.7%, red)."""
    u = unit()
    promotions(u, 4, {"赵六": {"matters_verified": False, "petitions_checked": False}})
    finance = department(u, "财务科")
    for code, post, controls in (("F1", "出纳", ""), ("F2", "会计", "双人复核"), ("F3", "采购", "集体决策")):
        RiskPoint.objects.create(unit=u, code=code, department=finance, post=post, description="资金", level="高",
                                 controls=controls, reviewed=D(2023, 2, 1))
    return u


def test_red_indicators_draft_their_problems_with_the_records_behind_the_gap(flagged):
    doc = build_report(flagged, H1)
    three, four = section(doc, "三、"), section(doc, "四、")
    assert ("“凡提四必”执行不严格。2023年上半年干部提拔和进一步使用中“凡提四必”执行率为80.0%，选人用人把关不够"
            "严格。其中，赵六（进一步使用）未落实个人事项必核、信访举报必查。（问题来源：指标预警）") in three
    assert ("高风险点防控措施未全部落实。截至2023年上半年末，高等级廉政风险点防控措施落实率为66.7%，部分高风险岗位"
            "缺少防控措施。尚未制定防控措施的高风险点1个：财务科出纳岗位（F1）。（问题来源：指标预警）") in three
    # 四: no measures yet, so the default scheme's direction for each indicator
    assert ("针对“‘凡提四必’执行不严格”的问题，严格执行“凡提四必”，干部提拔和进一步使用前逐人落实档案审核、"
            "有关事项核查、征求纪检监察机构意见和信访核查。") in four
    assert "针对“高风险点防控措施未全部落实”的问题，对尚无防控措施的高风险点逐一制定防控措施，明确责任岗位和监督方式。" in four
    # the drafted problems sit under their 方面, as the register's do
    assert three.index("（三）纪律作风方面") < three.index("“凡提四必”执行不严格") < three.index("（四）权力制约方面")


def test_a_problem_the_register_covers_is_not_repeated(flagged):
    # accepted through `fengqing suggest` (its code), with a measure: said once, with its measure in 四
    p = Problem.objects.create(unit=flagged, code="YJ-2023H1-four_musts_rate", period="2023H1", aspect="纪律作风",
                               title="“凡提四必”执行不严格", description="“凡提四必”执行不严格", source="指标预警")
    Measure.objects.create(problem=p, text="补齐赵六的两项审核", deadline=D(2023, 9, 30), status="推进中")
    # registered by hand from an indicator warning under 权力制约: covers that aspect's indicators
    Problem.objects.create(unit=flagged, code="Q1", period="2023Q2", aspect="权力制约", title="风险防控有短板",
                           description="部分高风险岗位防控措施缺位。", source="指标预警")
    doc = build_report(flagged, H1)
    three, four = section(doc, "三、"), section(doc, "四、")
    assert three.count("“凡提四必”执行不严格") == 1  # title and equal description: said once
    assert "1．“凡提四必”执行不严格。（问题来源：指标预警）" in three
    assert "高风险点防控措施未全部落实" not in three and "风险防控有短板。部分高风险岗位防控措施缺位。" in three
    assert "补齐赵六的两项审核（完成时限：2023年9月30日，正在推进）" in four
    assert "针对“风险防控有短板”的问题" not in four and "“风险防控有短板”问题尚未制定整改措施。" in four


def scheme_with(tmp_path, **top) -> str:
    data = yaml.safe_load(open(DEFAULT, encoding="utf-8"))
    data.update(top)
    path = tmp_path / "scheme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return str(path)


def test_yellow_indicators_draft_a_problem_only_where_the_scheme_says_so(db, tmp_path):
    u = unit()
    # 12 of 13 fully checked: 92.3%, scored (0.923 - 0.8) / 0.2 = 61.5 points: yellow
    promotions(u, 12, {"钱七": {"opinion_heard": False}})
    assert "“凡提四必”执行不严格" not in section(build_report(u, H1), "三、")
    three = section(build_report(u, H1, scheme=scheme_with(tmp_path, suggest_lights=["red", "yellow"])), "三、")
    assert "执行率为92.3%，选人用人把关不够严格。其中，钱七（进一步使用）未落实纪检意见必听。" in three


def test_nothing_flagged_and_nothing_registered_is_said_as_a_writer_would(db, tmp_path):
    u = unit()
    # a scheme in which no indicator can be red: every floor lies beyond any value (a score never below 60)
    data = yaml.safe_load(open(DEFAULT, encoding="utf-8"))
    data["lights"] = {"green": 1, "yellow": 0}
    path = tmp_path / "calm.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    doc = build_report(u, H1, scheme=str(path))
    assert section(doc, "三、") == "三、存在的问题经对照各项研判指标和问题台账，2023年上半年未发现需要专门整改的突出问题。"
    assert section(doc, "四、") == "四、整改方向2023年上半年无需新制定整改措施，以往各期问题也没有待落实的整改措施。"


def test_the_appendix_says_why_a_grade_was_capped(db, tmp_path):
    from fengqing.ledger.models import DutyReport
    from fengqing.report.render import markdown

    u = unit()
    # 8 of 10 votes 好 or 较好: 80%, below the cap's 90%; any total of 1 or more is 好 in this scheme
    DutyReport.objects.create(unit=u, date=D(2023, 5, 1), reporter=person(u), good=5, fairly_good=3, average=2)
    data = yaml.safe_load(open(DEFAULT, encoding="utf-8"))
    data["grades"] = [{"min": 1, "name": "好"}, {"min": 0, "name": "较差"}]
    data["caps"] = [{"indicator": "democratic_rating", "below": 0.9, "grade_at_most": "较差"}]
    path = tmp_path / "capped.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    text = markdown.render(build_report(u, H1, scheme=str(path), appendix=True)).decode("utf-8")
    assert "分，等次为“较差”（民主测评满意率低于90%，等次由好降为较差），数据完整度" in text


def test_a_long_gap_names_five_records_and_counts_the_rest(db):
    u = unit()
    promotions(u, 0, {f"人员{c}": {"opinion_heard": False} for c in "甲乙丙丁戊己庚"})  # 7, none fully checked
    three = section(build_report(u, H1), "三、")
    named = "；".join(f"人员{c}（进一步使用）未落实纪检意见必听" for c in "甲乙丙丁戊")
    assert f"其中，{named}等7人。" in three and "人员己" not in three
