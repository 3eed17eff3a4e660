"""No residue: an unconfirmed upload goes when its preview is left or replaced, any older than a day is swept,
uploads are sealed on disk, and an evidence file goes with its record; implausible form values are refused."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from fengqing.accounts import audit
from fengqing.accounts.models import AuditEntry, Role
from fengqing.ledger.models import Study
from fengqing.rectify.models import Problem
from fengqing.web.models import Evidence
from tests.web.test_transfer_report import UNIT_ROW, _xlsx


def pending_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def preview(c, unit_id, topic="新的学习"):
    book = _xlsx({"单位": UNIT_ROW, "学习": [["日期", "类型", "主题"], ["2023-02-01", "其他", topic]]})
    page = c.post(reverse("web:transfer", args=[unit_id]), {"workbook": book}).content.decode()
    assert "确认导入" in page
    return c.session["pending_import"]["token"]


def test_unconfirmed_upload_removed_when_left_or_replaced(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    token = preview(c, own.id)
    (stored,) = pending_files()
    assert stored.name == f"{token}.xlsx"
    assert stored.read_bytes()[:4] == b"FQE1"  # sealed while it waits
    # a second upload replaces the first: one file, the new one
    second = preview(c, own.id, "另一个")
    assert [p.name for p in pending_files()] == [f"{second}.xlsx"]
    # 放弃 (or any return to the page) leaves the preview: the file goes, nothing was imported
    c.get(reverse("web:transfer", args=[own.id]))
    assert pending_files() == [] and "pending_import" not in c.session
    assert not Study.objects.filter(topic__in=("新的学习", "另一个")).exists()


def test_uploads_older_than_a_day_are_swept(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    preview(c, own.id)
    (old,) = pending_files()
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(old, (day_ago, day_ago))
    session = c.session  # as if that browser never came back: the session forgets it, the file stays
    del session["pending_import"]
    session.save()
    token = preview(c, own.id)
    assert [p.name for p in pending_files()] == [f"{token}.xlsx"]


def test_evidence_file_goes_with_its_record(world, django_capture_on_commit_callbacks):
    own = world["own"]
    evidence = Evidence.objects.get(measure__problem__unit=own)
    path = Path(evidence.file.path)
    assert path.exists() and path.read_bytes()[:4] == b"FQE1"
    with django_capture_on_commit_callbacks(execute=True):
        audit.delete("tester", "网页", [Problem.objects.get(unit=own)], unit=own)
    assert not path.exists()
    entry = AuditEntry.objects.get(model="佐证材料", action=AuditEntry.DELETE)
    assert entry.before["file"] == evidence.file.name and entry.before["name"] == "记录.pdf"


def test_forms_refuse_implausible_dates_and_periods(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    page = c.post(reverse("web:record_new", args=[own.id, "study"]),
                  {"date": "9999-12-31", "kind": "其他", "topic": "远未来"}).content.decode()
    assert "日期晚于今天一年以上" in page and not Study.objects.filter(topic="远未来").exists()
    page = c.post(reverse("web:record_new", args=[own.id, "study"]),
                  {"date": "0001-01-01", "kind": "其他", "topic": "远古"}).content.decode()
    assert "日期早于1949年10月1日" in page and not Study.objects.filter(topic="远古").exists()
    leader = login(world, Role.LEADERSHIP)
    page = leader.post(reverse("web:record_new", args=[own.id, "problem"]),
                       {"code": "X9", "period": "abc", "aspect": "其他", "title": "期间错误"}).content.decode()
    assert "不是期间" in page and not Problem.objects.filter(code="X9").exists()
