"""签发: the unit leadership signs off the unit's report for a period (DESIGN §7); the texts of a signed
period are locked until the sign-off is withdrawn."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from fengqing.accounts.models import AuditEntry, Role
from fengqing.report.models import Narrative
from fengqing.report.models import ReportSignoff

H1 = "?period=2023H1"


def _post(c, name, unit, period="2023H1", data=None):
    return c.post(reverse(f"web:{name}", args=[unit.id]) + f"?period={period}", data or {}, follow=True)


def _report(c, unit, period="2023H1") -> str:
    return c.get(reverse("web:report", args=[unit.id]), {"period": period}).content.decode()


def _stamp(signoff) -> str:
    at = timezone.localtime(signoff.signed_at)
    return f"已签发（单位领导，{at.year}年{at.month}月{at.day}日 {at:%H:%M}）"  # the fixture user's name


def test_leadership_signs_off_and_everyone_sees_who_and_when(world, login):
    own = world["own"]
    lead = login(world, Role.LEADERSHIP)
    page = _report(lead, own)
    assert ">签发</button>" in page and "已签发" not in page
    assert "未签发" in _report(login(world, Role.CLERK), own) and ">签发</button>" not in _report(
        login(world, Role.CLERK), own)

    lead = login(world, Role.LEADERSHIP)
    response = _post(lead, "signoff", own)
    assert "已签发2023年上半年报告" in response.content.decode()
    signoff = ReportSignoff.objects.get(unit=own, period="2023H1")
    assert signoff.signed_by == world["users"][Role.LEADERSHIP]
    entry = AuditEntry.objects.get(model="报告签发")
    assert (entry.actor, entry.action, entry.unit_id, entry.after["period"]) == ("leadership", "新增", own.id, "2023H1")
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
    first = ReportSignoff.objects.get()
    response = _post(lead, "signoff", own)
    assert "2023年上半年报告已签发" in response.content.decode()
    assert list(ReportSignoff.objects.all()) == [first] and ReportSignoff.objects.get().signed_at == first.signed_at
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
    assert "已撤回2023年上半年报告的签发" in response.content.decode()
    assert not ReportSignoff.objects.exists()
    withdrawn = AuditEntry.objects.get(model="报告签发", action="删除")
    assert (withdrawn.actor, withdrawn.before["period"]) == ("leadership", "2023H1")
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
    assert ReportSignoff.objects.filter(unit=own).count() == 1 and not ReportSignoff.objects.filter(unit=other)
