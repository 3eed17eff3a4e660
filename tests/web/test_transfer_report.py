"""导入导出 and 报告 pages."""

from __future__ import annotations

import html as html_lib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fengqing.accounts.models import AuditEntry, Role
from fengqing.ledger.models import Discipline, DutyTask, Petition, Study, Talk
from fengqing.org.models import Person
from fengqing.rectify.models import Measure, Problem
from fengqing.report.models import Narrative
from fengqing.web.views import report as report_view
from fengqing.web.views import transfer
from fengqing.workbook.exporter import export_unit
from tests.factories import D, person


def _xlsx(rows_by_sheet) -> SimpleUploadedFile:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in rows_by_sheet.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("book.xlsx", buffer.getvalue())


# the fixture's unit exactly, so that a workbook with it changes nothing in 单位
UNIT_ROW = [["单位名称", "单位简称", "单位代码", "党组织名称"], ["河川市水务局", "水务局", "W1", "中共河川市水务局党组"]]


def test_a_bad_workbook_shows_every_error_and_imports_nothing(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    before = Study.objects.count()
    book = _xlsx({"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"], ["2023-13-01", "党组理论学习中心组", "x"],
                                              ["2023-02-01", "不存在", "y"]]})
    page = c.post(reverse("web:transfer", args=[own.id]), {"workbook": book}).content.decode()
    assert "工作簿有 2 处错误，未导入任何记录" in page
    assert "2023-13-01" in page and "不存在" in page
    assert Study.objects.count() == before


def test_upload_preview_then_confirm(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    book = _xlsx({"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", "新的学习"]]})
    page = c.post(reverse("web:transfer", args=[own.id]), {"workbook": book}).content.decode()
    assert "预览" in page and "确认导入" in page
    assert not Study.objects.filter(topic="新的学习").exists()  # the preview writes nothing
    token = c.session["pending_import"]["token"]
    c.post(reverse("web:import_confirm", args=[own.id]), {"token": token})
    assert Study.objects.get(topic="新的学习").unit == own
    assert AuditEntry.objects.filter(actor="clerk", via="网页", model="学习", action="新增").count() == 1


def test_a_workbook_of_another_unit_or_with_sensitive_rows_is_refused_to_the_clerk(world, login):
    c = login(world, Role.CLERK)
    own, other = world["own"], world["other"]
    buffer = io.BytesIO()
    export_unit(other, buffer)
    page = c.post(reverse("web:transfer", args=[own.id]),
                  {"workbook": SimpleUploadedFile("o.xlsx", buffer.getvalue())}).content.decode()
    assert "不是本单位" in page and "pending_import" not in c.session
    secret = _xlsx({"单位": UNIT_ROW, "四种形态": [["日期", "对象", "形态", "处理方式"],
                                                    ["2023-02-01", "张三", "第二种形态", "警告"]]})
    page = c.post(reverse("web:transfer", args=[own.id]), {"workbook": secret}).content.decode()
    assert "工作簿含有敏感记录（四种形态）" in page and "pending_import" not in c.session
    talks = [["日期", "对象", "类型"], ["2023-02-01", "张三", "廉洁纪律谈话"], ["2023-02-02", "张三", "诫勉谈话"]]
    page = _preview(c, own, {"单位": UNIT_ROW, "谈话": talks})
    assert "工作簿含有敏感记录（谈话（提醒谈话、诫勉谈话等））" in page and "pending_import" not in c.session
    assert "确认导入" in _preview(c, own, {"单位": UNIT_ROW, "谈话": talks[:2]})  # an ordinary talk it may import


def test_the_upload_must_be_an_xlsx(world, login):
    c = login(world, Role.CLERK)
    page = c.post(reverse("web:transfer", args=[world["own"].id]),
                  {"workbook": SimpleUploadedFile("a.xlsx", b"not a zip")}).content.decode()
    assert "文件内容不是 .xlsx 工作簿" in page
    page = c.post(reverse("web:transfer", args=[world["own"].id]),
                  {"workbook": SimpleUploadedFile("a.csv", b"a,b")}).content.decode()
    assert "不支持的文件类型“.csv”" in page


def test_evidence_type_is_checked(world, login):
    c = login(world, Role.LEADERSHIP)
    own = world["own"]
    measure = own.problem_set.get().measures.get()
    c.post(reverse("web:evidence_upload", args=[own.id, measure.pk]),
           {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert measure.evidence.count() == 1  # only the fixture's
    c.post(reverse("web:evidence_upload", args=[own.id, measure.pk]),
           {"file": SimpleUploadedFile("照片.png", b"\x89PNG....")})
    assert measure.evidence.count() == 2


def test_leadership_writes_a_paragraph_seen_in_the_preview(world, login):
    c = login(world, Role.LEADERSHIP)
    own = world["own"]
    text = "班子成员带头讲廉政党课，推动责任落实。"
    c.post(reverse("web:narrative", args=[own.id]) + "?period=2023H1", {"section": "duty", "text": text})
    assert Narrative.objects.get(unit=own, period="2023H1", section="duty").text == text
    assert AuditEntry.objects.filter(actor="leadership", model="报告文字", action="新增").exists()
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1"}).content.decode()
    assert page.count(text) == 2  # in the report and in its editor
    assert login(world, Role.CLERK).post(reverse("web:narrative", args=[own.id]),
                                         {"section": "duty", "text": "x"}).status_code == 403


def test_a_figure_links_to_the_records_it_counts(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1"}).content.decode()
    prefix = reverse("web:report", args=[own.id]) + "facts/"
    assert f'href="{prefix}' in page
    from fengqing.report.api import build_report

    fact = next(f for f in build_report(own, "2023H1").facts if any(r.startswith("study:") for r in f["records"]))
    detail = c.get(reverse("web:report_fact", args=[own.id, fact["id"]]), {"period": "2023H1"}).content.decode()
    assert "水务局学习" in detail  # the fixture's study topic
    unknown = c.get(reverse("web:report_fact", args=[own.id, "study.no_such_figure"]), {"period": "2023H1"})
    assert unknown.status_code == 404


def test_a_figure_s_link_names_its_period_whatever_the_session_remembers(world, login):
    """The session remembers the last period asked for; a link from the 2023H1 preview, followed after another
    tab has moved to 2022H2, still opens 2023H1's figure."""
    c = login(world, Role.CLERK)
    own = world["own"]
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1"}).content.decode()
    href = html_lib.unescape(re.search(r'<a class="fact" href="([^"]+)"', page).group(1))
    c.get(reverse("web:report", args=[own.id]), {"period": "2022H2"})  # the other tab
    opened = c.get(href).content.decode()
    assert "· 2023年上半年</small>" in opened and "2022年下半年" not in opened


def test_a_figure_reads_at_the_previews_date(world, login):
    """A duty task due 2023-07-15 is not yet due at the 2023H1 report's default 成文日期 (06-30), and is at
    08-01: the figure's page says what the preview at that date says."""
    c = login(world, Role.CLERK)
    own = world["own"]
    DutyTask.objects.create(unit=own, task="修订廉政风险防控手册", deadline=D(2023, 7, 15), status="已完成",
                            done_date=D(2023, 7, 10))
    url = reverse("web:report_fact", args=[own.id, "task.due"])
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1", "date": "2023-08-01"}).content.decode()
    assert f'href="{url}?period=2023H1&amp;date=2023-08-01"' in page
    later = c.get(url, {"period": "2023H1", "date": "2023-08-01"}).content.decode()
    assert "已到完成时限的责任分工任务1项" in later and "统计了下列 1 条记录" in later
    assert "?period=2023H1&amp;date=2023-08-01" in later  # back to the report at the same date
    default = c.get(url, {"period": "2023H1"}).content.decode()
    assert "已到完成时限的责任分工任务0项" in default and "统计了下列 0 条记录" in default
    # at the default date, the links carry the period and no date
    links = re.findall(r'<a class="fact" href="([^"]+)"',
                       c.get(reverse("web:report", args=[own.id]), {"period": "2023H1"}).content.decode())
    assert links and all(link.endswith("/?period=2023H1") for link in links)
    for bad in ("2023-06-29", "someday"):  # before the period's end, or not a date: no such report
        assert c.get(url, {"period": "2023H1", "date": bad}).status_code == 404
    # signed at 08-01, the report states its figures at that date, and so does the page without asking
    login(world, Role.LEADERSHIP).post(reverse("web:signoff", args=[own.id]) + "?period=2023H1", {"date": "2023-08-01"})
    c = login(world, Role.CLERK)
    assert "统计了下列 1 条记录" in c.get(url, {"period": "2023H1"}).content.decode()


def test_a_figure_of_a_signed_report_says_when_the_records_now_count_otherwise(world, login):
    """Signed with one task due, then a second task due is recorded: the figure's page lists both, counted now,
    and says that the signed report states one."""
    own = world["own"]
    DutyTask.objects.create(unit=own, task="修订廉政风险防控手册", deadline=D(2023, 5, 15), status="已完成",
                            done_date=D(2023, 5, 10))
    login(world, Role.LEADERSHIP).post(reverse("web:signoff", args=[own.id]) + "?period=2023H1", {"date": "2023-06-30"})
    c = login(world, Role.CLERK)
    url = reverse("web:report_fact", args=[own.id, "task.due"])
    page = c.get(url, {"period": "2023H1"}).content.decode()
    assert "统计了下列 1 条记录" in page and "签发后数据有变化" not in page  # as signed: nothing to say
    DutyTask.objects.create(unit=own, task="开展警示教育", deadline=D(2023, 6, 1), status="已完成",
                            done_date=D(2023, 5, 30))
    page = c.get(url, {"period": "2023H1"}).content.decode()
    assert "按现在的记录，“<b>已到完成时限的责任分工任务2项" in page and "统计了下列 2 条记录" in page
    assert "签发后数据有变化" in page and "签发的报告中为“<b>已到完成时限的责任分工任务1项" in page


@pytest.mark.parametrize("in_list_max", [1000, 10])  # the figure's ids as an IN list, or matched in Python
def test_the_records_behind_a_figure_come_a_page_at_a_time(world, login, monkeypatch, in_list_max):
    monkeypatch.setattr(report_view, "IN_LIST_MAX", in_list_max)
    c = login(world, Role.CLERK)
    own = world["own"]
    for i in range(60):
        Study.objects.create(unit=own, date=D(2023, 5, 1 + i % 28), kind="专题读书班", topic=f"读书班第{i}期")
    url = reverse("web:report_fact", args=[own.id, "study.course"])

    def topics(page):
        html = c.get(url, {"period": "2023H1", "page": page}).content.decode()
        return html, re.findall(r"<td>(读书班第\d+期)</td>", html)

    first, on_first = topics(1)
    assert "统计了下列 60 条记录" in first
    assert '<b class="here" aria-current="page">1</b>' in first and "page=2" in first
    _, on_second = topics(2)
    assert len(on_first) == 50 and len(on_second) == 10
    assert set(on_first) | set(on_second) == {f"读书班第{i}期" for i in range(60)}
    # the facts are kept between pages, and computed anew once the records change
    Study.objects.create(unit=own, date=D(2023, 6, 1), kind="专题读书班", topic="读书班第60期")
    again, newest_first = topics(1)
    assert "统计了下列 61 条记录" in again and newest_first[0] == "读书班第60期"


def test_report_downloads(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    md = c.get(reverse("web:report_download", args=[own.id, "md"]), {"period": "2023H1"})
    assert md.status_code == 200 and "政治生态分析研判情况的报告" in md.content.decode()
    redacted = c.get(reverse("web:report_download", args=[own.id, "md"]), {"period": "2023H1", "redact": "1"})
    assert "河川市水务局" not in redacted.content.decode()
    docx = c.get(reverse("web:report_download", args=[own.id, "docx"]), {"period": "2023H1"})
    assert docx.content[:2] == b"PK"


def _preview(c, unit, sheets, **data):
    return c.post(reverse("web:transfer", args=[unit.id]), {"workbook": _xlsx(sheets), **data}).content.decode()


MEASURE_HEAD = ["问题编号", "措施", "完成时限", "状态", "完成日期"]


def test_the_clerk_may_not_import_problems_measures_or_the_unit_row(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    page = _preview(c, own, {"单位": UNIT_ROW, "问题": [["编号", "期间", "方面", "标题"],
                                                         ["W1-P2", "2023H1", "纪律作风", "clerk 自拟的问题"]]})
    assert "您的角色不能修改工作簿中的：问题（新增 1 条）" in page and "pending_import" not in c.session
    # marking the fixture's overdue measure done would lift the rectification indicators
    page = _preview(c, own, {"单位": UNIT_ROW, "整改措施": [MEASURE_HEAD,
                                                             ["W1-P1", "补谈", "2023-05-01", "已完成", "2023-04-30"]]})
    assert "整改措施（修改 1 条）" in page and "pending_import" not in c.session
    page = _preview(c, own, {"单位": [UNIT_ROW[0], ["河川市水务局", "水利局", "W1", "中共河川市水务局党组"]]})
    assert "单位（修改 1 条）" in page and "pending_import" not in c.session
    assert Measure.objects.get(problem__unit=own).status == "推进中"
    assert not Problem.objects.filter(code="W1-P2").exists()
    own.refresh_from_db()
    assert own.short_name == "水务局"


def test_unchanged_rows_of_sheets_the_clerk_may_not_write_are_accepted(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    page = _preview(c, own, {"单位": UNIT_ROW, "整改措施": [MEASURE_HEAD, ["W1-P1", "补谈", "2023-05-01", "推进中", None]],
                             "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", "新的学习"]]})
    assert "确认导入" in page


def test_the_permission_check_is_repeated_when_the_import_is_confirmed(world, login):
    """The records may change between preview and confirmation; the confirmed import is checked again."""
    c = login(world, Role.CLERK)
    own = world["own"]
    _preview(c, own, {"单位": UNIT_ROW, "整改措施": [MEASURE_HEAD, ["W1-P1", "补谈", "2023-05-01", "推进中", None]],
                      "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", "新的学习"]]})
    token = c.session["pending_import"]["token"]
    Measure.objects.filter(problem__unit=own).update(status="已完成", done_date=D(2023, 4, 30))
    response = c.post(reverse("web:import_confirm", args=[own.id]), {"token": token}, follow=True)
    assert "您的角色不能修改工作簿中的：整改措施（修改 1 条）" in response.content.decode()
    assert Measure.objects.get(problem__unit=own).status == "已完成"
    assert not Study.objects.filter(topic="新的学习").exists()
    assert not AuditEntry.objects.filter(model="学习").exists()


def test_the_discipline_group_may_not_replace_what_it_may_not_change(world, login):
    c = login(world, Role.DISCIPLINE)
    own = world["own"]
    # --replace with 学习 given by its header only: it would empty 学习, which the group may not change
    page = _preview(c, own, {"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"]]}, replace="on")
    assert "您的角色不能修改工作簿中的：学习（删除 1 条）" in page
    assert "pending_import" not in c.session
    page = _preview(c, own, {"单位": UNIT_ROW, "四种形态": [["日期", "对象", "形态", "处理方式"],
                                                            ["2023-02-01", "张三", "第二种形态", "警告"]]})
    assert "确认导入" in page  # its own sheets it may import


def test_the_clerk_learns_nothing_of_sensitive_rows_from_the_preview(world, login):
    """An unchanged 四种形态 row would tell the clerk that the record exists, a new one that it does not."""
    c = login(world, Role.CLERK)
    own = world["own"]
    existing = ["2023-04-01", "张三", "第一种形态", "谈话提醒"]
    page = _preview(c, own, {"单位": UNIT_ROW, "四种形态": [["日期", "对象", "形态", "处理方式"], existing]})
    assert "工作簿含有敏感记录（四种形态），您的角色不能导入" in page and "import-preview" not in page


def test_a_workbook_of_another_unit_is_refused_before_its_references_are_checked(world, login):
    """Whether a person exists in another unit must not show in the answer."""
    c = login(world, Role.CLERK)
    own, other = world["own"], world["other"]
    person(other, "李秘")
    other_row = [UNIT_ROW[0], ["河川市交通局", "交通局", "T1", "中共河川市交通局党组"]]
    pages = [_preview(c, own, {"单位": other_row, "谈话": [["日期", "对象", "类型"], ["2023-05-01", name, "谈心谈话"]]})
             for name in ("李秘", "王不存在")]
    for page in pages:
        assert "不是本单位" in page and "处错误" not in page and "王不存在" not in page


def test_a_database_refusal_is_shown_in_chinese(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    taken = [UNIT_ROW[0], ["河川市水务局", "水务局", "T1", "中共河川市水务局党组"]]  # the other unit's code
    response = c.post(reverse("web:transfer", args=[own.id]), {"workbook": _xlsx({"单位": taken})})
    assert response.status_code == 200 and "未导入任何记录" in response.content.decode()
    own.refresh_from_db()
    assert own.code == "W1"


def test_a_database_error_in_preview_or_confirmation_is_shown_in_chinese(world, login, monkeypatch):
    c = login(world, Role.CLERK)
    own = world["own"]
    study = {"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", "新的学习"]]}
    _preview(c, own, study)
    token = c.session["pending_import"]["token"]

    def refused(*args, **kwargs):
        raise DataError("value too long for type character varying(200)")

    monkeypatch.setattr(transfer, "import_workbook", refused)
    response = c.post(reverse("web:import_confirm", args=[own.id]), {"token": token}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "导入未完成：数据库拒绝写入" in page
    assert "character varying" not in page
    response = c.post(reverse("web:transfer", args=[own.id]), {"workbook": _xlsx(study)})
    page = response.content.decode()
    assert response.status_code == 200 and "数据库拒绝写入" in page and "character varying" not in page
    assert "pending_import" not in c.session


# -- a sensitive record is deleted only by a role that may see it, whichever the path ------------------------

def _export_without(unit, sheet: str, drop) -> SimpleUploadedFile:
    """The unit's export with the rows of ``sheet`` for which ``drop(values by header)`` holds left out."""
    buffer = io.BytesIO()
    export_unit(unit, buffer)
    wb = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in range(ws.max_row, 1, -1):
        if drop(dict(zip(header, (c.value for c in ws[row]), strict=True))):
            ws.delete_rows(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("export.xlsx", out.getvalue())


def _confirm(c, unit, workbook, **data):
    c.post(reverse("web:transfer", args=[unit.id]), {"workbook": workbook, **data})
    pending = c.session["pending_import"]
    c.post(reverse("web:import_confirm", args=[unit.id]), {"token": pending["token"]})
    return pending


def test_a_clerks_replace_never_deletes_a_sensitive_talk(world, login):
    """A unit whose only sensitive record is a 诫勉谈话: the clerk's import may write talks, so only the scope's
    refusal of --replace keeps the talk the workbook lacks."""
    own = world["own"]
    Discipline.objects.filter(unit=own).delete()
    Petition.objects.filter(unit=own).delete()
    secret = Talk.objects.get(unit=own, kind="诫勉谈话")
    c = login(world, Role.CLERK)
    assert 'name="replace"' not in c.get(reverse("web:transfer", args=[own.id])).content.decode()
    workbook = _export_without(own, "谈话", lambda row: row["类型"] == "诫勉谈话")
    assert _confirm(c, own, workbook, replace="on")["replace"] is False
    assert Talk.objects.filter(pk=secret.pk).exists()
    assert not AuditEntry.objects.filter(action="删除").exists()


def test_the_discipline_groups_replace_deletes_the_sensitive_talk_the_workbook_lacks(world, login):
    own = world["own"]
    secret = Talk.objects.get(unit=own, kind="诫勉谈话")
    c = login(world, Role.DISCIPLINE)
    assert 'name="replace"' in c.get(reverse("web:transfer", args=[own.id])).content.decode()
    _confirm(c, own, _export_without(own, "谈话", lambda row: row["类型"] == "诫勉谈话"), replace="on")
    assert not Talk.objects.filter(pk=secret.pk).exists()
    assert list(AuditEntry.objects.filter(action="删除").values_list("model", "object_id")) == [("谈话", str(secret.pk))]


def test_a_clerk_cannot_delete_a_person_and_with_them_their_sensitive_records(world, login):
    """Deleting a person would take their records along; those that refer to a person are kept (RESTRICT), so a
    clerk's deletion of 张三, the subject of a 诫勉谈话 and a 四种形态 record, is refused and nothing is lost."""
    own = world["own"]
    zhang = Person.objects.get(unit=own, name="张三")
    c = login(world, Role.CLERK)
    response = c.post(reverse("web:record_delete", args=[own.id, "person", zhang.pk]), follow=True)
    # his two talks and his 四种形态 record
    assert "不能删除：还有 3 条记录引用了这条人员记录" in response.content.decode()
    assert Talk.objects.filter(subject=zhang, kind="诫勉谈话").exists()
    assert Discipline.objects.filter(subject=zhang).exists()
    assert not AuditEntry.objects.filter(action="删除").exists()
