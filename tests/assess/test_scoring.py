"""Scoring without a database: hand-made values through ``scoring.score``; expected numbers by hand."""

import pytest

from fengqing.assess.schemes import load_scheme
from fengqing.assess.schemes.validate import parse_scheme
from fengqing.assess.scoring import linear_score, score
from fengqing.periods import parse_period

H1 = parse_period("2023H1")
GRADES = [{"min": 90, "name": "好"}, {"min": 80, "name": "较好"}, {"min": 60, "name": "一般"},
          {"min": 0, "name": "较差"}]


def scheme(dimensions, **extra):
    return parse_scheme({"id": "t", "name": "测试", "grades": GRADES, "lights": {"green": 80, "yellow": 60},
                         "dimensions": dimensions, **extra}, "测试")


def run(s, current, period=H1):
    """Score with the same values in the comparison periods (they do not enter the scores)."""
    return score(s, period, [current, current, current])


@pytest.mark.parametrize("v,t,f,expected", [
    (3, 6, 0, 50.0), (6, 6, 0, 100.0), (9, 6, 0, 100.0), (0, 6, 0, 0.0),
    (0.8, 1, 0.6, 50.0), (0.5, 1, 0.6, 0.0),
    # less is better (t < f): 三公 change t=0, f=0.10
    (0.05, 0, 0.10, 50.0), (-0.2, 0, 0.10, 100.0), (0.10, 0, 0.10, 0.0), (0.3, 0, 0.10, 0.0),
    (1.1, 1.0, 1.2, 50.0),
])
def test_linear_score(v, t, f, expected):
    assert linear_score(v, t, f) == pytest.approx(expected)


def test_linear_score_not_applicable():
    assert linear_score(None, 1, 0) is None


@pytest.mark.parametrize("code,per_year,ytd", [
    ("2023H1", 6.0, 0.5), ("2023H2", 6.0, 1.0), ("2023Q1", 3.0, 0.25), ("2023Q3", 3.0, 0.75), ("2023", 12.0, 1.0),
])
def test_pro_rating_of_the_default_scheme(code, per_year, ytd):
    p = parse_period(code)
    specs = {spec.id: spec for _, spec in load_scheme().indicators()}
    assert specs["central_group_study"].target_for(p) == per_year
    assert specs["integrity_topics"].target_for(p) == per_year / 3  # 4 a year
    assert specs["integrity_talk_coverage"].target_for(p) == ytd
    assert specs["task_completion"].target_for(p) == 1.0  # not pro-rated


def test_pro_rating_scales_a_floor_too():
    s = scheme([{"name": "A", "weight": 1, "indicators": [
        {"id": "liaison_count", "target": 8, "floor": 2, "per": "year"}]}])
    r = run(s, {"liaison_count": 2.0}, parse_period("2023Q2")).indicators[0]
    # target 8 × 3/12 = 2, floor 2 × 3/12 = 0.5: (2 − 0.5) / (2 − 0.5) = 1
    assert (r.target, r.floor, r.score) == (2.0, 0.5, 100.0)


def test_dimension_total_completeness_with_weights_and_not_applicable():
    s = scheme([
        {"name": "A", "weight": 30, "indicators": [
            {"id": "central_group_study", "target": 10, "floor": 0},              # 5 → 50
            {"id": "liaison_count", "target": 10, "floor": 0, "weight": 3},       # 8 → 80
            {"id": "task_completion", "target": 1, "floor": 0.6}]},              # N/A
        {"name": "B", "weight": 10, "indicators": [
            {"id": "democratic_rating", "target": 0.9, "floor": 0.7}]},           # 0.75 → 25
        {"name": "C", "weight": 60, "indicators": [
            {"id": "first_form_share", "target": 0.6, "floor": 0.3}]},            # N/A: C has no value
    ])
    out = run(s, {"central_group_study": 5.0, "liaison_count": 8.0, "task_completion": None,
                  "democratic_rating": 0.75, "first_form_share": None})
    dim_a = (1 * 50 + 3 * 80) / (1 + 3)                       # 72.5: N/A left out, weights 1 and 3
    assert out.dimensions == {"A": pytest.approx(dim_a), "B": pytest.approx(25.0), "C": None}
    assert out.total == pytest.approx((30 * dim_a + 10 * 25) / (30 + 10))  # 60.625
    # effective weights: A's three indicators 30×1/5, 30×3/5, 30×1/5; B 10; C 60
    assert out.completeness == pytest.approx((6 + 18 + 10) / 100)
    assert out.grade == "一般"
    assert [i.weight for i in out.indicators] == pytest.approx([6, 18, 6, 10, 60])


def test_total_and_grade_null_when_no_dimension_has_a_value():
    s = scheme([{"name": "A", "weight": 1, "indicators": [{"id": "task_completion", "target": 1, "floor": 0}]}])
    out = run(s, {"task_completion": None})
    assert (out.total, out.grade, out.completeness, out.dimensions) == (None, None, 0.0, {"A": None})
    assert out.indicators[0].light is None


@pytest.mark.parametrize("v,light", [(0.8, "green"), (0.7999, "yellow"), (0.6, "yellow"), (0.5999, "red")])
def test_light_boundaries(v, light):
    s = scheme([{"name": "A", "weight": 1, "indicators": [{"id": "task_completion", "target": 1, "floor": 0}]}])
    assert run(s, {"task_completion": v}).indicators[0].light == light


@pytest.mark.parametrize("v,grade", [(0.9, "好"), (0.8999, "较好"), (0.8, "较好"), (0.6, "一般"), (0.5999, "较差")])
def test_grade_boundaries(v, grade):
    s = scheme([{"name": "A", "weight": 1, "indicators": [{"id": "task_completion", "target": 1, "floor": 0}]}])
    assert run(s, {"task_completion": v}).grade == grade


CAPPED = [{"name": "A", "weight": 9, "indicators": [{"id": "liaison_count", "target": 1, "floor": 0}]},
          {"name": "B", "weight": 1, "indicators": [{"id": "democratic_rating", "target": 0.9, "floor": 0.7}]}]


@pytest.mark.parametrize("rating,total,grade,capped", [
    (0.89, 9 * 100 / 10 + 95 / 10, "一般", [("democratic_rating", "好")]),  # 99.5 好 → capped to 一般
    (0.90, 100.0, "好", []),            # at the cap's bound: not below it
    (None, 100.0, "好", []),            # N/A: no cap (B leaves the total)
])
def test_cap_on_democratic_rating(rating, total, grade, capped):
    s = scheme(CAPPED, caps=[{"indicator": "democratic_rating", "below": 0.9, "grade_at_most": "一般"}])
    out = run(s, {"liaison_count": 5.0, "democratic_rating": rating})
    assert out.total == pytest.approx(total)
    assert (out.grade, out.capped) == (grade, capped)


def test_cap_does_not_raise_a_lower_grade():
    s = scheme(CAPPED, caps=[{"indicator": "democratic_rating", "below": 0.9, "grade_at_most": "一般"}])
    out = run(s, {"liaison_count": 0.0, "democratic_rating": 0.8})  # total (0 + 50)/10 = 5: 较差
    assert out.total == pytest.approx(5.0) and (out.grade, out.capped) == ("较差", [])


def test_cap_above():
    s = scheme(CAPPED, caps=[{"indicator": "liaison_count", "above": 3, "grade_at_most": "较好"}])
    assert run(s, {"liaison_count": 4.0, "democratic_rating": 0.9}).grade == "较好"
    assert run(s, {"liaison_count": 3.0, "democratic_rating": 0.9}).grade == "好"


def test_default_scheme_cap_matches_design():
    (cap,) = load_scheme().caps
    assert (cap.indicator, cap.below, cap.grade_at_most) == ("democratic_rating", 0.9, "一般")


def test_deduction_scheme():
    s = load_scheme("fengqing-deduction-v1")
    values = {m: 0.0 for m in s.metric_ids}
    values.update(serious_cases=6.0, petitions_substantiated=3.0, overdue_measures=20.0)
    out = run(s, values)
    by_id = {i.id: i for i in out.indicators}
    # serious_cases: 6 × 2 = 12; petitions: 3 × 2 = 6; overdue measures: 20 × 1 = 20, at most 15
    assert [by_id[m].deduction for m in ("serious_cases", "petitions_substantiated", "overdue_measures")] \
        == [12.0, 6.0, 15.0]
    assert out.total == 100 - 33
    assert out.dimensions == {"主体责任": 100.0, "纪律作风": 82.0, "权力制约": 100.0, "问题整改": 85.0}
    assert out.grade == "较差"  # 67: bands 95 / 90 / 80
    # lights green ≥ 95, yellow 90–95, red < 90 on each indicator's 100 − deduction: 88, 94, 85
    assert [by_id[m].light for m in ("serious_cases", "petitions_substantiated", "overdue_measures")] \
        == ["red", "yellow", "red"]
    assert by_id["serious_cases"].floor == 10.0  # the count where its 20-point maximum is reached
    assert out.completeness == 1.0


def test_deduction_total_does_not_go_below_zero():
    s = scheme([{"name": "A", "indicators": [{"id": "serious_cases", "deduct": 30, "max": 80},
                                             {"id": "overdue_measures", "deduct": 50, "max": 50}]}],
               style="deduction")
    out = run(s, {"serious_cases": 5.0, "overdue_measures": 1.0})
    assert out.total == 0.0 and out.dimensions == {"A": 0.0}
    assert [i.score for i in out.indicators] == [20.0, 50.0]


# Scores are rounded (9 decimals) before they meet a light or grade band: in floating point 24/25 scores
# 79.99999999999999 and 41/50 59.99999999999998, though both are exactly at the band.
@pytest.mark.parametrize("metric,numerator,denominator,t,f,score,light,grade", [
    ("four_musts_rate", 24, 25, 1, 0.8, 80.0, "green", "较好"),        # (0.96 − 0.8) / 0.2 = 0.8
    ("democratic_rating", 41, 50, 0.9, 0.7, 60.0, "yellow", "一般"),   # (0.82 − 0.7) / 0.2 = 0.6
    ("democratic_rating", 44, 50, 0.9, 0.7, 90.0, "green", "好"),      # (0.88 − 0.7) / 0.2 = 0.9
    ("risk_point_coverage", 19, 20, 1, 0.5, 90.0, "green", "好"),      # (0.95 − 0.5) / 0.5 = 0.9
    ("four_musts_rate", 23, 25, 1, 0.8, 60.0, "yellow", "一般"),       # (0.92 − 0.8) / 0.2 = 0.6
])
def test_a_score_exactly_at_a_band_is_in_it(metric, numerator, denominator, t, f, score, light, grade):
    s = scheme([{"name": "A", "weight": 1, "indicators": [{"id": metric, "target": t, "floor": f}]}])
    out = run(s, {metric: numerator / denominator})
    assert (out.indicators[0].score, out.indicators[0].light, out.total, out.grade) == (score, light, score, grade)


@pytest.mark.parametrize("v,light,grade", [(0.9599, "yellow", "一般"), (0.96, "green", "较好"),
                                           (0.9199, "red", "较差"), (0.92, "yellow", "一般")])
def test_just_below_a_band_stays_below(v, light, grade):
    s = scheme([{"name": "A", "weight": 1, "indicators": [{"id": "four_musts_rate", "target": 1, "floor": 0.8}]}])
    out = run(s, {"four_musts_rate": v})
    assert (out.indicators[0].light, out.grade) == (light, grade)


@pytest.mark.parametrize("b_value,total,grade", [(0.7, 80.0, "较好"), (0.85, 90.0, "好"), (0.4, 60.0, "一般")])
def test_a_total_exactly_at_a_band_is_in_it(b_value, total, grade):
    # dimension weights 0.1 and 0.2, scores 100 and 70: (10 + 14) / 0.3 is 79.99999999999999 in floating point
    s = scheme([{"name": "A", "weight": 0.1, "indicators": [{"id": "liaison_count", "target": 1, "floor": 0}]},
                {"name": "B", "weight": 0.2, "indicators": [{"id": "task_completion", "target": 1, "floor": 0}]}])
    out = run(s, {"liaison_count": 1.0, "task_completion": b_value})
    assert (out.total, out.grade) == (total, grade)
    assert s.lights.of(out.total) == ("green" if total >= 80 else "yellow")


def test_a_value_at_a_caps_bound_up_to_float_noise_is_not_below_it():
    s = scheme(CAPPED, caps=[{"indicator": "democratic_rating", "below": 0.9, "grade_at_most": "一般"}])
    noisy = 0.3 + 0.6  # 0.8999999999999999
    assert noisy < 0.9
    out = run(s, {"liaison_count": 5.0, "democratic_rating": noisy})
    assert (out.total, out.grade, out.capped) == (100.0, "好", [])
