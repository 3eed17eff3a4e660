from datetime import date as D

import pytest

from fengqing.accounts.models import AuditEntry
from fengqing.assess.engine import assess_unit
from fengqing.assess.schemes import load_scheme
from fengqing.assess.suggest import accept_suggestions, suggestions
from fengqing.ledger.models import Study
from fengqing.rectify.models import Problem
from tests import factories as f

from .conftest import scheme_of

pytestmark = pytest.mark.django_db


def test_each_red_indicator_suggests_a_problem_from_its_template(u):
    Study.objects.create(unit=u, date=D(2023, 2, 1), kind="党组理论学习中心组", topic="t")
    found = {s.indicator: s for s in suggestions(assess_unit(u, "2023H1"))}
    # red on the empty-ish unit: the counts at 0 or low; overdue_measures (0) is green; N/A has no light
    assert set(found) == {"central_group_study", "study_plan_issued", "integrity_topics", "liaison_count",
                          "warning_education", "holiday_reminders"}
    s = found["central_group_study"]
    assert (s.code, s.aspect, s.title) == ("YJ-2023H1-central_group_study", "政治建设", "党组理论学习中心组学习不够经常")
    assert s.description == ("2023年上半年党组理论学习中心组学习1次，低于6次的要求，理论武装的经常性、系统性有待加强。")
    assert found["holiday_reminders"].description.startswith("2023年上半年重要节日前的廉洁提醒覆盖率为0.0%，")


def test_yellow_and_green_suggest_nothing(u):
    for month in range(1, 6):  # 5 of 6: score 83.3, green
        Study.objects.create(unit=u, date=D(2023, month, 1), kind="党组理论学习中心组", topic="t")
    scheme = scheme_of("central_group_study")
    assert suggestions(assess_unit(u, "2023H1", scheme)) == []


def test_scheme_default_template_and_aspect(u):
    scheme = scheme_of("liaison_count", "democratic_rating")  # dimension 测试 is not an aspect: 其他
    (s,) = suggestions(assess_unit(u, "2023H1", scheme))
    assert (s.indicator, s.aspect, s.title) == ("liaison_count", "其他", "与派驻纪检监察组会商通报次数未达到要求")
    assert s.description == "2023年上半年与派驻纪检监察组会商通报次数为0次，目标为1次，得分0.0。"


def test_deduction_scheme_suggestions(u):
    from fengqing.rectify.models import Measure
    p = Problem.objects.create(unit=u, code="P1", period="2022H2", aspect="其他", title="t")
    for i in range(11):
        Measure.objects.create(problem=p, text=f"m{i}", deadline=D(2023, 1, 1), status="推进中")
    (s,) = suggestions(assess_unit(u, "2023H1", load_scheme("fengqing-deduction-v1")))
    assert (s.indicator, s.aspect) == ("overdue_measures", "问题整改")
    assert s.description == "截至2023年上半年末，逾期未完成的整改措施有11项，需明确责任、限期销号。"


def test_accept_is_idempotent_and_audited(u):
    assert accept_suggestions(u, "2023H1", only=["liaison_count"], actor="张三", via="网页") == 1
    problem = Problem.objects.get(unit=u)
    assert (problem.code, problem.period, problem.aspect, problem.source, problem.title) == (
        "YJ-2023H1-liaison_count", "2023H1", "主体责任", "指标预警", "与派驻纪检监察组会商通报不够经常")
    assert accept_suggestions(u, "2023H1") == 5  # the other five red ones
    assert accept_suggestions(u, "2023H1") == 0
    assert Problem.objects.filter(unit=u).count() == 6
    entry = AuditEntry.objects.filter(actor="张三").get()
    assert (entry.via, entry.action, entry.unit_id) == ("网页", "新增", u.pk)


def test_accept_keeps_an_edited_problem(u):
    accept_suggestions(u, "2023H1", only=["liaison_count"])
    Problem.objects.filter(unit=u).update(title="改过的标题")
    assert accept_suggestions(u, "2023H1", only=["liaison_count"]) == 0
    assert Problem.objects.get(unit=u).title == "改过的标题"
    other = f.unit("另一局", "另局")
    assert accept_suggestions(other, "2023H1", only=["liaison_count"]) == 1  # the code is per unit
