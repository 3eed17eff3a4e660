"""Scheme files: the built-ins, and every kind of mistake reported with its key path, one line each."""

import copy

import pytest
import yaml

from fengqing.assess.catalogue import METRICS
from fengqing.assess.schemes import BUILTIN, load_scheme
from fengqing.errors import SchemeError

VALID = {
    "id": "my-scheme",
    "name": "我的方案",
    "grades": [{"min": 90, "name": "好"}, {"min": 80, "name": "较好"}, {"min": 60, "name": "一般"},
               {"min": 0, "name": "较差"}],
    "lights": {"green": 80, "yellow": 60},
    "caps": [{"indicator": "democratic_rating", "below": 0.9, "grade_at_most": "一般"}],
    "dimensions": [
        {"name": "政治建设", "weight": 40, "indicators": [
            {"id": "central_group_study", "target": 12, "floor": 0, "per": "year"}]},
        {"name": "权力制约", "weight": 60, "indicators": [
            {"id": "democratic_rating", "target": 0.9, "floor": 0.7, "weight": 2,
             "suggest": {"title": "{name}偏低", "description": "{period}为{value}"}},
            {"id": "risk_point_coverage", "target": 1, "floor": 0.5}]},
    ],
}


def write(tmp_path, data, name="scheme.yaml"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def problems(tmp_path, data) -> list[str]:
    with pytest.raises(SchemeError) as info:
        load_scheme(write(tmp_path, data))
    return info.value.lines()


def mutated(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


def test_builtins_load_by_default_and_by_id():
    default = load_scheme()
    assert default.id == "fengqing-default-v1" and default is load_scheme("fengqing-default-v1")
    assert [(d.name, d.weight) for d in default.dimensions] == [
        ("政治建设", 20), ("主体责任", 25), ("纪律作风", 30), ("权力制约", 15), ("问题整改", 10)]
    assert len(default.metric_ids) == 21
    deduction = load_scheme("fengqing-deduction-v1")
    assert deduction.style == "deduction" and (deduction.lights.green, deduction.lights.yellow) == (95, 90)
    assert set(BUILTIN) == {"fengqing-default-v1", "fengqing-deduction-v1"}


def test_default_scheme_targets_and_floors_match_design():
    expected = {  # DESIGN §5's table: (t, f, per)
        "central_group_study": (12, 0, "year"), "study_plan_issued": (1, 0, None),
        "integrity_topics": (4, 0, "year"), "task_completion": (1, 0.6, None), "liaison_count": (4, 0, "year"),
        "public_expense_change": (0, 0.10, None), "public_expense_execution": (1.0, 1.2, None),
        "integrity_talk_coverage": (1.0, 0, "ytd"), "warning_education": (4, 0, "year"),
        "holiday_reminders": (1, 0, None), "first_form_share": (0.60, 0.30, None),
        "serious_cases_rate": (0, 3, None), "four_musts_rate": (1, 0.8, None),
        "petitions_substantiated_rate": (0, 2, None), "risk_point_coverage": (1, 0.5, None),
        "high_risk_controlled": (1, 0.8, None), "risk_review_recency": (1, 0.5, None),
        "duty_report_coverage": (1, 0.5, None), "democratic_rating": (0.90, 0.70, None),
        "rectification_completion": (1, 0.6, None), "overdue_measures": (0, 5, None),
    }
    got = {spec.id: (spec.target, spec.floor, spec.per) for _, spec in load_scheme().indicators()}
    assert got == expected
    dims = {spec.id: d.name for d, spec in load_scheme().indicators()}
    assert all(dims[m] == METRICS[m].dimension for m in dims)


def test_valid_file_loads(tmp_path):
    s = load_scheme(write(tmp_path, VALID))
    assert (s.id, s.metric_ids) == ("my-scheme", ["central_group_study", "democratic_rating", "risk_point_coverage"])
    assert s.dimensions[1].aspect == "权力制约" and s.dimensions[1].indicators[0].suggest.title == "{name}偏低"


@pytest.mark.parametrize("change,expected", [
    (lambda d: d["dimensions"][1]["indicators"][1].update(id="risk_coverage"),
     "dimensions[1].indicators[1].id：未知的指标“risk_coverage”，是否应为“risk_point_coverage”"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(id="no_such_thing"),
     "dimensions[0].indicators[0].id：未知的指标“no_such_thing”（指标目录见 docs/assessment.md）"),
    (lambda d: d["dimensions"][1].update(weight=-5), "dimensions[1].weight：权重不能为负数（现为 -5）"),
    (lambda d: d["dimensions"][1]["indicators"][0].update(weight=-1),
     "dimensions[1].indicators[0].weight：权重不能为负数（现为 -1）"),
    (lambda d: d["dimensions"][0].update(weight=0), "dimensions[0].weight：权重必须大于 0"),
    (lambda d: d["dimensions"][0].pop("weight"), "dimensions[0].weight：缺少此项"),
    (lambda d: d["dimensions"][0].update(weight="二十"), "dimensions[0].weight：权重应为数字（现为“二十”）"),
    (lambda d: d["dimensions"][1]["indicators"][1].update(target=0.5),
     "dimensions[1].indicators[1].target：目标值与底线值相同（均为 0.5），无法计分"),
    (lambda d: d["dimensions"][1]["indicators"][1].pop("floor"), "dimensions[1].indicators[1].floor：缺少此项"),
    (lambda d: d.update(colour="红"), "colour：未知的键（可用的键：base、caps、dimensions、grades、id、lights、name、"
                                      "style、suggest_lights、suggestion）"),
    (lambda d: d["dimensions"][0].update(wieght=3), "dimensions[0].wieght：未知的键，是否应为“weight”"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(targte=3),
     "dimensions[0].indicators[0].targte：未知的键，是否应为“target”"),
    (lambda d: d["dimensions"][0]["indicators"][0].update(per="month"),
     "dimensions[0].indicators[0].per：应为 year（按年折算）或 ytd（年初至期末），现为“month”"),
    (lambda d: d["dimensions"][1]["indicators"].append({"id": "central_group_study", "target": 1, "floor": 0}),
     "dimensions[1].indicators[2].id：指标“central_group_study”重复（已出现在 dimensions[0].indicators[0].id）"),
    (lambda d: d["dimensions"][1].update(name="政治建设"), "dimensions[1].name：维度名称“政治建设”重复"),
    (lambda d: d["dimensions"][1].update(indicators=[]), "dimensions[1].indicators：应为非空列表"),
    (lambda d: d.pop("dimensions"), "dimensions：缺少此项"),
    (lambda d: d.update(style="points"), "style：应为 linear（按目标值与底线值计分）或 deduction（扣分制），现为“points”"),
    (lambda d: d.update(base=100), "base：只有扣分制（style: deduction）方案才有起始分 base"),
    (lambda d: d["dimensions"][0].update(aspect="思想"),
     "dimensions[0].aspect：问题方面应为政治建设、主体责任、纪律作风、权力制约、问题整改、其他之一（现为“思想”）"),
])
def test_each_mistake_is_named_with_its_key_path(tmp_path, change, expected):
    lines = problems(tmp_path, mutated(change))
    assert lines == [f"指标方案 {tmp_path / 'scheme.yaml'}：{expected}"]


@pytest.mark.parametrize("grades,expected", [
    ([{"min": 80, "name": "好"}, {"min": 90, "name": "较好"}, {"min": 0, "name": "差"}],
     "grades[1].min：等级应从高到低排列，下限须小于上一等级的 80"),
    ([{"min": 90, "name": "好"}, {"min": 60, "name": "一般"}], "grades[1].min：最后一个等级的下限应为 0，否则低分没有等级"),
    ([{"min": 120, "name": "好"}, {"min": 0, "name": "差"}], "grades[0].min：下限应在 0 到 100 之间（现为 120）"),
    ([{"min": 90, "name": "好"}, {"min": 0, "name": "好"}], "grades[1].name：等级名称“好”重复"),
    ([{"min": 90}, {"min": 0, "name": "差"}], "grades[0].name：缺少此项"),
    ([], "grades：应为非空列表"),
    ("好", "grades：应为非空列表"),
])
def test_bad_grade_bands(tmp_path, grades, expected):
    data = mutated(lambda d: d.update(grades=grades, caps=[]))
    assert problems(tmp_path, data) == [f"指标方案 {tmp_path / 'scheme.yaml'}：{expected}"]


@pytest.mark.parametrize("change,expected", [
    (lambda d: d.update(lights={"green": 60, "yellow": 80}), "lights.green：绿灯分数线（60）应高于黄灯分数线（80）"),
    (lambda d: d.update(lights={"green": 80}), "lights.yellow：缺少此项"),
    (lambda d: d["caps"][0].update(indicator="four_musts_rate"), "caps[0].indicator：本方案的指标中没有“four_musts_rate”"),
    (lambda d: d["caps"][0].update(grade_at_most="中"), "caps[0].grade_at_most：“中”不是本方案的等级（好、较好、一般、较差）"),
    (lambda d: d["caps"][0].pop("below"), "caps[0]：应给出 below（低于）或 above（高于）二者之一"),
    (lambda d: d["dimensions"][1]["indicators"][0]["suggest"].update(title="{indicator}偏低"),
     "dimensions[1].indicators[0].suggest.title：模板中的“{indicator}”无法替换"
     "（可用：unit、period、name、value、target、floor、score、previous、year_ago）"),
    (lambda d: d["dimensions"][1]["indicators"][0]["suggest"].update(description="{value:.1f}"),
     "dimensions[1].indicators[0].suggest.description：模板中的占位符只能写作 {name} 这样的形式，不能带格式说明"),
    (lambda d: d["dimensions"][1]["indicators"][0]["suggest"].update(title="{name"),
     "dimensions[1].indicators[0].suggest.title：模板中的花括号不成对（要写花括号本身请写 {{ 或 }}）"),
    (lambda d: d["dimensions"][1]["indicators"][0]["suggest"].update(direction="针对{gap}整改"),
     "dimensions[1].indicators[0].suggest.direction：模板中的“{gap}”无法替换"
     "（可用：unit、period、name、value、target、floor、score、previous、year_ago）"),
    (lambda d: d.update(suggest_lights=["yellow"]), "suggest_lights：应为 [red] 或 [red, yellow]（红灯总要提示问题），现为“['yellow']”"),
    (lambda d: d.update(suggest_lights="red"), "suggest_lights：应为 [red] 或 [red, yellow]（红灯总要提示问题），现为“red”"),
])
def test_lights_caps_and_templates(tmp_path, change, expected):
    assert problems(tmp_path, mutated(change)) == [f"指标方案 {tmp_path / 'scheme.yaml'}：{expected}"]


def test_deduction_style_checks(tmp_path):
    data = {"id": "d", "name": "扣分", "style": "deduction", "grades": VALID["grades"],
            "lights": {"green": 95, "yellow": 90},
            "dimensions": [{"name": "纪律作风", "indicators": [
                {"id": "serious_cases", "deduct": 2, "max": 20},
                {"id": "four_musts_rate", "deduct": 1, "max": 5},
                {"id": "overdue_measures", "deduct": -1, "max": 5},
                {"id": "overdue_tasks", "deduct": 1, "target": 3}]}]}
    prefix = f"指标方案 {tmp_path / 'scheme.yaml'}："
    assert problems(tmp_path, data) == [prefix + p for p in [
        "dimensions[0].indicators[1].id：扣分制只能使用计数类指标，“four_musts_rate”（“凡提四必”执行率）不是计数",
        "dimensions[0].indicators[2].deduct：每次扣分不能为负数（现为 -1）",
        "dimensions[0].indicators[3].target：未知的键（可用的键：deduct、id、max、suggest）",
        "dimensions[0].indicators[3].max：缺少此项",
    ]]


def test_all_mistakes_are_reported_together(tmp_path):
    def change(d):
        d["dimensions"][0]["weight"] = -1
        d["dimensions"][1]["indicators"][1]["id"] = "nope"
        d["lights"]["green"] = 50
    assert len(problems(tmp_path, mutated(change))) == 3


def test_not_a_mapping_and_bad_yaml(tmp_path):
    path = tmp_path / "scheme.yaml"
    assert problems(tmp_path, "- 一\n- 二\n") == [f"指标方案 {path}：应为“键: 值”形式的映射"]
    [line] = problems(tmp_path, "id: x\nname: [未闭合\n")
    assert line.startswith(f"指标方案 {path}：第 3 行第 1 列：不是有效的 YAML")
    assert problems(tmp_path, "id: a\nname: b\nid: c\n") == [f"指标方案 {path}：第 3 行第 1 列：键“id”重复"]


def test_missing_file(tmp_path):
    with pytest.raises(SchemeError) as info:
        load_scheme(tmp_path / "nope.yaml")
    assert info.value.lines() == [f"找不到指标方案文件“{tmp_path / 'nope.yaml'}”"
                                  "（内置方案：fengqing-default-v1、fengqing-deduction-v1）"]


@pytest.mark.parametrize("text,expected", [
    (".inf", "dimensions[0].indicators[0].target：目标值应为有限的数字（现为“inf”）"),
    ("-.inf", "dimensions[0].indicators[0].target：目标值应为有限的数字（现为“-inf”）"),
    (".nan", "dimensions[0].indicators[0].target：目标值应为有限的数字（现为“nan”）"),
])
def test_infinite_and_nan_numbers_are_refused(tmp_path, text, expected):
    # YAML reads .inf and .nan as floats: an infinite target would print Infinity in `score --json`
    # (not JSON), and NaN slips past every comparison
    yaml_text = yaml.safe_dump(VALID, allow_unicode=True).replace("target: 12", f"target: {text}", 1)
    assert yaml.safe_load(yaml_text)["dimensions"][0]["indicators"][0]["target"] != 12
    assert problems(tmp_path, yaml_text) == [f"指标方案 {tmp_path / 'scheme.yaml'}：{expected}"]


@pytest.mark.parametrize("change,expected", [
    (lambda d: d["dimensions"][1].update(weight=float("inf")), "dimensions[1].weight：权重应为有限的数字（现为“inf”）"),
    (lambda d: d["lights"].update(green=float("nan")), "lights.green：分数线应为有限的数字（现为“nan”）"),
    (lambda d: d["caps"][0].update(below=float("nan")), "caps[0].below：数值应为有限的数字（现为“nan”）"),
    (lambda d: d["grades"][1].update(min=float("-inf")), "grades[1].min：下限应为有限的数字（现为“-inf”）"),
    (lambda d: d["dimensions"][0].update(weight=10 ** 400), f"dimensions[0].weight：权重应为有限的数字（现为“{10 ** 400}”）"),
])
def test_infinite_and_nan_anywhere(tmp_path, change, expected):
    assert problems(tmp_path, mutated(change)) == [f"指标方案 {tmp_path / 'scheme.yaml'}：{expected}"]
