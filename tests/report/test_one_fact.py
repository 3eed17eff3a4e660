"""One fact computed alone (a fact page) is the report's fact of that id, from far fewer queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fengqing.demo.builder import build_demo
from fengqing.org.models import Unit
from fengqing.periods import parse_period
from fengqing.report.activity import PARTS, activity_facts
from fengqing.report.facts import compute_fact, compute_facts

UNKNOWN = ["talk", "talk.no_such_kind", "talk.total.last_week", "basic.nothing", "nothing.total", "", ".",
           "problem.total.year_ago", "expense.driver.year_ago"]


@pytest.fixture
def demo(db):
    build_demo()
    return {u.short_name: u for u in Unit.objects.filter(short_name__in=("水务局", "林业局", "档案馆"))}


def _as_dicts(facts):
    return {f.id: f.as_dict() for f in facts}


# 2023H1 and 2023 are compared with 2022's recorded periods; the demo records nothing before 2022, so 2022H1 and
# 2022 have no comparison at all; a 成文日期 after the end changes the tasks' and measures' states
CASES = [("水务局", "2023H1", None), ("林业局", "2023", None), ("档案馆", "2022H1", None), ("水务局", "2022", None),
         ("林业局", "2023H2", date(2024, 3, 1))]


def test_each_fact_is_the_reports_fact_of_that_id(demo):
    seen_comparisons = set()
    for short_name, code, on in CASES:
        unit, period = demo[short_name], parse_period(code)
        everything = _as_dicts(compute_facts(unit, period, on).everything())
        assert len(everything) > 100
        for fact_id, expected in everything.items():
            found = compute_fact(unit, period, fact_id, on)
            assert found is not None and found.as_dict() == expected, (short_name, code, fact_id)
        for fact_id in UNKNOWN:
            assert compute_fact(unit, period, fact_id, on) is None, fact_id
        compared = {i.rpartition(".")[2] for i in everything if i.endswith((".year_ago", ".previous"))}
        seen_comparisons.add((code, frozenset(compared)))
    # the cases cover what they are meant to: both comparisons of a half, the year's one, and none before 2022
    assert ("2023H1", frozenset({"year_ago", "previous"})) in seen_comparisons
    assert ("2023", frozenset({"year_ago"})) in seen_comparisons
    assert ("2022H1", frozenset()) in seen_comparisons and ("2022", frozenset()) in seen_comparisons


def test_every_part_gives_facts_of_its_own_prefix_only(demo):
    """A part declared under a prefix gives only facts of that prefix, so an id finds its part."""
    periods = [parse_period("2023H1"), parse_period("2022H1")]
    for prefix in PARTS:
        for facts, _ in activity_facts(demo["水务局"], periods, None, [prefix]):
            assert facts and {f.id.split(".")[0] for f in facts} == {prefix}


def _queries(compute) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute()
    return len(ctx.captured_queries)


def test_one_fact_reads_its_register_only(demo):
    unit, period = demo["水务局"], parse_period("2023H1")
    everything = _queries(lambda: compute_facts(unit, period))
    # the talks' part reads its register in two queries (the counts, the rows), for every period at once
    assert _queries(lambda: compute_fact(unit, period, "talk.total")) <= 2
    # a comparison's basis asks first whether the earlier period was recorded (one query)
    assert _queries(lambda: compute_fact(unit, period, "talk.total.year_ago")) <= 3
    assert _queries(lambda: compute_fact(unit, period, "no_such.figure")) == 0
    assert everything > 30  # what the page computed before: every part, every section
