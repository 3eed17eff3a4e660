"""The supervisor's all-units overview: filters, sorting and paging over one shared assessment, computed once per
change of the data."""

from __future__ import annotations

import re
import threading
import time

import pytest
from django.urls import reverse

from fengqing.accounts.models import Assignment, Role
from fengqing.assess.engine import assess
from fengqing.assess.table import format_score
from fengqing.ledger.models import Meeting, Study
from fengqing.periods import parse_period
from fengqing.web import shared
from fengqing.web import listing
from tests.factories import D, unit

H1 = parse_period("2023H1")


@pytest.fixture
def five(world):
    """The world's two units and three more, each with its own number of central-group studies, all assigned
    to the supervisor."""
    extra = [unit(f"河川市第{i}局", f"第{i}局", code=f"X{i}") for i in range(3)]
    for i, u in enumerate(extra):
        for k in range(2 * i + 1):
            Study.objects.create(unit=u, date=D(2023, 1 + k, 2), kind="党组理论学习中心组", topic="学习")
        Meeting.objects.create(unit=u, date=D(2023, 2, 1), kind="党组会", topic="研究", integrity=i > 0)
    units = [world["own"], world["other"], *extra]
    Assignment.objects.get(role=Role.SUPERVISOR).units.set(units)
    shared.ALL_UNITS.clear()
    return units


def _table(client, **params) -> str:
    page = client.get(reverse("web:overview"), {"period": "2023H1", **params}).content.decode()
    return page[page.index('id="ranking"'):]


def listed(client, **params) -> list[int]:
    """The unit ids of the overview's table, in the order shown."""
    return [int(i) for i in re.findall(r'<td><a href="/u/(\d+)/\?period=2023H1">', _table(client, **params))]


def totals(client) -> dict[int, str]:
    """The total shown for each unit."""
    rows = re.findall(r'<td><a href="/u/(\d+)/\?period=2023H1">.*?<b>([^<]*)</b>', _table(client), re.S)
    return {int(i): total for i, total in rows}


def test_the_table_is_the_ranking_and_sorts_by_any_column(world, five, login):
    c = login(world, Role.SUPERVISOR)
    results = assess(H1, five)
    by_total = sorted(results, key=lambda a: (a.total is None, -(a.total or 0), a.unit.name))
    assert listed(c) == [a.unit.id for a in by_total]
    assert listed(c, sort="-rank") == [a.unit.id for a in reversed(by_total)]
    assert listed(c, sort="name") == [a.unit.id for a in sorted(results, key=lambda a: a.unit.name)]
    dim = list(results[0].dimensions)[0]
    # ascending by the first dimension; equal scores keep their ranking order
    rank = {a.unit.id: i for i, a in enumerate(by_total)}
    expected = sorted(results, key=lambda a: (a.dimensions[dim], rank[a.unit.id]))
    assert listed(c, sort="d0") == [a.unit.id for a in expected]
    assert listed(c, sort="nonsense") == listed(c)  # an unknown column is the ranking


def test_filters_by_grade_and_by_the_light_of_a_dimension(world, five, login):
    c = login(world, Role.SUPERVISOR)
    results = assess(H1, five)
    grades = {a.grade for a in results}
    for grade in grades:
        assert set(listed(c, grade=grade)) == {a.unit.id for a in results if a.grade == grade}
    dims = list(results[0].dimensions)
    for i, d in enumerate(dims):
        # the light bands of the default scheme: green ≥ 80, yellow ≥ 60, red below
        red = {a.unit.id for a in results if a.dimensions[d] is not None and a.dimensions[d] < 60}
        green = {a.unit.id for a in results if a.dimensions[d] is not None and a.dimensions[d] >= 80}
        assert set(listed(c, dim=str(i), light="red")) == red
        assert set(listed(c, dim=str(i), light="green")) == green
    assert set(listed(c, light="red")) == {a.unit.id for a in results if a.total is not None and a.total < 60}
    page = c.get(reverse("web:overview"), {"period": "2023H1", "grade": "好", "light": "green"}).content.decode()
    if not any(a.grade == "好" for a in results):
        assert "没有符合条件的单位" in page


def test_pages_of_the_table(world, five, login, monkeypatch):
    c = login(world, Role.SUPERVISOR)
    everything = listed(c, sort="name")
    monkeypatch.setattr(listing, "PAGE_SIZES", (2, 50))
    monkeypatch.setattr(listing, "DEFAULT_PAGE_SIZE", 2)
    pages = [listed(c, sort="name", page=n) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sum(pages, []) == everything
    assert listed(c, sort="name", page=99) == pages[-1]  # past the end: the last page
    html = c.get(reverse("web:overview"), {"period": "2023H1", "sort": "name"}).content.decode()
    assert '<b class="here" aria-current="page">1</b>' in html and "sort=name&amp;page=3" in html
    assert len(listed(c, sort="name", size=50)) == 5


def test_score_cells_are_coloured_like_a_heat_map(world, five, login):
    c = login(world, Role.SUPERVISOR)
    html = c.get(reverse("web:overview"), {"period": "2023H1"}).content.decode()
    assert "<svg" not in html
    colours = re.findall(r'class="num score" style="background:(#[0-9a-f]{6})', html)
    # every unit: total and five dimensions
    assert len(colours) == 5 * 6
    assert "#c62828" in colours or "#2e7d32" in colours or len(set(colours)) > 1


def _count_assessments(monkeypatch) -> list:
    calls = []
    real = shared.assess

    def counted(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(shared, "assess", counted)
    return calls


def test_the_assessment_is_computed_once_per_change_of_the_data(world, five, login, monkeypatch):
    calls = _count_assessments(monkeypatch)
    c = login(world, Role.SUPERVISOR)
    before = totals(c)
    listed(c, sort="name")
    listed(c, grade="较差")
    assert len(calls) == 1

    def shown_total(u):
        return format_score(assess(H1, [u])[0].total)

    # records saved through the ORM: the next page is assessed anew and shows them
    last = five[-1]
    for k in range(12):
        Study.objects.create(unit=last, date=D(2023, 1 + k // 2, 10 + k), kind="党组理论学习中心组", topic="补")
    after = totals(c)
    assert len(calls) == 2
    assert after[last.id] == shown_total(last) != before[last.id]



def _elsewhere(sql: str, params: list) -> None:
    """Run and commit ``sql`` on another connection of the database (a thread has its own), without the ORM's
    signals and without an audit entry: as another server worker, ``fengqing import`` or a script writes."""
    from django.db import connection

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_process_is_seen(world, five, login, monkeypatch):
    calls = _count_assessments(monkeypatch)
    c = login(world, Role.SUPERVISOR)
    last = five[-1]
    before = totals(c)
    assert totals(c) == before and len(calls) == 1

    _elsewhere("UPDATE ledger_study SET kind = %s WHERE unit_id = %s", ["专题读书班", last.id])
    assert not Study.objects.filter(unit=last, kind="党组理论学习中心组").exists()
    after = totals(c)
    assert len(calls) == 2
    assert after[last.id] == format_score(assess(H1, [last])[0].total) != before[last.id]
    assert totals(c) == after and len(calls) == 2  # and kept again until the next change


def test_concurrent_callers_share_one_computation():
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return object()

    results, store = [], shared.Shared(keep=2)
    threads = [threading.Thread(target=lambda: results.append(store.once(("test", "shared"), slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_a_failed_computation_is_not_kept():
    def broken():
        raise RuntimeError("boom")

    store = shared.Shared(keep=2)
    with pytest.raises(RuntimeError):
        store.once(("test", "broken"), broken)
    assert store.once(("test", "broken"), lambda: 42) == 42


def test_only_the_last_values_are_kept():
    store = shared.Shared(keep=2)
    for key in "abc":
        store.once((key,), lambda k=key: k)
    assert list(store.entries) == [("b",), ("c",)]
    assert store.once(("a",), lambda: "again") == "again"  # "a" was dropped, so computed anew


def test_many_units_are_found_by_name_instead_of_listed_on_every_page(world, five, login, monkeypatch):
    from fengqing.web import context

    c = login(world, Role.SUPERVISOR)
    page = c.get(reverse("web:overview"), {"period": "2023H1"}).content.decode()
    assert 'name="unit"' in page and 'name="q" aria-label="查找单位"' not in page  # five units: a list
    monkeypatch.setattr(context, "PICKER_MAX", 4)
    page = c.get(reverse("web:overview"), {"period": "2023H1"}).content.decode()
    assert 'name="unit"' not in page and 'name="q" aria-label="查找单位"' in page
    assert "河川市第2局</option>" not in page

    switch = reverse("web:unit_switch")
    assert c.get(switch, {"q": "第2局"}).url == reverse("web:dashboard", args=[five[4].id])
    assert c.get(switch, {"q": "T1"}).url == reverse("web:dashboard", args=[world["other"].id])  # by code
    several = c.get(switch, {"q": "河川市第"})
    assert several.url == reverse("web:overview") + "?q=%E6%B2%B3%E5%B7%9D%E5%B8%82%E7%AC%AC"
    assert set(listed(c, q="河川市第")) == {u.id for u in five[2:]}
    nothing = c.get(switch, {"q": "不存在的局"}, follow=True).content.decode()
    assert "没有名称或代码含“不存在的局”的单位" in nothing
