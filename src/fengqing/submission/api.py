"""Submitting reports to the supervisor, sending them back, the deadline and the 已报送/未报送/逾期 list.

The web pages and the overview report are thin shells over these; every change goes to the audit log with
the submitted file's fingerprint (not its content)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from tempfile import SpooledTemporaryFile

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..accounts.audit import Change, record
from ..accounts.models import AuditEntry
from ..doctext import SUFFIXES, document_text
from ..errors import DocumentError, SubmissionError
from ..org.models import Unit
from ..periods import Period, parse_period
from ..report import signoff
from ..report.api import file_name
from .models import Deadline, Submission

MAX_BYTES = 20 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {".docx": DOCX, ".pdf": "application/pdf", ".txt": "text/plain; charset=utf-8"}


def _audit(s: Submission) -> dict:
    return {"period": s.period, "version": s.version, "kind": s.kind, "signed_version": s.signed.version
            if s.signed_id else None, "file_name": s.file_name, "sha256": s.sha256,
            "returned_at": s.returned_at.isoformat() if s.returned_at else None, "comment": s.comment}


def deadline_of(period: Period) -> Deadline | None:
    return Deadline.objects.filter(period=period.code).first()


def set_deadline(period: Period, due: date, user, actor: str, via: str) -> Deadline:
    """The period's 报送截止日期; not before the period ends (no report of it can be signed before then)."""
    if due < period.end:
        end = period.end
        raise SubmissionError(f"报送截止日期不能早于{period.label}的最后一天（{end.year}年{end.month}月{end.day}日）："
                              "期末当天起报告才能签发、报送")
    with transaction.atomic():
        found = Deadline.objects.select_for_update().filter(period=period.code).first()
        before = {"period": found.period, "due": found.due.isoformat()} if found else None
        if found is None:
            found = Deadline.objects.create(period=period.code, due=due, set_by=user)
        else:
            found.due, found.set_by = due, user
            found.save()
        record(actor, via, [Change(AuditEntry.UPDATE if before else AuditEntry.CREATE, found, before,
                                   {"period": found.period, "due": due.isoformat()})])
    return found


def current(unit: Unit, period: Period) -> Submission | None:
    """The submitted version in force (not sent back), or None."""
    return Submission.objects.filter(unit=unit, period=period.code, returned_at__isnull=True).first()


def sent_back(unit: Unit, period: Period) -> Submission | None:
    """The last version submitted, when the supervisor sent it back: the unit has to submit again."""
    last = (Submission.objects.select_related("returned_by").filter(unit=unit, period=period.code)
            .order_by("-version").first())
    return last if last is not None and last.returned_at is not None else None


def versions(unit: Unit, period: Period) -> list[Submission]:
    """Every version submitted for the unit and period, newest first."""
    return list(Submission.objects.select_related("submitted_by", "returned_by", "signed")
                .filter(unit=unit, period=period.code).order_by("-version").defer("content", "text"))


def _create(unit: Unit, period: Period, user, actor: str, via: str, **fields) -> Submission:
    try:
        with transaction.atomic():
            if current(unit, period) is not None:
                raise SubmissionError(f"{period.label}报告已报送；被退回后方可重新报送")
            number = (Submission.objects.filter(unit=unit, period=period.code)
                      .aggregate(n=Max("version"))["n"] or 0) + 1
            s = Submission.objects.create(unit=unit, period=period.code, version=number, submitted_by=user,
                                          **fields)
            record(actor, via, [Change(AuditEntry.CREATE, s, None, _audit(s), unit.pk)], {unit.pk: unit.name})
    except IntegrityError:  # submitted at the same moment from elsewhere
        raise SubmissionError(f"{period.label}报告已报送；被退回后方可重新报送") from None
    return s


def submit_signed(unit: Unit, period: Period, user, actor: str, via: str) -> Submission:
    """Submit the signed version in force (its stored .docx is what the supervisor receives)."""
    signed = signoff.current(unit, period)
    if signed is None:
        raise SubmissionError(f"{period.label}报告尚未签发：请先签发，或上传在风清之外撰写的报告")
    return _create(unit, period, user, actor, via, kind=Submission.SIGNED, signed=signed,
                   sha256=signed.docx_sha256)


def submit_file(unit: Unit, period: Period, name: str, data: bytes, user, actor: str, via: str) -> Submission:
    """Submit a report written outside fengqing (.docx, .pdf or .txt); its text is kept for the reader."""
    name = PurePath(name).name
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise SubmissionError(f"不支持的文件类型“{name}”：只接受 {'、'.join(SUFFIXES)} 文件")
    if len(data) > MAX_BYTES:
        raise SubmissionError(f"文件过大（{len(data) / 1048576:.1f} MB）：不能超过 {MAX_BYTES // 1048576} MB")
    try:
        text = document_text(name, data)
    except DocumentError as exc:
        raise SubmissionError(exc.message) from exc
    if not text.strip():
        raise SubmissionError(f"文件“{name}”中没有文字（扫描件请先转为文字版）")
    return _create(unit, period, user, actor, via, kind=Submission.UPLOAD, file_name=name, content=data,
                   sha256=hashlib.sha256(data).hexdigest(), text=text)


def send_back(unit: Unit, period: Period, comment: str, user, actor: str, via: str) -> Submission:
    """退回 the version in force with a comment the unit sees; the version stays stored."""
    comment = comment.strip()
    if not comment:
        raise SubmissionError("退回时请填写退回意见")
    with transaction.atomic():
        s = Submission.objects.select_for_update().filter(unit=unit, period=period.code,
                                                          returned_at__isnull=True).first()
        if s is None:
            raise SubmissionError(f"{unit.name}{period.label}没有待退回的报送")
        before = _audit(s)
        s.returned_by, s.returned_at, s.comment = user, timezone.now(), comment
        s.save(update_fields=["returned_by", "returned_at", "comment"])
        record(actor, via, [Change(AuditEntry.UPDATE, s, before, _audit(s), unit.pk)], {unit.pk: unit.name})
    return s


def content(s: Submission) -> tuple[str, bytes, str]:
    """(file name, bytes, content type) of what was submitted: the signed .docx, or the uploaded file."""
    period = parse_period(s.period)
    if s.kind == Submission.SIGNED:
        return file_name(s.unit, period, "docx"), bytes(s.signed.docx), DOCX
    stem = f"{s.unit.short_name}-{s.period}-报送第{s.version}版-"
    return stem + s.file_name, bytes(s.content), CONTENT_TYPES.get(PurePath(s.file_name).suffix.lower(), DOCX)


# -- the supervisor's list -------------------------------------------------------------------------------------

SUBMITTED, PENDING, OVERDUE = "submitted", "pending", "overdue"
STATUS = {SUBMITTED: ("已报送", "green"), PENDING: ("未报送", "yellow"), OVERDUE: ("逾期", "red")}


@dataclass
class Row:
    unit: Unit
    status: str
    submission: Submission | None  # in force
    returned: Submission | None  # the latest version sent back, when none is in force
    late: bool  # submitted after the deadline

    @property
    def label(self) -> str:
        return STATUS[self.status][0]

    @property
    def colour(self) -> str:
        return STATUS[self.status][1]


def status_list(units: list[Unit], period: Period, today: date) -> tuple[Deadline | None, list[Row]]:
    """Every unit with 已报送 (a version in force), 逾期 (none, and the deadline passed) or 未报送; two queries."""
    deadline = deadline_of(period)
    latest: dict[int, Submission] = {}
    for s in (Submission.objects.filter(unit__in=units, period=period.code).select_related("returned_by")
              .defer("content", "text").order_by("unit_id", "version")):
        latest[s.unit_id] = s  # the highest version; only it can be in force
    rows = []
    for u in units:
        s = latest.get(u.pk)
        if s is not None and s.in_force:
            late = deadline is not None and timezone.localtime(s.submitted_at).date() > deadline.due
            rows.append(Row(u, SUBMITTED, s, None, late))
        else:
            status = OVERDUE if deadline is not None and today > deadline.due else PENDING
            rows.append(Row(u, status, None, s, False))
    return deadline, rows


def zip_all(units: list[Unit], period: Period):
    """Every submitted version in force of the units, in one .zip (a temporary file, rewound; memory stays
    bounded whatever the number of units). Returns (file, number of reports)."""
    out = SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    n = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for s in (Submission.objects.filter(unit__in=units, period=period.code, returned_at__isnull=True)
                  .select_related("unit", "signed").order_by("unit__name").iterator(chunk_size=20)):
            name, data, _ = content(s)
            z.writestr(f"{s.unit.name}/{name}", data)
            n += 1
    out.seek(0)
    return out, n
