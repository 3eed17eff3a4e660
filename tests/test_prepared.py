"""Prepared queries: compiled once, run with each call's own inputs; a query whose inputs cannot be bound safely
is refused when it is compiled, never run with another call's values."""

from datetime import date

import pytest
from django.db.models import Count, Q

from fengqing import prepared
from fengqing.ledger.models import PublicExpense, Talk
from fengqing.org.models import Person
from tests.factories import D, person, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh():
    prepared.clear()
    yield
    prepared.clear()


@pytest.fixture
def talks():
    a, b = unit(), unit(name="河川市林业局", short_name="林业局")
    made = {}
    for key, u, day, kind in [("a1", a, D(2023, 1, 5), "约谈"), ("a2", a, D(2023, 6, 30), "谈心谈话"),
                              ("a3", a, D(2023, 7, 1), "约谈"), ("b1", b, D(2023, 2, 1), "约谈")]:
        made[key] = Talk.objects.create(unit=u, subject=person(u, name=f"人员{key}"), date=day, kind=kind).pk
    return a, b, made


def in_half(v):
    return Talk.objects.filter(unit=v.unit, date__range=(v.start, v.end)).order_by("pk").values_list("pk", flat=True)


def test_each_run_uses_its_own_inputs(talks):
    a, b, made = talks
    h1 = {"start": date(2023, 1, 1), "end": date(2023, 6, 30)}
    assert prepared.run(in_half, unit=a.pk, **h1) == [made["a1"], made["a2"]]
    # the same query for another unit, then another half: compiled once, the values are each run's own
    assert prepared.run(in_half, unit=b.pk, **h1) == [made["b1"]]
    assert prepared.run(in_half, unit=a.pk, start=date(2023, 7, 1), end=date(2023, 12, 31)) == [made["a3"]]
    assert len(prepared._CACHE) == 1


def test_rows_come_as_the_queryset_gives_them(talks):
    a, _, made = talks
    counts = prepared.run(lambda v: Talk.objects.filter(unit=v.unit).order_by("kind").values("kind")
                          .annotate(n=Count("pk")), unit=a.pk)
    assert counts == [{"kind": "约谈", "n": 2}, {"kind": "谈心谈话", "n": 1}]
    rows = prepared.run(lambda v: Talk.objects.filter(unit=v.unit, kind__in=v.kinds).order_by("pk")
                        .values_list("pk", "date"), unit=a.pk, kinds=("谈心谈话", "约谈"))
    assert rows == [(made["a1"], D(2023, 1, 5)), (made["a2"], D(2023, 6, 30)), (made["a3"], D(2023, 7, 1))]
    assert rows.model is Talk
    # an empty IN list selects nothing whatever the other inputs
    assert prepared.run(lambda v: Talk.objects.filter(unit=v.unit, kind__in=v.kinds).values_list("pk"),
                        unit=a.pk, kinds=()) == []


def test_an_integer_field_bound_on_either_database():
    u = unit()
    for year in (2022, 2023):
        PublicExpense.objects.create(unit=u, year=year, half="上半年", category="公务接待费", budget=1, spent=year - 2020)
    spent = lambda v: PublicExpense.objects.filter(unit=v.unit, year=v.year).values_list("spent", flat=True)  # noqa: E731
    assert [int(x) for x in prepared.run(spent, unit=u.pk, year=2022)] == [2]
    assert [int(x) for x in prepared.run(spent, unit=u.pk, year=2023)] == [3]


@pytest.mark.parametrize("build, inputs, says", [
    # Django turns a year into its first and last days: parameters computed from the input
    (lambda v: Talk.objects.filter(unit=v.unit, date__year=v.year).values_list("pk"), {"year": 2023},
     "computed from one"),
    # the SQL itself depends on the value
    (lambda v: (Talk.objects.filter(kind="约谈") if v.unit > 5000 else Talk.objects.all()).values_list("pk"), {},
     "depends on its inputs"),
    # an input the query does not use
    (lambda v: Talk.objects.filter(unit=v.unit).values_list("pk"), {"end": date(2023, 6, 30)},
     "no parameter"),
    (lambda v: Talk.objects.filter(unit=v.unit), {}, "not model instances"),
])
def test_a_query_that_cannot_be_bound_is_refused(build, inputs, says):
    with pytest.raises(prepared.PreparationError, match=says):
        prepared.run(build, unit=1, **inputs)


def test_what_a_function_closes_over_is_part_of_its_key(talks):
    a, _, made = talks

    def of_kind(kind):
        return lambda v: Talk.objects.filter(Q(kind=kind), unit=v.unit).order_by("pk").values_list("pk", flat=True)

    assert prepared.run(of_kind("约谈"), unit=a.pk) == [made["a1"], made["a3"]]
    assert prepared.run(of_kind("谈心谈话"), unit=a.pk) == [made["a2"]]


def test_methods_of_two_classes_are_two_queries(talks):
    a, _, made = talks

    def rows_of(of):  # the same code, closing over one class's method or the other's
        return lambda v: of(v.unit).order_by("pk").values_list("pk", flat=True)

    assert prepared.run(rows_of(Talk.of_unit), unit=a.pk) == [made["a1"], made["a2"], made["a3"]]
    people = prepared.run(rows_of(Person.of_unit), unit=a.pk)
    assert people == list(Person.objects.filter(unit=a).order_by("pk").values_list("pk", flat=True))
    assert people.model is Person


def test_off_runs_the_orm(talks):
    a, _, made = talks
    with prepared.off():
        assert prepared.run(in_half, unit=a.pk, start=date(2023, 1, 1), end=date(2023, 6, 30)) == \
            [made["a1"], made["a2"]]
    assert not prepared._CACHE
