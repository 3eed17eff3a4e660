"""问题整改 for daily use: pages, search, filters by 方面, 来源, 状态 and overdue, export of what is listed,
and removing an evidence file (audited, the file gone from the disk)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import BytesIO
from importlib import import_module
from pathlib import Path

from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fengqing.accounts.models import AuditEntry, Role
from fengqing.rectify.models import Measure, Problem
from fengqing.web.models import Evidence


def _codes(page: str) -> list[str]:
    return re.findall(r'<span class="code">([^<]+)</span>', page)


def _problems(own):
    """Besides the fixture's W1-P1 (2023H1, 纪律作风, one measure 推进中 due 2023-05-01: overdue):
    P2 all done, P3 without measures, P4 open but not yet due."""
    today = timezone.localdate()
    p2 = Problem.objects.create(unit=own, code="W1-P2", period="2023H2", aspect="主体责任", source="巡视巡察",
                                title="会议记录不全")
    Measure.objects.create(problem=p2, text="补记录", deadline=today - timedelta(days=30), status="已完成",
                           done_date=today - timedelta(days=40))
    Problem.objects.create(unit=own, code="W1-P3", period="2023H2", aspect="主体责任", source="审计", title="预算超支",
                           description="公务接待超预算")
    p4 = Problem.objects.create(unit=own, code="W1-P4", period="2023H2", aspect="纪律作风", source="自查",
                                title="学习走过场")
    Measure.objects.create(problem=p4, text="重订学习计划", owner="李主任", deadline=today + timedelta(days=30),
                           status="未开始")


def test_the_problem_list_filters_and_searches(world, login):
    own = world["own"]
    _problems(own)
    c = login(world, Role.SUPERVISOR)
    url = reverse("web:problems", args=[own.id])
    assert _codes(c.get(url).content.decode()) == ["W1-P2", "W1-P3", "W1-P4", "W1-P1"]  # newest period first
    assert _codes(c.get(url, {"aspect": "纪律作风"}).content.decode()) == ["W1-P4", "W1-P1"]
    assert _codes(c.get(url, {"source": "审计"}).content.decode()) == ["W1-P3"]
    assert _codes(c.get(url, {"status": "未完成整改"}).content.decode()) == ["W1-P3", "W1-P4", "W1-P1"]
    assert _codes(c.get(url, {"status": "已完成整改"}).content.decode()) == ["W1-P2"]
    assert _codes(c.get(url, {"status": "尚无整改措施"}).content.decode()) == ["W1-P3"]
    assert _codes(c.get(url, {"overdue": "1"}).content.decode()) == ["W1-P1"]
    assert _codes(c.get(url, {"q": "超预算"}).content.decode()) == ["W1-P3"]  # in the description
    assert _codes(c.get(url, {"q": "李主任"}).content.decode()) == ["W1-P4"]  # a measure's owner
    page = c.get(url, {"period": "2023H2", "aspect": "纪律作风"}).content.decode()
    assert _codes(page) == ["W1-P4"] and '<option value="2023H2" selected>2023年下半年</option>' in page
    assert "没有符合条件的问题" in c.get(url, {"q": "不存在的字"}).content.decode()


def test_the_problem_list_is_paginated(world, login):
    own = world["own"]
    Problem.objects.bulk_create([Problem(unit=own, code=f"W1-Q{i:02d}", period="2022H1", aspect="其他",
                                         title=f"问题{i}") for i in range(25)])
    c = login(world, Role.LEADERSHIP)
    url = reverse("web:problems", args=[own.id])
    first = c.get(url, {"size": "20"}).content.decode()
    assert "共 26 个问题，第 1–20 个" in first and len(_codes(first)) == 20
    second = c.get(url, {"size": "20", "page": "2"}).content.decode()
    # 2023H1's W1-P1 first, then 2022H1's by code: the last six of them on page 2
    assert _codes(second) == [f"W1-Q{i:02d}" for i in range(19, 25)]


def test_the_problem_export_holds_the_filtered_problems_and_their_measures(world, login):
    own = world["own"]
    _problems(own)
    response = login(world, Role.CLERK).get(reverse("web:problems_export", args=[own.id]), {"aspect": "纪律作风"})
    book = load_workbook(BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["单位", "问题", "整改措施"]
    problems = list(book["问题"].iter_rows(values_only=True))
    assert problems[0] == ("编号", "期间", "方面", "标题", "描述", "来源")
    assert [r[0] for r in problems[1:]] == ["W1-P4", "W1-P1"]
    measures = list(book["整改措施"].iter_rows(values_only=True))
    assert sorted((r[0], r[1]) for r in measures[1:]) == [("W1-P1", "补谈"), ("W1-P4", "重订学习计划")]


def test_an_evidence_file_is_removed_with_an_audit_entry(world, login, settings):
    own = world["own"]
    measure = Measure.objects.get(problem__unit=own)
    ev = Evidence.objects.create(measure=measure, file=ContentFile(b"%PDF-1.4 wrong", name="wrong.pdf"),
                                 name="传错的文件.pdf", size=14, uploaded_by="leadership")
    path = Path(ev.file.path)
    assert path.exists()
    url = reverse("web:evidence_delete", args=[own.id, ev.pk])
    # roles that may not change measures may not remove their evidence
    for role in (Role.CLERK, Role.SUPERVISOR):
        assert login(world, role).post(url).status_code == 403
    assert Evidence.objects.filter(pk=ev.pk).exists()
    c = login(world, Role.DISCIPLINE)
    back = reverse("web:problems", args=[own.id]) + "?aspect=%E7%BA%AA%E5%BE%8B%E4%BD%9C%E9%A3%8E"
    with_commit = c.post(url, {"next": back})
    assert with_commit.status_code == 302 and with_commit["Location"] == back
    assert not Evidence.objects.filter(pk=ev.pk).exists()
    entry = AuditEntry.objects.get(model="佐证材料", action="删除", object_id=str(ev.pk))
    assert (entry.actor, entry.unit_id, entry.before["name"]) == ("discipline", own.id, "传错的文件.pdf")
    # the file is gone, its fingerprint stays in the log: the hash of the bytes as uploaded, not as sealed
    assert entry.before["sha256"] == hashlib.sha256(b"%PDF-1.4 wrong").hexdigest()
    assert Evidence.objects.filter(measure=measure).count() == 1  # the fixture's other file stays
    assert c.get(url).status_code == 405  # a link is not enough


def test_existing_evidence_gets_its_hash_from_the_sealed_file(world):
    """The migration's fill, on rows stored before the hash was kept."""
    ev = Evidence.objects.get(measure__problem__unit=world["own"])
    assert Path(ev.file.path).read_bytes()[:4] == b"FQE1"  # sealed on disk
    Evidence.objects.filter(pk=ev.pk).update(sha256="")
    import_module("fengqing.web.migrations.0003_evidence_sha256").fill(django_apps, None)
    ev.refresh_from_db()
    assert ev.sha256 == hashlib.sha256(b"%PDF-1.4 test").hexdigest()  # tests/web/conftest.py's content


def test_the_file_leaves_the_disk_once_committed(world, login, django_capture_on_commit_callbacks):
    own = world["own"]
    ev = Evidence.objects.get(measure__problem__unit=own)
    path = Path(ev.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        login(world, Role.LEADERSHIP).post(reverse("web:evidence_delete", args=[own.id, ev.pk]))
    assert not path.exists()


def test_the_two_overdue_figures_say_what_they_count(world, login):
    own = world["own"]
    page = login(world, Role.LEADERSHIP).get(reverse("web:dashboard", args=[own.id]),
                                            {"period": "2023H1"}).content.decode()
    assert "逾期未完成的整改措施（截至今天" in page
    assert "指标“逾期未完成整改措施数”按2023年上半年期末（2023年6月30日）统计，两者可能不同。" in page
    row = re.search(r'<tr id="ind-overdue_measures">(.*?)</tr>', page, re.S).group(1)
    assert "截至期末" in row


def test_deleting_a_problem_removes_its_evidence_files_from_the_disk(world, login,
                                                                    django_capture_on_commit_callbacks):
    own = world["own"]
    problem = Problem.objects.get(unit=own)
    path = Path(Evidence.objects.get(measure__problem=problem).file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world, Role.LEADERSHIP).post(reverse("web:record_delete", args=[own.id, "problem", problem.pk]))
    assert response.status_code == 302 and not Problem.objects.filter(pk=problem.pk).exists()
    assert not path.exists()
