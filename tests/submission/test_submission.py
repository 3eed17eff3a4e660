"""报送 (issue 13, item 1): signed or uploaded reports submitted, sent back with a comment, every version kept
and immutable; the deadline and the 已报送/未报送/逾期 list; the .zip; uploads read by the reader."""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from docx import Document

from fengqing.accounts.models import AuditEntry
from fengqing.analysis.api import analyze
from fengqing.errors import SubmissionError
from fengqing.ledger.models import Talk
from fengqing.periods import parse_period
from fengqing.report import signoff
from fengqing.report.models import Narrative
from fengqing.submission import api
from fengqing.submission.models import Submission
from tests.factories import D, person, unit

H1 = parse_period("2023H1")


def _docx(lines: list[str]) -> bytes:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture
def world(db):
    u = unit(code="W1")
    leader = User.objects.create(username="lead", last_name="王", first_name="强")
    boss = User.objects.create(username="jiwei", last_name="赵", first_name="刚")
    return u, leader, boss


def submit_file(u, leader, name="报告.docx", data=None):
    return api.submit_file(u, H1, name, data or _docx(["水务局2023年上半年研判报告。", "全文正文。"]), leader, "lead", "测试")


def test_signed_report_is_submitted_as_signed_and_kept(world):
    u, leader, boss = world
    with pytest.raises(SubmissionError, match="尚未签发"):
        api.submit_signed(u, H1, leader, "lead", "测试")
    signed = signoff.sign(u, H1, leader, "lead", "测试")
    s = api.submit_signed(u, H1, leader, "lead", "测试")
    assert (s.kind, s.version, s.signed_id, s.sha256) == ("signed", 1, signed.pk, signed.docx_sha256)
    name, data, _ = api.content(s)
    assert data == bytes(signed.docx) and hashlib.sha256(data).hexdigest() == s.sha256
    assert name == "水务局-2023H1-政治生态分析研判报告.docx"
    with pytest.raises(SubmissionError, match="已报送；被退回后方可重新报送"):
        api.submit_signed(u, H1, leader, "lead", "测试")


def test_send_back_then_resubmit_keeps_both_versions_immutable(world):
    u, leader, boss = world
    first = submit_file(u, leader)
    with pytest.raises(SubmissionError, match="请填写退回意见"):
        api.send_back(u, H1, "  ", boss, "jiwei", "测试")
    api.send_back(u, H1, "三、存在的问题过于笼统，请补充具体问题。", boss, "jiwei", "测试")
    assert api.current(u, H1) is None
    second = submit_file(u, leader, "报告（修改稿）.txt", "修改后的报告。".encode())
    assert [v.version for v in api.versions(u, H1)] == [2, 1]
    first.refresh_from_db()
    assert (first.comment, first.returned_by_id, first.in_force) == ("三、存在的问题过于笼统，请补充具体问题。", boss.pk, False)
    assert api.current(u, H1).pk == second.pk
    # a version is never changed (but for its return) nor deleted
    first.file_name = "改名.docx"
    with pytest.raises(SubmissionError, match="不能修改"):
        first.save()
    with pytest.raises(SubmissionError, match="不能删除"):
        second.delete()
    assert Submission.objects.get(pk=first.pk).file_name == "报告.docx"
    logged = list(AuditEntry.objects.filter(model="报告报送").order_by("id").values_list("action", "after"))
    assert [a for a, _ in logged] == [AuditEntry.CREATE, AuditEntry.UPDATE, AuditEntry.CREATE]
    assert logged[1][1]["comment"] == "三、存在的问题过于笼统，请补充具体问题。"
    assert logged[2][1]["sha256"] == hashlib.sha256("修改后的报告。".encode()).hexdigest()


@pytest.mark.parametrize("name, data, message", [
    ("报告.xlsx", b"PK", "不支持的文件类型“报告.xlsx”"),
    ("报告.docx", b"not a zip", "无法读取文件“报告.docx”"),
    ("报告.txt", b"   \n", "没有文字"),
    ("报告.txt", b"x" * (api.MAX_BYTES + 1), "文件过大"),
])
def test_bad_uploads_are_refused_in_chinese_and_nothing_is_stored(world, name, data, message):
    u, leader, _ = world
    with pytest.raises(SubmissionError, match=message):
        submit_file(u, leader, name, data)
    assert not Submission.objects.exists() and not AuditEntry.objects.filter(model="报告报送").exists()


def test_status_list_and_deadline(world):
    u, leader, boss = world
    late_unit = unit("河川市林业局", "林业局", code="L1")
    pending = unit("河川市档案馆", "档案馆", code="D1")
    returned = unit("河川市交通局", "交通局", code="T1")
    api.set_deadline(H1, D(2023, 7, 15), boss, "jiwei", "测试")
    on_time = submit_file(u, leader)
    Submission.objects.filter(pk=on_time.pk).update(submitted_at=timezone.make_aware(datetime(2023, 7, 14, 9)))
    late = submit_file(late_unit, leader)
    Submission.objects.filter(pk=late.pk).update(submitted_at=timezone.make_aware(datetime(2023, 7, 20, 9)))
    submit_file(returned, leader)
    api.send_back(returned, H1, "请重报", boss, "jiwei", "测试")
    units = [u, late_unit, pending, returned]
    # before the deadline passes, a unit without a report in force is 未报送 (yellow) …
    deadline, rows = api.status_list(units, H1, D(2023, 7, 15))
    assert deadline.due == D(2023, 7, 15)
    assert [(r.unit.short_name, r.label, r.colour, r.late) for r in rows] == [
        ("水务局", "已报送", "green", False), ("林业局", "已报送", "green", True),
        ("档案馆", "未报送", "yellow", False), ("交通局", "未报送", "yellow", False)]
    assert rows[3].returned.comment == "请重报"
    # … and after it, 逾期 (red)
    _, rows = api.status_list(units, H1, D(2023, 7, 16))
    assert [r.label for r in rows] == ["已报送", "已报送", "逾期", "逾期"]
    # moving the deadline is audited with before and after
    api.set_deadline(H1, D(2023, 7, 31), boss, "jiwei", "测试")
    entry = AuditEntry.objects.filter(model="报送截止日期").order_by("-id").first()
    assert (entry.before["due"], entry.after["due"]) == ("2023-07-15", "2023-07-31")


def test_a_deadline_before_the_period_ends_is_refused(world):
    _, _, boss = world
    with pytest.raises(SubmissionError, match="报送截止日期不能早于2023年上半年的最后一天（2023年6月30日）"):
        api.set_deadline(H1, D(2023, 6, 29), boss, "jiwei", "测试")
    assert api.deadline_of(H1) is None and not AuditEntry.objects.filter(model="报送截止日期").exists()
    assert api.set_deadline(H1, D(2023, 6, 30), boss, "jiwei", "测试").due == D(2023, 6, 30)  # the last day will do


def test_zip_holds_every_report_in_force(world):
    u, leader, boss = world
    other = unit("河川市林业局", "林业局", code="L1")
    signoff.sign(u, H1, leader, "lead", "测试")
    signed = api.submit_signed(u, H1, leader, "lead", "测试")
    uploaded = submit_file(other, leader, "林业局报告.txt", "林业局的报告。".encode())
    third = unit("河川市档案馆", "档案馆", code="D1")
    submit_file(third, leader, "档案馆.txt", "档案馆的报告。".encode())
    api.send_back(third, H1, "退回", boss, "jiwei", "测试")  # not in force: not in the .zip
    out, n = api.zip_all([u, other, third], H1)
    with zipfile.ZipFile(out) as z:
        names = sorted(z.namelist())
        assert n == 2 and names == ["河川市林业局/林业局-2023H1-报送第1版-林业局报告.txt",
                                    "河川市水务局/水务局-2023H1-政治生态分析研判报告.docx"]
        assert z.read(names[1]) == bytes(signed.signed.docx)
        assert z.read(names[0]) == "林业局的报告。".encode() and uploaded.version == 1


def test_the_reader_reads_uploaded_reports_figures_and_copies(world):
    u, leader, _ = world
    staff = [person(u) for _ in range(70)]
    for i in range(61):
        Talk.objects.create(unit=u, date=D(2023, 3, 1), subject=staff[i], kind="廉洁纪律谈话")
    copied = "我局紧盯水利工程建设领域，对三个在建项目的招投标和资金拨付开展专项监督检查。检查发现合同变更审批不规范等问题五个，已全部督促整改到位。"
    other = unit("河川市林业局", "林业局", code="L1")
    Narrative.objects.create(unit=other, period="2023H1", section="discipline", text=copied)
    submit_file(u, leader, data=_docx(["中共河川市水务局党组关于2023年上半年政治生态分析研判情况的报告",
                                      "坚持抓早抓小，上半年开展廉洁纪律谈话98人（次）。", copied]))
    found = analyze("2023H1").by_kind()
    assert [(f.detail["fact"], f.detail["stated"], f.detail["recorded"]) for f in found["figure"]] == [
        ("talk.integrity", 98, 61)]
    assert [(f.subkind, sorted(s.key.split(":")[0] for s in f.sources)) for f in found["copy"]] == [
        ("cross_unit", ["narrative", "upload"])]
