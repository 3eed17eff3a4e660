"""台账 pages: the generic form's validation in Chinese, the audit of every change, filters and the sensitive
counts."""

from __future__ import annotations

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from fengqing.accounts.models import AuditEntry, Role
from fengqing.ledger.models import PublicExpense, Study, Talk
from fengqing.org.models import Department, Person
from fengqing.rectify.models import Measure, Problem
from fengqing.web.models import Evidence
from tests.factories import D, branch


def _new(c, unit, kind, data):
    return c.post(reverse("web:record_new", args=[unit.id, kind]), data)


def test_clerk_adds_a_talk_and_the_change_is_audited(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    subject = Person.objects.get(unit=own)
    response = _new(c, own, "talk", {"date": "2023-05-06", "subject": subject.pk, "kind": "廉洁纪律谈话",
                                     "talker": "书记", "reason": ""})
    assert response.status_code == 302
    talk = Talk.objects.get(unit=own, date=D(2023, 5, 6))
    entry = AuditEntry.objects.get(model="谈话", object_id=str(talk.pk))
    assert (entry.actor, entry.via, entry.action, entry.unit_id) == ("clerk", "网页", "新增", own.id)
    assert entry.after["kind"] == "廉洁纪律谈话" and entry.before is None

    edit = reverse("web:record_edit", args=[own.id, "talk", talk.pk])
    c.post(edit, {"date": "2023-05-07", "subject": subject.pk, "kind": "谈心谈话", "talker": "书记", "reason": ""})
    update = AuditEntry.objects.get(model="谈话", action="修改")
    assert (update.before["date"], update.after["date"]) == ("2023-05-06", "2023-05-07")

    c.post(reverse("web:record_delete", args=[own.id, "talk", talk.pk]))
    assert not Talk.objects.filter(pk=talk.pk).exists()
    deleted = AuditEntry.objects.get(model="谈话", action="删除")
    assert deleted.before["kind"] == "谈心谈话" and deleted.after is None


def test_the_unit_comes_from_the_page_not_the_post(world, login):
    c = login(world, Role.CLERK)
    own, other = world["own"], world["other"]
    _new(c, own, "study", {"date": "2023-02-02", "kind": "其他", "topic": "自学", "unit": other.id})
    assert Study.objects.get(topic="自学").unit == own


def test_clerk_may_not_record_a_sensitive_talk(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    subject = Person.objects.get(unit=own)
    page = c.get(reverse("web:record_new", args=[own.id, "talk"])).content.decode()
    assert "廉洁纪律谈话" in page and "诫勉谈话" not in page
    response = _new(c, own, "talk", {"date": "2023-05-06", "subject": subject.pk, "kind": "诫勉谈话"})
    assert response.status_code == 200
    assert not Talk.objects.filter(date=D(2023, 5, 6)).exists()


def _errors(response) -> str:
    assert response.status_code == 200  # the form is shown again
    return response.content.decode()


def test_validation_messages_are_in_chinese(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    page = _errors(_new(c, own, "study", {"date": "", "kind": "不存在的类型", "topic": ""}))
    assert "这个字段是必填项" in page
    assert "选择一个有效的选项" in page

    page = _errors(_new(c, own, "document", {"date": "2023-01-05", "title": "《学习计划》", "category": "学习计划"}))
    assert "标题请不要带书名号《》" in page

    subject = Person.objects.get(unit=own)
    page = _errors(_new(c, own, "posting", {"subject": subject.pk, "host": "某镇", "start": "2023-05-01",
                                            "end": "2023-04-01"}))
    assert "结束日期不能早于开始日期" in page

    person = {"staff_no": "P9", "name": "李四", "category": "公务员", "status": "在职", "political_status": "中共党员"}
    page = _errors(_new(c, own, "person", person))
    assert "中共党员和预备党员必须填写所在党支部" in page
    page = _errors(_new(c, own, "person", {**person, "political_status": "群众", "status": "退休"}))
    assert "必须填写状态日期" in page

    taken = Person.objects.get(unit=own).staff_no
    page = _errors(_new(c, own, "person", {**person, "political_status": "群众", "staff_no": taken}))
    assert "本单位已有“工号”相同的人员记录" in page
    assert Person.objects.filter(unit=own).count() == 1


def test_a_negative_amount_is_answered_under_its_field_not_with_the_database_s_constraint(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    expense = {"year": "2023", "half": "上半年", "category": "公务接待费", "budget": "-1", "spent": "2.5"}
    page = _errors(_new(c, own, "publicexpense", expense))
    assert "预算数不能为负数" in page and "约束" not in page
    page = _errors(_new(c, own, "publicexpense", {**expense, "budget": "3", "spent": "-0.5"}))
    assert "支出数不能为负数" in page and "约束" not in page
    assert not PublicExpense.objects.filter(unit=own).exists()
    assert _new(c, own, "publicexpense", {**expense, "budget": "0"}).status_code == 302  # zero is an amount


def test_a_person_in_another_unit_cannot_be_chosen(world, login):
    c = login(world, Role.CLERK)
    own, other = world["own"], world["other"]
    stranger = Person.objects.get(unit=other)
    page = _errors(_new(c, own, "talk", {"date": "2023-05-06", "subject": stranger.pk, "kind": "谈心谈话"}))
    assert "选择一个有效的选项" in page


def test_person_with_branch_is_saved(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    b = branch(own, "机关第一党支部")
    response = _new(c, own, "person", {"staff_no": "P9", "name": "李四", "category": "公务员", "status": "在职",
                                       "political_status": "中共党员", "branch": b.pk})
    assert response.status_code == 302
    assert Person.objects.get(staff_no="P9").branch == b


def test_sensitive_records_are_counts_for_the_clerk_and_detail_for_the_discipline_group(world, login):
    own = world["own"]
    url = reverse("web:records", args=[own.id, "talk"]) + "?period=2023H1"
    clerk_page = login(world, Role.CLERK).get(url).content.decode()
    assert "<td class=\"nowrap\">廉洁纪律谈话</td>" in clerk_page and ">诫勉谈话</td>" not in clerk_page
    assert "敏感事由" not in clerk_page
    assert "另有 <b>1</b> 条敏感记录" in clerk_page
    discipline_page = login(world, Role.DISCIPLINE).get(url).content.decode()
    assert "<td class=\"nowrap\">诫勉谈话</td>" in discipline_page and "敏感事由" in discipline_page and "另有" not in discipline_page
    petitions = login(world, Role.CLERK).get(reverse("web:records", args=[own.id, "petition"]) + "?period=2023H1")
    assert "另有 <b>1</b> 条敏感记录" in petitions.content.decode() and "某人" not in petitions.content.decode()


def test_filters_and_pagination(world, login):
    own = world["own"]
    Study.objects.bulk_create([Study(unit=own, date=D(2023, 1 + i % 6, 1 + i % 28), kind="其他", topic=f"专题{i}")
                               for i in range(120)])
    Study.objects.create(unit=own, date=D(2022, 12, 1), kind="专题读书班", topic="去年的读书班")
    c = login(world, Role.CLERK)
    url = reverse("web:records", args=[own.id, "study"])
    page = c.get(url, {"period": "2023H1"}).content.decode()
    assert "共 121 条，第 1–50 条" in page  # 120 + the fixture's study; the one of 2022 left out
    assert re.search(r'<b class="here" aria-current="page">1</b><a href="[^"]*page=2">2</a><a href="[^"]*page=3">3</a>',
                     page)
    assert "去年的读书班" not in page
    assert "共 11 条" in c.get(url, {"period": "2023H1", "q": "专题11"}).content.decode()  # 11, 110–119
    assert "共 1 条" in c.get(url, {"period": "2023H1", "kind": "党组理论学习中心组"}).content.decode()
    assert "去年的读书班" in c.get(url, {"all": "1", "kind": "专题读书班"}).content.decode()
    last = c.get(url, {"period": "2023H1", "page": 3}).content.decode()
    assert last.count("<tr>") == 1 + 21  # header + the rows left over after two pages of 50


def test_deleting_a_problem_logs_every_measure_and_evidence_file_it_takes_with_it(world, login):
    own = world["own"]
    problem = Problem.objects.create(unit=own, code="W1-P9", period="2023H1", aspect="问题整改", title="整改拖延")
    measures = [Measure.objects.create(problem=problem, text=f"措施{i}", deadline=D(2023, 6, i + 1), status="推进中")
                for i in range(4)]
    files = [Evidence.objects.create(measure=measures[i], file=ContentFile(b"%PDF", name="e.pdf"), name=f"佐证{i}.pdf",
                                     size=4, uploaded_by="test") for i in (0, 3)]
    c = login(world, Role.LEADERSHIP)
    listing = c.get(reverse("web:records", args=[own.id, "problem"]), {"period": "2023H1"}).content.decode()
    assert "确定删除这条问题记录吗？它的整改措施和佐证材料将一并删除。" in listing
    response = c.post(reverse("web:record_delete", args=[own.id, "problem", problem.pk]), follow=True)
    assert "已删除问题记录，连同整改措施 4 条、佐证材料 2 条" in response.content.decode()
    assert not Measure.objects.filter(problem_id=problem.pk).exists()
    deleted = AuditEntry.objects.filter(action="删除")
    assert sorted(deleted.values_list("model", "object_id")) == sorted(
        [("问题", str(problem.pk))] + [("整改措施", str(m.pk)) for m in measures]
        + [("佐证材料", str(e.pk)) for e in files])
    assert {(e.actor, e.via, e.unit_id, e.unit_name) for e in deleted} == {("leadership", "网页", own.id, own.name)}
    assert deleted.get(model="整改措施", object_id=str(measures[2].pk)).before["text"] == "措施2"
    assert deleted.get(model="佐证材料", object_id=str(files[1].pk)).before["name"] == "佐证3.pdf"


def test_a_record_still_referred_to_is_not_deleted_nor_logged(world, login):
    own = world["own"]
    dept = Department.objects.get(unit=own)  # 张三 works there
    c = login(world, Role.CLERK)
    response = c.post(reverse("web:record_delete", args=[own.id, "department", dept.pk]), follow=True)
    assert "不能删除：还有 1 条记录引用了这条机构记录" in response.content.decode()
    assert Department.objects.filter(pk=dept.pk).exists()
    assert not AuditEntry.objects.filter(action="删除").exists()


def test_editing_a_measure_keeps_its_problem(world, login):
    c = login(world, Role.LEADERSHIP)
    own = world["own"]
    measure = Measure.objects.get(problem__unit=own)
    url = reverse("web:record_edit", args=[own.id, "measure", measure.pk])
    page = c.get(url).content.decode()
    # the problem's option is the selected one, as it is stored
    assert f'<option value="{measure.problem_id}" selected>' in page
    # saving the form as shown (unchanged) succeeds and keeps the problem
    response = c.post(url, {"problem": measure.problem_id, "text": measure.text, "owner": "",
                            "deadline": "2023-05-01", "status": "推进中", "done_date": ""})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.problem.code == f"{own.code}-P1"


def test_a_very_long_search_is_cut_with_a_message(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    # 20,000 characters: 60,000 bytes of UTF-8, more than SQLite's LIKE pattern limit of 50,000
    response = c.get(reverse("web:records", args=[own.id, "study"]), {"q": "学" * 20000, "all": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "查找内容过长（20000 个字），只按前 50 个字查找" in page
    assert "没有符合条件的记录" in page
