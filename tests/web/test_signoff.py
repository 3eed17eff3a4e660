"""签发: the unit leadership signs off the unit's report for a period (DESIGN §7); the texts of a signed
period are locked until the sign-off is withdrawn."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fengqing.accounts.models import AuditEntry, Role
from fengqing.periods import parse_period
from fengqing.report.models import Narrative
from fengqing.report.models import SignedReport

H1 = "?period=2023H1"


def _post(c, name, unit, period="2023H1", data=None):
    return c.post(reverse(f"web:{name}", args=[unit.id]) + f"?period={period}", data or {}, follow=True)


def _report(c, unit, period="2023H1") -> str:
    return c.get(reverse("web:report", args=[unit.id]), {"period": period}).content.decode()


def _stamp(signoff) -> str:
    at = timezone.localtime(signoff.signed_at)
    # the fixture user's name; the default 成文日期 is the period's end
    return f"已签发（单位领导，{at.year}年{at.month}月{at.day}日 {at:%H:%M}，第{signoff.version}版，成文日期2023年6月30日）"


def test_leadership_signs_off_and_everyone_sees_who_and_when(world, login):
    own = world["own"]
    lead = login(world, Role.LEADERSHIP)
    page = _report(lead, own)
    assert ">签发</button>" in page and "已签发" not in page
    assert "未签发" in _report(login(world, Role.CLERK), own) and ">签发</button>" not in _report(
        login(world, Role.CLERK), own)

    lead = login(world, Role.LEADERSHIP)
    response = _post(lead, "signoff", own)
    assert "已签发2023年上半年报告（第1版，成文日期2023年6月30日）" in response.content.decode()
    signoff = SignedReport.objects.get(unit=own, period="2023H1")
    assert signoff.signed_by == world["users"][Role.LEADERSHIP]
    entry = AuditEntry.objects.get(model="报告签发")
    assert (entry.actor, entry.action, entry.unit_id, entry.after["period"]) == ("leadership", "新增", own.id, "2023H1")
    assert entry.after["docx_sha256"] == signoff.docx_sha256 and "docx" not in entry.after  # no document in the log
    page = _report(lead, own)
    assert _stamp(signoff) in page and ">撤回签发</button>" in page and ">签发</button>" not in page
    for role in (Role.CLERK, Role.DISCIPLINE, Role.SUPERVISOR):
        page = _report(login(world, role), own)
        assert _stamp(signoff) in page and "撤回签发" not in page
    assert "未签发" in _report(login(world, Role.CLERK), own, "2023H2")  # another period is not signed


def test_signing_twice_keeps_the_first_sign_off(world, login):
    own = world["own"]
    lead = login(world, Role.LEADERSHIP)
    _post(lead, "signoff", own)
    first = SignedReport.objects.get()
    response = _post(lead, "signoff", own)
    assert "2023年上半年报告已签发；如需重新签发，请先撤回签发" in response.content.decode()
    assert list(SignedReport.objects.all()) == [first] and SignedReport.objects.get().signed_at == first.signed_at
    assert AuditEntry.objects.filter(model="报告签发").count() == 1


def test_the_texts_of_a_signed_period_are_locked_until_the_sign_off_is_withdrawn(world, login):
    own = world["own"]
    lead = login(world, Role.LEADERSHIP)
    _post(lead, "narrative", own, data={"section": "duty", "text": "签发前的文字。"})
    _post(lead, "signoff", own)
    response = _post(lead, "narrative", own, data={"section": "duty", "text": "签发后的改动。"})
    assert "2023年上半年报告已签发，不能修改报告文字；如需修改，请先撤回签发" in response.content.decode()
    assert Narrative.objects.get(unit=own, period="2023H1", section="duty").text == "签发前的文字。"
    page = _report(lead, own)
    assert "<textarea" not in page and "签发前的文字。" in page  # shown, not offered for editing
    # another period stays open
    _post(lead, "narrative", own, period="2023H2", data={"section": "duty", "text": "下半年的文字。"})
    assert Narrative.objects.get(unit=own, period="2023H2", section="duty").text == "下半年的文字。"

    response = _post(lead, "signoff_withdraw", own)
    assert "已撤回2023年上半年报告第1版的签发（该版本仍保留）" in response.content.decode()
    kept = SignedReport.objects.get()  # withdrawn, not deleted
    assert kept.withdrawn_by == world["users"][Role.LEADERSHIP] and kept.withdrawn_at is not None
    withdrawn = AuditEntry.objects.get(model="报告签发", action="修改")
    assert (withdrawn.actor, withdrawn.before["withdrawn_at"], withdrawn.after["version"]) == ("leadership", None, 1)
    _post(lead, "narrative", own, data={"section": "duty", "text": "签发后的改动。"})
    assert Narrative.objects.get(unit=own, period="2023H1", section="duty").text == "签发后的改动。"


def test_only_the_units_leadership_signs_or_withdraws(world, login):
    own, other = world["own"], world["other"]
    for role in (Role.CLERK, Role.DISCIPLINE, Role.SUPERVISOR):
        c = login(world, role)
        assert c.post(reverse("web:signoff", args=[own.id]) + H1).status_code == 403
    lead = login(world, Role.LEADERSHIP)
    assert lead.post(reverse("web:signoff", args=[other.id]) + H1).status_code == 403
    _post(lead, "signoff", own)
    for role in (Role.CLERK, Role.DISCIPLINE, Role.SUPERVISOR):
        assert login(world, role).post(reverse("web:signoff_withdraw", args=[own.id]) + H1).status_code == 403
    assert SignedReport.objects.filter(unit=own).count() == 1 and not SignedReport.objects.filter(unit=other)


def test_a_signed_period_downloads_as_signed_and_the_page_lists_what_changed_since(world, login):
    from io import BytesIO

    import docx

    from fengqing.ledger.models import Talk
    from fengqing.org.models import Person

    own = world["own"]
    lead = login(world, Role.LEADERSHIP)
    _post(lead, "signoff", own, data={"date": "2023-07-05"})
    signed = SignedReport.objects.get()
    assert signed.date == timezone.datetime(2023, 7, 5).date()
    Talk.objects.create(unit=own, date=timezone.datetime(2023, 5, 1).date(), subject=Person.objects.get(unit=own),
                        kind="廉洁纪律谈话", talker="书记")
    clerk = login(world, Role.CLERK)
    url = reverse("web:report_download", args=[own.id, "docx"])
    got = clerk.get(url, {"period": "2023H1"})
    assert b"".join(got) == bytes(signed.docx)
    page = _report(clerk, own)
    # the fixture's records: one 廉洁纪律谈话 and one 诫勉谈话 when signed; one more 廉洁纪律谈话 since
    assert "签发后数据有变化" in page
    assert "签发时：廉洁纪律谈话1人次；现在：廉洁纪律谈话2人次" in page
    assert "签发时：谈话2人次；现在：谈话3人次" in page
    assert "第1版" in page and "2023年7月5日" in page

    lead = login(world, Role.LEADERSHIP)  # one test client: logging in switches its user
    _post(lead, "signoff_withdraw", own)
    _post(lead, "signoff", own)  # version 2, the default date
    clerk = login(world, Role.CLERK)
    page = _report(clerk, own)
    assert "签发后数据有变化" not in page and "签发记录（2个版本）" in page and "已撤回（单位领导" in page
    first = clerk.get(url, {"period": "2023H1", "version": "1"})
    assert b"".join(first) == bytes(signed.docx)
    text = "\n".join(p.text for p in docx.Document(BytesIO(b"".join(clerk.get(url, {"period": "2023H1"})))).paragraphs)
    assert "开展廉洁纪律谈话2人次" in text
    assert clerk.get(url, {"period": "2023H1", "version": "9"}).status_code == 404


def test_the_report_page_takes_a_cut_off_date(world, login):
    from io import BytesIO

    import docx

    from fengqing.rectify.models import Measure

    own = world["own"]
    # the fixture's measure 补谈 (deadline 2023-05-01) finished on 2023-07-10
    Measure.objects.filter(problem__unit=own).update(status="已完成", done_date=timezone.datetime(2023, 7, 10).date())
    c = login(world, Role.CLERK)
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1", "date": "2023-07-05"}).content.decode()
    assert "补谈（完成时限：2023年5月1日，已逾期）" in page and "2023年7月5日" in page
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1", "date": "2023-07-20"}).content.decode()
    assert "补谈（完成时限：2023年5月1日，已于2023年7月10日完成，超过完成时限）" in page
    got = c.get(reverse("web:report_download", args=[own.id, "docx"]), {"period": "2023H1", "date": "2023-07-20"})
    text = "\n".join(p.text for p in docx.Document(BytesIO(b"".join(got))).paragraphs)
    assert text.rstrip().endswith("2023年7月20日")  # the 落款's date
    page = c.get(reverse("web:report", args=[own.id]), {"period": "2023H1", "date": "2023-06-01"}).content.decode()
    assert "成文日期不能早于2023年上半年的截止日 2023-06-30" in page


def test_the_current_period_offers_no_signing_before_its_end(world, login):
    """The current period's default 成文日期 is its end, still to come: the page says when it can be signed
    instead of a button the server would refuse."""
    own = world["own"]
    today = timezone.localdate()
    current = f"{today.year}H{1 if today.month <= 6 else 2}"
    page = _report(login(world, Role.LEADERSHIP), own, current)
    if parse_period(current).end == today:
        return  # the period's last day: it may be signed today
    assert ">签发</button>" not in page and "尚未到来：成文日期当天起才能签发" in page
