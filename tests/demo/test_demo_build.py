"""build_demo: deterministic, complete, realistic volumes, and re-runnable without touching other units."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from fengqing.demo.builder import build_demo
from fengqing.errors import FengqingError
from fengqing.ledger.models import Study
from fengqing.org.models import Department, PartyBranch, Person, Unit
from tests.factories import person, unit

NATURAL_KEYS = {"Unit": "name", "Person": "staff_no", "Department": "name", "PartyBranch": "name",
                "Problem": "code"}
RECORD_APPS = ("org", "ledger", "rectify")


def record_models():
    return [m for app in RECORD_APPS for m in apps.get_app_config(app).get_models()]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every record model, foreign keys by natural key (ids differ from build to build)."""
    out = {}
    for model in record_models():
        fields = []
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            fields.append(f"{f.name}__{NATURAL_KEYS[f.related_model.__name__]}" if f.is_relation else f.name)
        out[model.__name__] = sorted(model.objects.values_list(*fields), key=repr)
    return out


def unit_rows(model, u: Unit):
    if model is Unit:
        return Unit.objects.filter(pk=u.pk)
    if any(f.name == "unit" for f in model._meta.fields):
        return model.objects.filter(unit=u)
    return model.objects.filter(problem__unit=u)  # Measure reaches its unit through its problem


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    build_demo(2023)
    first = snapshot()
    build_demo(2023)
    assert snapshot() == first
    assert all(first[name] for name in first), [name for name in first if not first[name]]
    build_demo(7)
    other = snapshot()
    assert other["Person"] != first["Person"]
    assert other["Unit"] == first["Unit"]  # the units themselves are fixed; their records vary


def test_every_record_model_has_rows_for_every_demo_unit(demo):
    for u in demo.values():
        assert [m.__name__ for m in record_models() if not unit_rows(m, u).exists()] == [], u.name


def in_service(qs, e: date):
    """DESIGN §4, written as a query."""
    joined = models.Q(joined__isnull=True) | models.Q(joined__lte=e)
    return qs.filter(joined).filter(models.Q(status="在职") | models.Q(status_date__gt=e))


def test_volumes(demo):
    bureau, e = demo["水务局"], date(2023, 6, 30)
    staff = in_service(Person.objects.filter(unit=bureau), e).exclude(category="编外").count()
    assert 130 <= staff <= 170
    assert Department.objects.filter(unit=bureau).count() == 20
    assert set(Department.objects.filter(unit=bureau).values_list("kind", flat=True)) == {"科室", "下属单位"}
    assert PartyBranch.objects.filter(unit=bureau).count() >= 10
    assert set(PartyBranch.objects.filter(unit=bureau).values_list("kind", flat=True)) == {"在职", "退休"}
    ledger_rows = sum(m.objects.filter(unit=bureau).count() for m in apps.get_app_config("ledger").get_models())
    assert ledger_rows >= 500
    for small in (demo["林业局"], demo["档案馆"]):
        assert in_service(Person.objects.filter(unit=small), e).exclude(category="编外").count() < staff // 2


def test_edge_cases_of_design_section_4(demo):
    bureau = demo["水务局"]
    people = Person.objects.filter(unit=bureau)
    h1 = (date(2023, 1, 1), date(2023, 6, 30))
    retired = people.filter(status="退休", status_date__range=h1, joined__lt=date(2023, 1, 1))
    assert retired.exists()
    assert people.filter(status="调出", status_date__range=h1).exists()
    assert people.filter(joined__range=h1).exists()
    assert people.filter(status="调出", status_date__range=(date(2022, 1, 1), date(2022, 12, 31))).exists()
    # a retired member belongs to a retirees' branch
    member = retired.filter(political_status="中共党员").first()
    assert member is not None and member.branch.kind == "退休"

    branches = PartyBranch.objects.filter(unit=bureau)
    span = (date(2022, 1, 1), date(2023, 12, 31))
    assert branches.filter(founded__range=span).exists()
    assert branches.filter(dissolved__range=span).exists()

    extra = people.filter(category="编外", political_status="中共党员", status="在职")
    assert extra.exists() and all(p.branch_id for p in extra)

    leaders = people.filter(is_leader=True)
    assert in_service(leaders, h1[1]).count() >= 4
    assert leaders.filter(status="调出", status_date__range=h1).exists()
    assert leaders.filter(joined__range=h1).exists()

    # every department has a head in service mid-2023, though one head retired in that half
    heads = in_service(people.filter(is_dept_head=True), h1[1])
    assert heads.values("department").distinct().count() == 20
    assert people.filter(is_dept_head=True, status="退休", status_date__range=h1).exists()


def test_names_are_chinese_and_unique_within_a_unit(demo):
    for u in demo.values():
        names = list(Person.objects.filter(unit=u).values_list("name", flat=True))
        assert len(names) == len(set(names))
        assert all(2 <= len(n) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)


def test_rerun_replaces_demo_units_and_leaves_other_units_alone(db):
    mine = unit("河川市水利学会", "水利学会", code="X-1")
    member = person(mine, "张三")
    study = Study.objects.create(unit=mine, date=date(2023, 3, 1), kind="其他", topic="学会学习")
    build_demo()
    counts = {m.__name__: m.objects.count() for m in record_models()}
    bureau = Unit.objects.get(name="河川市水务局")
    Study.objects.create(unit=bureau, date=date(2023, 3, 1), kind="其他", topic="手工添加的记录")

    build_demo()

    assert {m.__name__: m.objects.count() for m in record_models()} == counts
    assert not Study.objects.filter(topic="手工添加的记录").exists()
    assert Unit.objects.count() == 4
    assert Person.objects.get(pk=member.pk).name == "张三"
    assert Study.objects.get(pk=study.pk).topic == "学会学习"


def test_a_unit_holding_a_demo_code_stops_the_build(db):
    unit("别的单位", "别的", code="11990100MB0000001W")
    with pytest.raises(FengqingError, match="11990100MB0000001W"):
        build_demo()
    assert Unit.objects.count() == 1
    assert not Person.objects.exists()


def test_public_expense_falls_modestly_at_the_bureau(demo):
    from fengqing.ledger.models import PublicExpense

    def total(year, field):
        rows = PublicExpense.objects.filter(unit=demo["水务局"], year=year)
        return sum((getattr(r, field) for r in rows), Decimal(0))

    for field in ("budget", "spent"):
        assert Decimal("0.85") * total(2022, field) < total(2023, field) < total(2022, field)
    assert PublicExpense.objects.filter(unit=demo["水务局"]).values("year", "half").distinct().count() == 4
