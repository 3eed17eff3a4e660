import json
import os
import subprocess
import sys
from datetime import date as D
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from fengqing.accounts.models import AuditEntry
from fengqing.ledger.models import DutyReport, Study
from fengqing.rectify.models import Problem
from tests import factories as f

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def fails(*args) -> list[str]:
    err = StringIO()
    with pytest.raises(SystemExit) as info:
        call_command(*args, stdout=StringIO(), stderr=err)
    assert info.value.code == 2
    return err.getvalue().splitlines()


@pytest.fixture
def two_units(db):
    a, b = f.unit("甲市水务局", "甲局", code="A01"), f.unit("乙市水务局", "乙局")
    for day in (D(2023, 1, 3), D(2023, 2, 3), D(2023, 3, 3)):
        Study.objects.create(unit=a, date=day, kind="党组理论学习中心组", topic="t")
    head = f.person(b, is_dept_head=True)
    DutyReport.objects.create(unit=b, date=D(2023, 1, 5), reporter=head, good=17, fairly_good=0, average=3)
    return a, b


def test_score_table(two_units):
    text = run("score", "--unit", "甲局", "--period", "2023H1")
    lines = text.splitlines()
    assert lines[0] == "甲市水务局　2023年上半年研判评估"
    assert lines[1] == "指标方案：风清默认指标体系（第1版）（fengqing-default-v1）"
    # by hand: 政治建设 (3/6 → 50, plan 0) = 25; 主体责任 0; 纪律作风 0 (two counts at 0); 问题整改 100
    # total (20·25 + 10·100)/85 = 17.647…
    assert lines[2].startswith("总分 17.6，等级 较差，数据完整度 ")
    row = next(line for line in lines if "党组理论学习中心组学习次数" in line).split()
    assert row == ["政治建设", "党组理论学习中心组学习次数", "3", "6", "0", "50.0", "红", "0", "0"]
    row = next(line for line in lines if "责任分工任务按期完成率" in line).split()
    assert row == ["主体责任", "责任分工任务按期完成率", "—", "100.0%", "60.0%", "—", "—", "—", "—"]


def test_score_table_shows_ratios_as_percentages(two_units):
    text = run("score", "--unit", "乙市水务局", "--period", "2023H1")
    # 乙: rating 17/20 = 0.85 < 0.90; duty report coverage 1/1: 权力制约 (75 + 100)/2 = 87.5
    row = next(line for line in text.splitlines() if "民主测评满意率" in line).split()
    assert row[2:6] == ["85.0%", "90.0%", "70.0%", "75.0"]


def test_score_json_is_the_design_object(two_units):
    data = json.loads(run("score", "--unit", "A01", "--period", "2023H1", "--json"))
    assert (data["unit"], data["period"], data["scheme"], data["grade"]) == ("甲市水务局", "2023H1",
                                                                             "fengqing-default-v1", "较差")
    assert data["total"] == pytest.approx((20 * 25 + 10 * 100) / 85, abs=1e-9)
    study = data["indicators"][0]
    assert study == {"id": "central_group_study", "name": "党组理论学习中心组学习次数", "dimension": "政治建设",
                     "value": 3.0, "target": 6.0, "floor": 0.0, "score": 50.0, "light": "red", "previous": 0.0,
                     "year_ago": 0.0}


def test_score_all_units_ranks(two_units):
    data = json.loads(run("score", "--all-units", "--period", "2023H1", "--json"))
    assert [d["unit"] for d in data] == ["乙市水务局", "甲市水务局"]
    assert data[0]["total"] > data[1]["total"]
    text = run("score", "--all-units", "--period", "2023H1", "--unit", "甲局")
    lines = text.splitlines()
    assert lines[0] == "全部单位2023年上半年研判评估排名（风清默认指标体系（第1版），共 2 个单位）"
    assert lines[1].split()[:5] == ["排名", "单位", "总分", "等级", "完整度"]
    assert lines[3].split()[:2] == ["1", "乙市水务局"]
    assert lines[4].split()[:3] == ["2", "甲市水务局（本单位）", "17.6"]


def test_score_with_scheme_file(two_units, tmp_path):
    scheme = {"id": "mini", "name": "迷你方案", "grades": [{"min": 50, "name": "合格"}, {"min": 0, "name": "不合格"}],
              "lights": {"green": 80, "yellow": 60},
              "dimensions": [{"name": "学习", "weight": 1, "indicators": [
                  {"id": "central_group_study", "target": 4, "floor": 0, "per": "year"}]}]}
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(scheme, allow_unicode=True), encoding="utf-8")
    data = json.loads(run("score", "--unit", "甲局", "--period", "2023Q1", "--json", "--scheme", str(path)))
    # 3 studies in Q1 against 4 × 3/12 = 1: full marks
    assert (data["scheme"], data["total"], data["grade"], data["dimensions"]) == ("mini", 100.0, "合格",
                                                                                 {"学习": 100.0})
    data = json.loads(run("score", "--unit", "甲局", "--period", "2023H1", "--json",
                          "--scheme", "fengqing-deduction-v1"))
    assert data["scheme"] == "fengqing-deduction-v1" and data["total"] == 100.0


def test_score_errors(two_units, tmp_path):
    assert fails("score", "--period", "2023H1") == ["错误：请用 --unit 指定单位，或用 --all-units 评估全部单位"]
    assert fails("score", "--unit", "甲局", "--period", "2023H3")[0].startswith("错误：期间“2023H3”无法识别")
    assert fails("score", "--unit", "丙局", "--period", "2023H1")[0].startswith("错误：找不到单位“丙局”")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: y\ngrades: []\nlights: {green: 80, yellow: 60}\ndimensions:\n"
                   "  - {name: A, weight: -1, indicators: [{id: nope, target: 1, floor: 1}]}\n", encoding="utf-8")
    assert fails("score", "--unit", "甲局", "--period", "2023H1", "--scheme", str(bad)) == [
        f"错误：指标方案 {bad}：grades：应为非空列表",
        f"错误：指标方案 {bad}：dimensions[0].weight：权重不能为负数（现为 -1）",
        f"错误：指标方案 {bad}：dimensions[0].indicators[0].id：未知的指标“nope”（指标目录见 docs/assessment.md）",
        f"错误：指标方案 {bad}：dimensions[0].indicators[0].target：目标值与底线值相同（均为 1），无法计分",
    ]


def test_bad_scheme_from_the_console_script_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: y\ncolour: red\n", encoding="utf-8")
    env = {**os.environ, "FENGQING_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "fengqing.cli", "score", "--unit", "x", "--period", "2023H1",
                           "--scheme", str(bad)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"错误：指标方案 {bad}：colour：未知的键（可用的键：base、caps、dimensions、grades、id、lights、name、style、"
        "suggest_lights、suggestion）",
        f"错误：指标方案 {bad}：dimensions：缺少此项",
        f"错误：指标方案 {bad}：grades：缺少此项",
        f"错误：指标方案 {bad}：lights：缺少此项",
    ]


def test_suggest_without_a_red_indicator_says_so_and_adds_nothing(two_units, tmp_path):
    scheme = {"id": "mini", "name": "迷你方案", "grades": [{"min": 0, "name": "合格"}],
              "lights": {"green": 80, "yellow": 60},
              "dimensions": [{"name": "学习", "weight": 1, "indicators": [
                  {"id": "central_group_study", "target": 4, "floor": 0, "per": "year"}]}]}
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(scheme, allow_unicode=True), encoding="utf-8")
    # 3 studies in Q1 against a pro-rated target of 1: green, the scheme's only indicator
    text = run("suggest", "--unit", "甲局", "--period", "2023Q1", "--scheme", str(path), "--accept")
    assert text.splitlines() == ["甲市水务局2023年第一季度没有红灯指标，无建议问题。"]
    assert not Problem.objects.exists()


def test_suggest_prints_and_accepts_idempotently(two_units):
    a, _ = two_units
    text = run("suggest", "--unit", "甲局", "--period", "2023H1")
    assert "YJ-2023H1-study_plan_issued　【政治建设】未制定年度学习计划" in text.splitlines()
    assert not Problem.objects.exists()
    text = run("suggest", "--unit", "甲局", "--period", "2023H1", "--accept")
    red = Problem.objects.filter(unit=a, source="指标预警", period="2023H1")
    # 甲's red indicators: central_group_study (50), study_plan_issued, integrity_topics, liaison_count,
    # warning_education, holiday_reminders (all 0)
    assert red.count() == 6
    assert text.splitlines()[-1] == "已加入问题清单 6 个；此前已加入的 0 个未重复加入。"
    again = run("suggest", "--unit", "甲局", "--period", "2023H1", "--accept")
    assert again.splitlines()[-1] == "已加入问题清单 0 个；此前已加入的 6 个未重复加入。"
    assert red.count() == 6
    assert AuditEntry.objects.filter(model="问题", action="新增").count() == 6


def test_score_all_units_without_units():
    assert run("score", "--all-units", "--period", "2023H1") == "没有单位可以评估。\n"
    assert json.loads(run("score", "--all-units", "--period", "2023H1", "--json")) == []


def test_an_infinite_target_is_refused_not_printed_as_infinity(two_units, tmp_path):
    path = tmp_path / "inf.yaml"
    path.write_text("id: x\nname: 无穷\ngrades: [{min: 0, name: 差}]\nlights: {green: 80, yellow: 60}\n"
                    "dimensions: [{name: A, weight: 1, indicators: [{id: liaison_count, target: .inf, floor: 0}]}]\n",
                    encoding="utf-8")
    lines = fails("score", "--unit", "A01", "--period", "2023H1", "--json", "--scheme", str(path))
    assert lines == [f"错误：指标方案 {path}：dimensions[0].indicators[0].target：目标值应为有限的数字（现为“inf”）"]
