import json
from datetime import date as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqing.assess.engine import assess, assess_unit, ranked
from fengqing.assess.schemes import load_scheme
from fengqing.assess.schemes.validate import parse_scheme
from fengqing.ledger import models as L
from fengqing.ledger.models import Discipline, DutyReport, Education, Meeting, Study, Talk
from fengqing.org.models import Unit
from fengqing.periods import parse_period
from fengqing.rectify.models import Measure, Problem
from tests import factories as f

pytestmark = pytest.mark.django_db
H1 = parse_period("2023H1")


def populate(unit, n):
    """Some records of every kind the default scheme reads, varying with n."""
    people = [f.person(unit, is_dept_head=(i == 0)) for i in range(n + 1)]
    for i in range(n):
        Study.objects.create(unit=unit, date=D(2023, 1 + i, 3), kind="党组理论学习中心组", topic="t")
        Meeting.objects.create(unit=unit, date=D(2022, 8, 1 + i), kind="党组会", topic="t", integrity=True)
        Talk.objects.create(unit=unit, date=D(2023, 2, 1), subject=people[i], kind="廉洁纪律谈话")
        Education.objects.create(unit=unit, date=D(2023, 4, 1 + i), form="节假日廉洁提醒", content="c")
        Discipline.objects.create(unit=unit, date=D(2023, 3, 1), subject=people[i], form="第一种形态", handling="h")
    DutyReport.objects.create(unit=unit, date=D(2023, 1, 5), reporter=people[0], good=n, poor=1)
    problem = Problem.objects.create(unit=unit, code="P1", period="2022H2", aspect="其他", title="t")
    Measure.objects.create(problem=problem, text="m", deadline=D(2023, 3, 1), status="推进中")
    f.department(unit)


def count_queries(**kw) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assess(H1, **kw)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units():
    first = f.unit("甲局", "甲")
    populate(first, 2)
    one = count_queries()
    for i in range(5):
        populate(f.unit(f"单位{i}", f"单{i}"), i + 1)
    assert count_queries() == one
    units = list(Unit.objects.all())
    assert count_queries(units=units[:1]) == count_queries(units=units) == one - 1  # no unit listing
    assert count_queries(scheme=load_scheme("fengqing-deduction-v1")) < one  # reads fewer tables


def test_one_units_queries_read_only_its_own_rows():
    """Every table an assessment of some units reads (the people and departments joined to the talks, duty
    reports and risk points behind their coverage included) is restricted to those units: so one unit's
    assessment costs the same in a database of ten units or of a thousand."""
    units = [f.unit(f"单位{i}", f"单{i}") for i in range(2)]
    for i, unit in enumerate(units):
        populate(unit, i + 1)
    with CaptureQueriesContext(connection) as ctx:
        assess(H1, [units[1]])
    for q in ctx.captured_queries:
        sql = q["sql"]
        assert sql.count("FROM ") == sql.count('"unit_id" IN (') > 0, sql
    with CaptureQueriesContext(connection) as ctx:
        assess(H1)
    assert all('"unit_id" IN (' not in q["sql"] for q in ctx.captured_queries)


def test_no_query_reads_a_table_inside_another_tables_aggregate():
    """The people with a talk, the heads with a duty report and the departments with a risk point are counted
    from those records, joined and DISTINCT, never as ``id IN (SELECT …)`` inside the people's or the
    departments' aggregate: PostgreSQL hashes such a subquery only while it fits in work_mem and otherwise runs
    it again for every row, and at 10,000 units the all-units assessment never finished."""
    units = [f.unit(f"单位{i}", f"单{i}") for i in range(2)]
    for i, unit in enumerate(units):
        populate(unit, i + 1)
    for kw in ({}, {"units": units[:1]}):
        with CaptureQueriesContext(connection) as ctx:
            assess(H1, **kw)
        assert all(q["sql"].count("SELECT") == 1 for q in ctx.captured_queries), [
            q["sql"] for q in ctx.captured_queries if q["sql"].count("SELECT") > 1]


def test_records_of_another_unit_do_not_cover_a_units_people():
    """A talk or a duty report recorded by another unit about a unit's person, and another unit's risk point
    naming a unit's department, count for neither: the same whether one unit or all are assessed."""
    own, other = f.unit("甲局", "甲"), f.unit("乙局", "乙")
    head = f.person(own, is_dept_head=True)
    f.person(other)
    dept = f.department(own)
    Talk.objects.create(unit=other, date=D(2023, 2, 1), subject=head, kind="廉洁纪律谈话")
    DutyReport.objects.create(unit=other, date=D(2023, 1, 5), reporter=head, good=3)
    L.RiskPoint.objects.create(unit=other, code="R1", department=dept, post="岗位", description="风险", level="高",
                               controls="措施", reviewed=D(2023, 1, 1))
    for result in (next(a for a in assess(H1) if a.unit == own), assess_unit(own, H1)):
        assert result.indicator("integrity_talk_coverage").value == 0.0
        assert result.indicator("duty_report_coverage").value == 0.0
        assert result.indicator("risk_point_coverage").value == 0.0
    Talk.objects.create(unit=own, date=D(2023, 2, 1), subject=head, kind="廉洁纪律谈话")
    assert assess_unit(own, H1).indicator("integrity_talk_coverage").value == 1.0
    assert next(a for a in assess(H1) if a.unit == own).indicator("integrity_talk_coverage").value == 1.0


def test_a_query_compiled_for_one_unit_serves_the_others_with_their_own_ids():
    from fengqing.assess import measure

    units = [f.unit(f"单位{i}", f"单{i}") for i in range(3)]
    for i, unit in enumerate(units):
        populate(unit, i + 1)
    everyone = {a.unit.pk: a.as_dict() for a in assess(H1)}
    assert len({str(d["indicators"]) for d in everyone.values()}) == 3  # the units differ
    measure._compiled.cache_clear()
    for unit in units:
        assert assess(H1, [unit])[0].as_dict() == everyone[unit.pk]
    tables = len(measure.source_names(load_scheme().metric_ids))
    assert measure._compiled.cache_info()[:2] == (2 * tables, tables)  # (hits, misses): compiled once
    assert [a.as_dict() for a in assess(H1, [units[2], units[0]])] == [everyone[units[2].pk],
                                                                        everyone[units[0].pk]]


def test_subset_gives_the_same_values_as_all_units_and_keeps_the_order():
    units = [f.unit(f"单位{i}", f"单{i}") for i in range(3)]
    for i, unit in enumerate(units):
        populate(unit, i + 1)
    everyone = {a.unit.pk: a.as_dict() for a in assess(H1)}
    picked = assess(H1, [units[2], units[0]])
    assert [a.unit for a in picked] == [units[2], units[0]]
    assert [a.as_dict() for a in picked] == [everyone[units[2].pk], everyone[units[0].pk]]
    assert assess(H1, []) == []
    assert assess("2023H1", [units[1]])[0].period == H1


def test_as_dict_has_exactly_the_json_shape_of_design_8(u):
    populate(u, 2)
    data = json.loads(json.dumps(assess(H1, [u])[0].as_dict()))
    assert list(data) == ["unit", "period", "scheme", "total", "grade", "completeness", "dimensions", "indicators"]
    assert (data["unit"], data["period"], data["scheme"]) == ("河川市水务局", "2023H1", "fengqing-default-v1")
    assert isinstance(data["total"], float) and isinstance(data["completeness"], float)
    # the grade is the band of the total (fengqing-default-v1: 90/80/60), at most 一般 below 90% satisfaction
    by_total = next(name for floor, name in ((90, "好"), (80, "较好"), (60, "一般"), (0, "较差"))
                    if data["total"] >= floor)
    rating = next(i["value"] for i in data["indicators"] if i["id"] == "democratic_rating")
    capped = rating is not None and rating < 0.90 and by_total in ("好", "较好")
    assert data["grade"] == ("一般" if capped else by_total)
    assert list(data["dimensions"]) == ["政治建设", "主体责任", "纪律作风", "权力制约", "问题整改"]
    assert len(data["indicators"]) == 21
    for ind in data["indicators"]:
        assert list(ind) == ["id", "name", "dimension", "value", "target", "floor", "score", "light", "previous",
                             "year_ago"]
        for key in ("value", "score", "previous", "year_ago"):
            assert ind[key] is None or isinstance(ind[key], float)
        assert isinstance(ind["target"], float) and isinstance(ind["floor"], float)
        assert ind["light"] in ("green", "yellow", "red", None)
        assert (ind["light"] is None) == (ind["score"] is None) == (ind["value"] is None)


def test_empty_unit_on_the_default_scheme(u):
    # Worked by hand: the counts are 0 (score 0) except overdue_measures 0 (t 0, f 5: score 100); every
    # rate is N/A (no staff, no departments, no records). Dimensions: 政治建设 0, 主体责任 0, 纪律作风 0
    # (warning_education, holiday_reminders), 权力制约 none, 问题整改 100.
    a = assess(H1, [u])[0]
    assert a.dimensions == {"政治建设": 0.0, "主体责任": 0.0, "纪律作风": 0.0, "权力制约": None, "问题整改": 100.0}
    assert a.total == pytest.approx(10 * 100 / (20 + 25 + 30 + 10))
    # effective weights with a value: 政治建设 10 + 10; 主体责任 5 + 5; 纪律作风 2 × 30/7; 问题整改 5
    assert a.completeness == pytest.approx((20 + 10 + 60 / 7 + 5) / 100)
    assert a.grade == "较差" and a.light == "red"


def test_rounding_is_left_to_the_reader(u):
    for _ in range(3):
        f.person(u)
    Study.objects.create(unit=u, date=D(2023, 1, 3), kind="党组理论学习中心组", topic="t")
    a = assess(H1, [u])[0]
    # 1 of 6: not rounded for display, only float noise beyond the 9th decimal is dropped
    assert a.indicator("central_group_study").score == pytest.approx(100 / 6, abs=1e-9)


def test_deduction_scheme_on_records(u):
    people = [f.person(u) for _ in range(3)]
    for form in ("第二种形态", "第三种形态", "第一种形态"):
        Discipline.objects.create(unit=u, date=D(2023, 2, 1), subject=people[0], form=form, handling="h")
    p = Problem.objects.create(unit=u, code="P1", period="2022H2", aspect="其他", title="t")
    for i in range(17):
        Measure.objects.create(problem=p, text=f"m{i}", deadline=D(2023, 1, 1), status="推进中")
    a = assess(H1, [u], load_scheme("fengqing-deduction-v1"))[0]
    # 2 serious cases × 2 = 4; 17 overdue measures × 1 = 17, at most 15
    assert a.total == 100 - 4 - 15
    assert a.grade == "一般" and a.light == "red"
    assert a.indicator("overdue_measures").deduction == 15
    assert a.dimensions["纪律作风"] == 96.0


def test_ranked_puts_best_first_and_no_total_last():
    units = [f.unit(f"单位{i}", f"单{i}") for i in range(3)]
    populate(units[1], 3)
    populate(units[2], 1)
    scheme = load_scheme()
    order = ranked(assess(H1, units, scheme))
    totals = [a.total for a in order]
    assert totals == sorted(totals, reverse=True)
    only_rates = {"id": "r", "name": "r", "grades": [{"min": 0, "name": "一般"}], "lights": {"green": 80, "yellow": 60},
                  "dimensions": [{"name": "A", "weight": 1, "indicators": [
                      {"id": "democratic_rating", "target": 0.9, "floor": 0.7}]}]}
    order = ranked(assess(H1, units, parse_scheme(only_rates, "r")))
    assert order[-1].unit == units[0] and order[-1].total is None


def test_rates_at_a_band_from_records_score_exactly(default_scheme):
    """24 of 25 promotions checked and 41 of 50 votes positive: scores 80 (green) and 60 (yellow), as computed
    by hand, not 79.99999999999999 and 59.99999999999998."""
    u = f.unit()
    who = f.person(u)
    for i in range(25):
        L.Promotion.objects.create(unit=u, date=D(2023, 3, 1), subject=who, matter="提拔", file_reviewed=True,
                                   matters_verified=True, opinion_heard=True, petitions_checked=i > 0)
    L.DutyReport.objects.create(unit=u, date=D(2023, 1, 20), reporter=who, good=30, fairly_good=11, average=5,
                                poor=4)
    result = assess_unit(u, "2023H1", default_scheme)
    four, rating = result.indicator("four_musts_rate"), result.indicator("democratic_rating")
    assert (four.value, four.score, four.light) == (24 / 25, 80.0, "green")
    assert (rating.value, rating.score, rating.light) == (41 / 50, 60.0, "yellow")
