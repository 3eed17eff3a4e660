"""Tallies: an enumeration's counts from one GROUP BY, and several periods' facts from the same two queries,
each period's figures and records its own (expected values written out by hand from the records made here)."""

import pytest

from fengqing.ledger.models import Education
from fengqing.periods import parse_period
from fengqing.report.tally import Spec, by_choice, in_periods, tally, tally_each
from django.db.models import Q
from tests.factories import D, unit

pytestmark = pytest.mark.django_db

FORMS = {"警示教育大会": "conference", "案例通报": "case", "廉政党课": "lecture"}
WARNING = Q(form__in=("案例通报", "警示教育大会"))


def specs():
    return [Spec("education.total", "廉政教育"), *by_choice("education", "form", FORMS, "次"),
            Spec("education.warning", "警示教育", WARNING, "次"),
            Spec("education.coverage", "警示教育覆盖", WARNING, "人次", "coverage")]


@pytest.fixture
def records():
    u, other = unit(), unit(name="河川市林业局", short_name="林业局")
    made = {}
    for key, day, form, coverage in [
        ("a1", D(2023, 1, 5), "警示教育大会", 30), ("a2", D(2023, 6, 30), "警示教育大会", None),
        ("a3", D(2023, 3, 1), "案例通报", 10), ("a4", D(2023, 4, 1), "其他", 99),
        ("b1", D(2022, 12, 31), "警示教育大会", 7),
        ("out", D(2021, 12, 31), "警示教育大会", 50),  # in none of the periods
    ]:
        made[key] = Education.objects.create(unit=u, date=day, form=form, content="教育", coverage=coverage)
    Education.objects.create(unit=other, date=D(2023, 2, 1), form="案例通报", content="教育", coverage=5)
    return u, {k: f"education:{e.pk}" for k, e in made.items()}


def values(facts):
    return {f.id: (f.value, sorted(f.records)) for f in facts}


def test_each_period_counts_its_own_rows(records):
    u, ref = records
    periods = [parse_period(c) for c in ("2023H1", "2022H2", "2022H1")]  # the last holds no record
    each = tally_each(in_periods(Education.objects.filter(unit=u), "date", periods), specs(), len(periods))
    (h1, h1_rows), (h2, h2_rows), (empty, empty_rows) = each
    assert (h1_rows, h2_rows, empty_rows) == (4, 1, 0)
    assert values(h1) == {
        "education.total": (4, sorted([ref["a1"], ref["a2"], ref["a3"], ref["a4"]])),
        "education.conference": (2, sorted([ref["a1"], ref["a2"]])),
        "education.case": (1, [ref["a3"]]),
        "education.lecture": (0, []),
        "education.warning": (3, sorted([ref["a1"], ref["a2"], ref["a3"]])),
        "education.coverage": (40, sorted([ref["a1"], ref["a2"], ref["a3"]])),  # 30 + 10, the empty one counts 0
    }
    assert values(h2) == {
        "education.total": (1, [ref["b1"]]), "education.conference": (1, [ref["b1"]]),
        "education.case": (0, []), "education.lecture": (0, []), "education.warning": (1, [ref["b1"]]),
        "education.coverage": (7, [ref["b1"]]),
    }
    assert all(value == (0, []) for value in values(empty).values())


def test_one_period_tally_agrees(records):
    u, ref = records
    h1 = parse_period("2023H1")
    facts, rows = tally(Education.objects.filter(unit=u, date__range=(h1.start, h1.end)), specs())
    assert rows == 4
    assert values(facts)["education.conference"] == (2, sorted([ref["a1"], ref["a2"]]))
    assert values(facts)["education.coverage"] == (40, sorted([ref["a1"], ref["a2"], ref["a3"]]))


def test_specs_of_two_choice_fields_are_refused(records):
    u, _ = records
    two = [*by_choice("a", "form", {"案例通报": "case"}, "次"), *by_choice("b", "content", {"教育": "x"}, "次")]
    with pytest.raises(ValueError):
        tally(Education.objects.filter(unit=u), two)
