"""台账 lists for daily use: standing registers whole by default with their own filters, dated registers on
the current period and saying so, sorting, page sizes, totals, the read-only record page and the export of
what the page lists."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from fengqing.accounts.models import Role
from fengqing.ledger.models import PublicExpense, Study, Talk
from fengqing.org.models import Person
from fengqing.workbook.importer import import_workbook
from tests.factories import D, department, person


def _rows(page: str, table: str = "records") -> list[list[str]]:
    body = re.search(rf'<table class="grid" id="{table}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_a_standing_register_lists_everyone_by_default_and_filters_by_its_own_columns(world, login):
    own = world["own"]
    finance = department(own, "财务科")
    person(own, "王退休", status="退休", status_date=D(2019, 5, 1))  # outside every recent period
    person(own, "赵调出", status="调出", status_date=D(2023, 2, 1), department=finance)
    c = login(world, Role.CLERK)
    url = reverse("web:records", args=[own.id, "person"])
    page = c.get(url, {"period": "2023H1"}).content.decode()  # a period asked for elsewhere changes nothing
    names = {row[1] for row in _rows(page)}
    assert names == {"张三", "王退休", "赵调出"}
    assert '<select name="period"' not in page and "period-note" not in page
    assert {row[1] for row in _rows(c.get(url, {"status": "退休"}).content.decode())} == {"王退休"}
    by_department = c.get(url, {"department": finance.pk}).content.decode()
    assert {row[1] for row in _rows(by_department)} == {"赵调出"}
    assert f'<option value="{finance.pk}" selected>财务科</option>' in by_department
    # a department of another unit is no choice: the filter is ignored, not applied
    other_dept = department(world["other"], "别的科")
    assert len(_rows(c.get(url, {"department": other_dept.pk}).content.decode())) == 3


def test_a_dated_register_shows_the_current_period_and_says_how_many_there_are_in_all(world, login):
    own = world["own"]
    Study.objects.create(unit=own, date=D(2022, 10, 1), kind="其他", topic="去年的学习")
    c = login(world, Role.CLERK)
    page = c.get(reverse("web:records", args=[own.id, "study"]), {"period": "2023H1"}).content.decode()
    assert "显示2023年上半年的记录（按“日期”），共 1 条；全部期间共 2 条。" in page
    assert '<option value="2023H1" selected>2023年上半年</option>' in page  # the period named in words
    assert [row[2] for row in _rows(page)] == ["水务局学习"]
    everything = c.get(reverse("web:records", args=[own.id, "study"]), {"all": "1"}).content.decode()
    assert "period-note" not in everything and "全部期间" in everything
    assert {row[2] for row in _rows(everything)} == {"水务局学习", "去年的学习"}


def test_columns_sort_both_ways_and_the_page_size_is_chosen(world, login):
    own = world["own"]
    topics = [f"主题{n:03d}" for n in (5, 17, 3, 42, 11, 29, 8)]
    for i, t in enumerate(topics):
        Study.objects.create(unit=own, date=D(2023, 1, 10 + i), kind="其他", topic=t)
    c = login(world, Role.CLERK)
    url = reverse("web:records", args=[own.id, "study"])
    ascending = _rows(c.get(url, {"all": "1", "kind": "其他", "sort": "topic"}).content.decode())
    assert [r[2] for r in ascending] == sorted(topics)
    descending = c.get(url, {"all": "1", "kind": "其他", "sort": "-topic"}).content.decode()
    assert [r[2] for r in _rows(descending)] == sorted(topics, reverse=True)
    assert "主题 ↓" in descending
    first = _rows(c.get(url, {"all": "1", "kind": "其他", "sort": "topic", "size": "20"}).content.decode())
    assert len(first) == 7
    many = [Study(unit=own, date=D(2023, 2, 1), kind="其他", topic=f"批量{i}") for i in range(45)]
    Study.objects.bulk_create(many)
    page2 = c.get(url, {"all": "1", "size": "20", "page": "2"}).content.decode()
    assert len(_rows(page2)) == 20 and "共 53 条，第 21–40 条" in page2  # 7 + 45 + the fixture's one
    assert len(_rows(c.get(url, {"all": "1", "size": "7"}).content.decode())) == 50  # not offered: default


def test_the_totals_row_sums_every_listed_row_not_only_the_page(world, login):
    own = world["own"]
    amounts = [(2023, "上半年", "公务接待费", "3.50", "2.25"), (2023, "上半年", "公务用车运行维护费", "10.00", "9.10"),
               (2023, "下半年", "公务接待费", "4.00", "1.05")]
    for year, half, category, budget, spent in amounts:
        PublicExpense.objects.create(unit=own, year=year, half=half, category=category, budget=Decimal(budget),
                                     spent=Decimal(spent))
    c = login(world, Role.CLERK)
    page = c.get(reverse("web:records", args=[own.id, "publicexpense"]), {"all": "1", "size": "20"}).content.decode()
    totals = re.search(r'<tr id="totals">(.*?)</tr>', page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", totals, re.S)]
    assert cells[:5] == ["合计（3 条）", "", "", "17.50", "12.40"]  # 3.50+10.00+4.00, 2.25+9.10+1.05
    filtered = c.get(reverse("web:records", args=[own.id, "publicexpense"]),
                     {"all": "1", "category": "公务接待费"}).content.decode()
    assert re.search(r'<tr id="totals">.*?7\.50.*?3\.30', filtered, re.S)


def test_every_role_that_may_see_a_record_may_open_it_read_only(world, login):
    own = world["own"]
    study = Study.objects.get(unit=own)
    url = reverse("web:record_edit", args=[own.id, "study", study.pk])
    for role in (Role.LEADERSHIP, Role.DISCIPLINE, Role.SUPERVISOR):
        c = login(world, role)
        page = c.get(url).content.decode()
        assert 'id="record"' in page and "水务局学习" in page and "<form method=\"post\" class=\"record\"" not in page
        assert "只读" in page
        assert c.post(url, {"date": "2023-01-01", "kind": "其他", "topic": "改"}).status_code == 403
        assert Study.objects.get(pk=study.pk).topic == "水务局学习"
    # the clerk, who may change it, gets the form
    assert 'class="record"' in login(world, Role.CLERK).get(url).content.decode()


def _sheet(response, name: str) -> list[tuple]:
    book = load_workbook(BytesIO(response.content), read_only=True)
    return [tuple(r) for r in book[name].iter_rows(values_only=True)]


def test_the_export_holds_what_the_page_lists_and_imports_back_unchanged(world, login, tmp_path):
    own = world["own"]
    subject = Person.objects.get(unit=own)
    Talk.objects.create(unit=own, date=D(2023, 6, 1), subject=subject, kind="谈心谈话", talker="主任")
    Talk.objects.create(unit=own, date=D(2022, 6, 1), subject=subject, kind="廉洁纪律谈话", talker="书记")
    url = reverse("web:record_export", args=[own.id, "talk"])

    clerk = login(world, Role.CLERK).get(url, {"period": "2023H1", "sort": "date"})
    assert clerk.status_code == 200
    assert "filename*=UTF-8''" in clerk["Content-Disposition"]
    rows = _sheet(clerk, "谈话")
    assert rows[0] == ("日期", "对象", "类型", "谈话人", "事由")
    # 2023H1 only, sorted by date, and without the 诫勉谈话 the clerk sees only as a count
    assert [(r[0].date(), r[2]) for r in rows[1:]] == [(D(2023, 3, 2), "廉洁纪律谈话"), (D(2023, 6, 1), "谈心谈话")]
    assert _sheet(clerk, "单位")[1][0] == own.name

    filtered = login(world, Role.CLERK).get(url, {"all": "1", "kind": "廉洁纪律谈话"})
    assert [r[0].date() for r in _sheet(filtered, "谈话")[1:]] == [D(2023, 3, 2), D(2022, 6, 1)]

    leadership = login(world, Role.LEADERSHIP).get(url, {"period": "2023H1"})
    assert {r[2] for r in _sheet(leadership, "谈话")[1:]} == {"廉洁纪律谈话", "诫勉谈话", "谈心谈话"}

    path = tmp_path / "谈话.xlsx"
    path.write_bytes(leadership.content)
    result = import_workbook(str(path), dry_run=True)
    talks = next(s for s in result.sheets if s.sheet == "谈话")
    assert (talks.new, talks.updated, talks.unchanged) == (0, 0, 3)


def test_search_in_a_sensitive_register_does_not_read_its_text(world, login):
    own = world["own"]
    c = login(world, Role.DISCIPLINE)
    url = reverse("web:records", args=[own.id, "discipline"])
    assert "没有符合条件的记录" in c.get(url, {"all": "1", "q": "谈话提醒"}).content.decode()  # 处理方式
    assert len(_rows(c.get(url, {"all": "1", "q": "张三"}).content.decode())) == 1  # the person's name
    talks = reverse("web:records", args=[own.id, "talk"])
    assert "没有符合条件的记录" in c.get(talks, {"all": "1", "q": "敏感事由"}).content.decode()  # 事由


def test_a_list_page_costs_the_same_number_of_queries_however_long_the_register(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fengqing.rectify.models import Measure, Problem

    own = world["own"]
    c = login(world, Role.LEADERSHIP)
    subject = Person.objects.get(unit=own)

    def queries(url, query) -> int:
        with CaptureQueriesContext(connection) as seen:
            assert c.get(url, query).status_code == 200
        return len(seen)

    talks = reverse("web:records", args=[own.id, "talk"])
    problems = reverse("web:problems", args=[own.id])
    queries(talks, {})  # the session's first request does its one-time security work (policy, activity)
    few = (queries(talks, {"all": "1", "size": "20"}), queries(problems, {"size": "20"}))
    Talk.objects.bulk_create([Talk(unit=own, date=D(2023, 1, 1 + i % 28), subject=subject, kind="谈心谈话")
                              for i in range(300)])
    made = Problem.objects.bulk_create([Problem(unit=own, code=f"W1-B{i:03d}", period="2023H1", aspect="其他",
                                                title=f"问题{i}") for i in range(60)])
    Measure.objects.bulk_create([Measure(problem=p, text=f"措施{n}", deadline=D(2023, 5, 1), status="推进中")
                                 for p in made for n in range(3)])
    # now full pages: talks with their people, problems with their measures and the measures' evidence
    assert (queries(talks, {"all": "1", "size": "20"}), queries(problems, {"size": "20"})) == few


def test_pages_past_the_middle_are_read_from_the_end_and_list_the_same_rows(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    own = world["own"]
    Study.objects.filter(unit=own).delete()
    # 53 studies, several on the same day, so that the id decides between them
    made = Study.objects.bulk_create([Study(unit=own, date=D(2023, 1 + i % 5, 1 + i % 3), kind="其他",
                                            topic=f"第{i:02d}次") for i in range(53)])
    newest_first = [s.topic for s in sorted(made, key=lambda s: (s.date, s.id), reverse=True)]
    by_topic_desc = sorted(newest_first, reverse=True)
    c = login(world, Role.CLERK)
    url = reverse("web:records", args=[own.id, "study"])

    def topics(**query) -> list[str]:
        return [row[2] for row in _rows(c.get(url, {"all": "1", "size": "20", **query}).content.decode())]

    assert [topics(page=n) for n in (1, 2, 3)] == [newest_first[:20], newest_first[20:40], newest_first[40:]]
    assert topics(page="last") == newest_first[40:]
    assert [topics(page=n, sort="-topic") for n in (1, 2, 3)] == [
        by_topic_desc[:20], by_topic_desc[20:40], by_topic_desc[40:]]
    with CaptureQueriesContext(connection) as seen:
        page = c.get(url, {"all": "1", "size": "20", "page": "3"}).content.decode()
    assert "共 53 条，第 41–53 条" in page
    # the last 13 rows come first in the reversed order: no OFFSET past the 40 rows before them
    assert not [q for q in seen.captured_queries if "OFFSET 40" in q["sql"]]
