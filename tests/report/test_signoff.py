"""签发 freezes the report: an immutable snapshot (JSON, .docx, SHA-256, signer, time, 成文日期); downloads and
``report --signed`` give the snapshot; record changes since are listed as differences; every version stays."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from io import BytesIO

import docx
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from fengqing.errors import ReportError
from fengqing.ledger.models import Talk
from fengqing.periods import parse_period
from fengqing.report import signoff
from fengqing.report.api import build_report
from fengqing.report.models import SignedReport
from tests.factories import D, person, unit

H1 = parse_period("2023H1")


@pytest.fixture
def world(db):
    u = unit(code="W1")
    p = person(u, "李明")
    for day in (3, 4, 5):
        Talk.objects.create(unit=u, date=D(2023, 3, day), subject=p, kind="廉洁纪律谈话", talker="书记")
    leader = User.objects.create(username="lead", last_name="王", first_name="强")
    return u, p, leader


def _sign(u, leader, on=None):
    return signoff.sign(u, H1, leader, leader.username, "测试", on=on)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(BytesIO(data)).paragraphs)


def test_the_snapshot_holds_the_report_as_signed_with_its_fingerprints(world):
    u, _, leader = world
    signed = _sign(u, leader)
    stored = SignedReport.objects.get()
    assert (stored.version, stored.period, stored.date, stored.signer_name) == (1, "2023H1", date(2023, 6, 30), "王强")
    assert stored.document_sha256 == hashlib.sha256(stored.document.encode("utf-8")).hexdigest()
    assert stored.docx_sha256 == hashlib.sha256(bytes(stored.docx)).hexdigest()
    assert json.loads(stored.document)["date"] == "2023-06-30"
    assert "开展廉洁纪律谈话3人次" in _docx_text(bytes(stored.docx))
    assert signoff.current(u, H1) == signed


def test_a_record_changed_after_signing_changes_nothing_signed_and_is_listed(world, tmp_path):
    u, p, leader = world
    signed = _sign(u, leader)
    docx_before, json_before = bytes(signed.docx), signed.document
    Talk.objects.create(unit=u, date=D(2023, 4, 1), subject=p, kind="廉洁纪律谈话", talker="书记")

    signed = signoff.current(u, H1)
    assert bytes(signed.docx) == docx_before and signed.document == json_before
    files = signoff.files(signed, ["docx", "json", "md"])
    assert files["docx"] == docx_before and files["json"].decode("utf-8") == json_before
    assert "开展廉洁纪律谈话3人次" in files["md"].decode("utf-8")  # not 4: the Markdown is the signed text too

    call_command("report", unit="水务局", period="2023H1", format="docx", signed=0, out=str(tmp_path / "s.docx"))
    assert (tmp_path / "s.docx").read_bytes() == docx_before
    call_command("report", unit="水务局", period="2023H1", format="docx", out=str(tmp_path / "now.docx"))
    assert "开展廉洁纪律谈话4人次" in _docx_text((tmp_path / "now.docx").read_bytes())

    changed = {d.fact: (d.signed, d.now) for d in signoff.differences(signed, build_report(u, H1))}
    assert changed == {"talk.total": ("谈话3人次", "谈话4人次"),
                       "talk.integrity": ("廉洁纪律谈话3人次", "廉洁纪律谈话4人次")}


def test_withdrawing_and_signing_again_keeps_every_version(world, tmp_path):
    u, p, leader = world
    first = _sign(u, leader)
    with pytest.raises(ReportError, match="已签发；如需重新签发，请先撤回签发"):
        _sign(u, leader)
    other = User.objects.create(username="lead2", last_name="赵", first_name="敏")
    signoff.withdraw(u, H1, other, other.username, "测试")
    assert signoff.current(u, H1) is None
    Talk.objects.create(unit=u, date=D(2023, 4, 1), subject=p, kind="廉洁纪律谈话", talker="书记")
    second = signoff.sign(u, H1, other, other.username, "测试", on=date(2023, 7, 10))

    listed = [(v.version, v.signer_name, v.in_force, v.withdrawer_name, v.date) for v in signoff.versions(u, H1)]
    assert listed == [(2, "赵敏", True, "", date(2023, 7, 10)), (1, "王强", False, "赵敏", date(2023, 6, 30))]
    assert "廉洁纪律谈话4人次" in _docx_text(bytes(second.docx))
    assert "廉洁纪律谈话3人次" in _docx_text(bytes(signoff.version(u, H1, 1).docx))
    call_command("report", unit="水务局", period="2023H1", format="docx", signed=1, out=str(tmp_path / "v1.docx"))
    assert (tmp_path / "v1.docx").read_bytes() == bytes(first.docx)
    with pytest.raises(ReportError, match="没有第3版"):
        signoff.version(u, H1, 3)


def test_a_stored_version_cannot_be_changed_or_deleted(world):
    u, _, leader = world
    signed = _sign(u, leader)
    signed.document = "{}"
    with pytest.raises(ReportError, match="不能修改"):
        signed.save()
    with pytest.raises(ReportError, match="不能删除"):
        signed.delete()
    assert SignedReport.objects.get().document != "{}"


def test_report_signed_refuses_what_it_cannot_honour(world, capsys):
    u, _, leader = world
    with pytest.raises(SystemExit):
        call_command("report", unit="水务局", period="2023H1", format="docx", signed=0)
    assert "河川市水务局2023年上半年报告尚未签发（或已撤回签发）" in capsys.readouterr().err
    _sign(u, leader)
    with pytest.raises(SystemExit):
        call_command("report", unit="水务局", period="2023H1", format="docx", signed=0, date="2023-07-01")
    assert "已签发的报告按签发时的内容输出，不能与 --date 同用" in capsys.readouterr().err


def test_a_redacted_download_of_a_signed_report_masks_the_snapshot(world):
    u, _, leader = world
    signed = _sign(u, leader)
    md = signoff.files(signed, ["md", "json"], redact=True)
    text = md["md"].decode("utf-8")
    assert "水务局" not in text and "开展廉洁纪律谈话\\*人次" in text  # Markdown escapes the mask
    assert json.loads(md["json"])["date"] == "2023年"


@pytest.mark.parametrize("value, message", [
    ("2023-13-01", "成文日期“2023-13-01”格式有误，应为“年-月-日”，如 2023-06-30"),
    ("2023-06-29", "成文日期不能早于2023年上半年的截止日 2023-06-30"),
])
def test_a_bad_cut_off_date_is_refused_in_chinese(world, capsys, value, message):
    with pytest.raises(SystemExit) as exit_:
        call_command("report", unit="水务局", period="2023H1", format="json", date=value)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_a_cut_off_date_still_to_come_is_not_signed(world):
    """A report states the situation as of its 成文日期: one dated tomorrow, or the current period's end, cannot be
    signed today; today itself can."""
    u, _, leader = world
    today = timezone.localdate()
    tomorrow = date.fromordinal(today.toordinal() + 1)
    current = parse_period(f"{tomorrow.year}H{1 if tomorrow.month <= 6 else 2}")  # ends tomorrow at the soonest
    with pytest.raises(ReportError, match=f"尚未到来，不能签发.*；{current.label}到期末当天起才能签发$"):
        signoff.sign(u, current, leader, leader.username, "测试")
    with pytest.raises(ReportError, match="尚未到来，不能签发：.*之后签发$"):  # 2023H1 is over: only the date
        signoff.sign(u, H1, leader, leader.username, "测试", on=tomorrow)
    assert not SignedReport.objects.exists()
    assert signoff.sign(u, H1, leader, leader.username, "测试", on=today).date == today
