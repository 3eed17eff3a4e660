"""导入导出 and 报告 pages."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from fengqing.accounts.models import AuditEntry, Role
from fengqing.ledger.models import Study
from fengqing.report.models import Narrative
from fengqing.workbook.exporter import export_unit
from tests.factories import person


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


UNIT_ROW = [["单位名称", "单位简称", "党组织名称"], ["河川市水务局", "水务局", "中共河川市水务局党组"]]


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
