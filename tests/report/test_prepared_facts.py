"""The report's facts from prepared queries (compiled once, then run with each unit's and period's own values)
are those the ORM computes from querysets built for that unit and period, for every fact of the demo units in
several periods, listed and unlisted; and each figure that ``prepared_tally`` gives is what a plain
``filter(…).count()`` or ``aggregate(Sum)`` of its spec gives."""

from contextlib import nullcontext
from datetime import date

import pytest
from django.db.models import Sum

from fengqing import prepared
from fengqing.demo.builder import build_demo
from fengqing.ledger import models as L
from fengqing.org.models import Unit
from fengqing.periods import parse_period
from fengqing.report import activity
from fengqing.report.api import build_report
from fengqing.report.facts import compute_facts
from fengqing.report.render import json
from fengqing.report.tally import Spec, by_choice, prepared_tally_each, untraced

pytestmark = pytest.mark.django_db

#: (period, 成文日期): halves, a year, a quarter, a 成文日期 after the period's end and one before it
CASES = [("2023H1", None), ("2022H2", None), ("2023", None), ("2023Q2", None), ("2023H1", date(2023, 9, 15)),
         ("2023H2", date(2023, 11, 30))]


@pytest.fixture
def demo():
    build_demo()
    prepared.clear()
    yield list(Unit.objects.filter(short_name__in=("水务局", "林业局", "档案馆")).order_by("pk"))
    prepared.clear()


def everything(facts) -> list[tuple]:
    """Every attribute of every fact, and of the facts each is compared with."""
    out = []
    for f in facts.everything():
        comparisons = tuple((c.basis.id, c.against) for c in (f.yoy, f.prev) if c is not None)
        out.append((f.id, f.label, f.value, tuple(f.records), f.measure_word, f.kind, f.titles, f.source,
                    f.unlisted, comparisons))
    return out


@pytest.mark.parametrize("listed", [True, False])
def test_prepared_facts_are_the_orms(demo, listed):
    runs = [(u, parse_period(code), on) for code, on in CASES for u in demo]
    with nullcontext() if listed else untraced():
        # all prepared runs first, one after the other: a value left over from the run before would show
        fast = [everything(compute_facts(u, p, on)) for u, p, on in runs]
        with prepared.off():
            slow = [everything(compute_facts(u, p, on)) for u, p, on in runs]
    for (u, p, on), got, expected in zip(runs, fast, slow):
        assert got == expected, (u.short_name, p.code, on)
    # the figures are not all zero: the comparison says something
    assert sum(1 for facts in fast for f in facts if f[2]) > 1000


def test_a_second_unit_reuses_the_first_ones_queries(demo):
    first, second, _ = demo
    h1 = parse_period("2023H1")
    compute_facts(first, h1)
    compiled = len(prepared._CACHE)
    assert compiled > 40
    with prepared.off():
        expected = everything(compute_facts(second, h1))
    assert everything(compute_facts(second, h1)) == expected
    assert len(prepared._CACHE) == compiled


def test_each_figure_is_its_specs_own_count_or_sum(demo):
    """Plain per-spec queries, written without tally: COUNT of the spec's rows, SUM of its field, its ids."""
    specs = [Spec("talk.total", "谈话", None, "人次"), *by_choice("talk", "kind", activity.TALK, "人次")]
    education = [Spec("education.total", "教育", None, "次"), *by_choice("education", "form", activity.EDUCATION, "次"),
                 Spec("education.coverage", "覆盖", None, "人次", "coverage")]
    for u in demo:
        for codes in (["2023H1", "2022H2", "2022H1"], ["2023", "2022"], ["2023Q3"]):
            periods = [parse_period(c) for c in codes]
            for model, these in ((L.Talk, specs), (L.Education, education)):
                each = prepared_tally_each(lambda v, model=model: model.objects.filter(unit=v.unit), these, periods,
                                           unit=u.pk)
                for p, (facts, rows) in zip(periods, each):
                    dated = model.objects.filter(unit=u, date__range=(p.start, p.end))
                    assert rows == dated.count()
                    for s, f in zip(these, facts):
                        mine = dated.filter(s.q) if s.q is not None else dated
                        value = (mine.aggregate(n=Sum(s.total_of))["n"] or 0) if s.total_of else mine.count()
                        ids = [f"{model._meta.model_name}:{pk}" for pk in mine.order_by("pk").values_list("pk", flat=True)]
                        assert (f.value, f.records) == (value, ids), (u.short_name, p.code, s.id)


def test_prepared_reports_are_the_orms(demo):
    """The whole report (sections 三 and 四's rows, the drafted problems' records, the trend's periods too)."""
    runs = [(u, parse_period(code), on) for code, on in CASES[:2] + CASES[4:] for u in demo]
    fast = [json.render(build_report(u, p, appendix=True, on=on)) for u, p, on in runs]
    with prepared.off():
        slow = [json.render(build_report(u, p, appendix=True, on=on)) for u, p, on in runs]
    for (u, p, on), got, expected in zip(runs, fast, slow):
        assert got == expected, (u.short_name, p.code, on)
