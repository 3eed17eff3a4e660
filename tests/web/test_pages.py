"""Client-level checks of the pages' own handling: quick measure status changes, the audit log's filters, the
empty states, and the unit picker's bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

import fengqing
from fengqing.accounts import audit
from fengqing.accounts.models import Assignment, AuditEntry, Role
from fengqing.ledger.models import Study, Talk
from fengqing.rectify.models import Measure
from tests.factories import D, unit


def _measure(world):
    return Measure.objects.get(problem__unit=world["own"])


def _set_status(client, world, measure, data):
    return client.post(reverse("web:measure_status", args=[world["own"].id, measure.pk]), data, follow=True)


def test_a_measure_status_change_is_saved_and_audited(world, login):
    c = login(world, Role.LEADERSHIP)
    m = _measure(world)
    page = _set_status(c, world, m, {"status": "已完成", "done_date": "2023-04-20"}).content.decode()
    m.refresh_from_db()
    assert (m.status, m.done_date) == ("已完成", D(2023, 4, 20))
    assert "已改为已完成" in page
    entry = AuditEntry.objects.get(model="整改措施", object_id=str(m.pk))
    assert (entry.actor, entry.action, entry.unit_id) == ("leadership", "修改", world["own"].id)
    assert (entry.before["status"], entry.after["status"]) == ("推进中", "已完成")
    assert (entry.before["done_date"], entry.after["done_date"]) == (None, "2023-04-20")


def test_an_invalid_status_or_date_changes_nothing(world, login):
    c = login(world, Role.LEADERSHIP)
    m = _measure(world)
    page = _set_status(c, world, m, {"status": "差不多了"}).content.decode()
    assert "请选择有效的状态" in page
    page = _set_status(c, world, m, {"status": "已完成", "done_date": "2023-13-40"}).content.decode()
    assert "完成日期“2023-13-40”不是有效日期" in page
    m.refresh_from_db()
    assert (m.status, m.done_date) == ("推进中", None)
    assert not AuditEntry.objects.filter(model="整改措施").exists()


def _entry_at(monkeypatch, when: datetime, actor: str, obj) -> None:
    monkeypatch.setattr(timezone, "now", lambda: when)
    audit.record(actor, "网页", [audit.Change(AuditEntry.UPDATE, obj, {"x": 1}, {"x": 2})])
    monkeypatch.undo()


def test_the_audit_log_filters_narrow_the_list(world, login, monkeypatch):
    study = Study.objects.get(unit=world["own"])
    talk = Talk.objects.filter(unit=world["own"]).first()
    _entry_at(monkeypatch, datetime(2024, 1, 10, 4, tzinfo=UTC), "王五", study)
    _entry_at(monkeypatch, datetime(2024, 2, 10, 4, tzinfo=UTC), "赵六", talk)
    c = login(world, Role.AUDITOR)

    def listed(**query):
        page = c.get(reverse("web:audit"), query).content.decode()
        return {name for name in ("王五", "赵六") if f"<td>{name}</td>" in page}

    assert listed() == {"王五", "赵六"}
    assert listed(actor="王") == {"王五"}
    assert listed(object="谈话") == {"赵六"}
    assert listed(**{"from": "2024-02-01"}) == {"赵六"}
    assert listed(to="2024-01-31") == {"王五"}
    assert listed(**{"from": "2024-13-40"}) == {"王五", "赵六"}  # a malformed date is no filter
    assert listed(actor="王", object="谈话") == set()


def test_the_dashboard_of_a_unit_without_records(world, login):
    empty = unit("河川市林业局", "林业局", code="L1")
    world["users"][Role.CLERK].assignment.units.add(empty)
    response = login(world, Role.CLERK).get(reverse("web:dashboard", args=[empty.id]))
    assert response.status_code == 200
    assert "没有逾期措施。" in response.content.decode()


def test_the_overview_of_a_supervisor_without_units(db, client):
    user = User.objects.create_user("lonely", password="x")
    Assignment.objects.create(user=user, role=Role.SUPERVISOR)
    client.force_login(user)
    response = client.get(reverse("web:overview"))
    assert response.status_code == 200
    assert "没有分配给您的单位" in response.content.decode()


def test_the_unit_picker_sends_bad_input_home(world, login):
    c = login(world, Role.SUPERVISOR)
    switch = reverse("web:unit_switch")
    assert c.get(switch, {"unit": "abc"}).url == reverse("web:home")
    assert c.get(switch, {"unit": world["other"].id}).url == reverse("web:home")
    assert c.get(switch, {"unit": world["own"].id}).url == reverse("web:dashboard", args=[world["own"].id])


def test_a_get_on_a_post_only_address_is_answered_in_chinese(world, login):
    c = login(world, Role.CLERK)
    study = Study.objects.get(unit=world["own"])
    response = c.get(reverse("web:record_delete", args=[world["own"].id, "study", study.pk]))
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "不能这样访问" in page and "只接受页面上的按钮提交" in page
    assert Study.objects.filter(pk=study.pk).exists()


def test_the_problems_page_marks_as_overdue_what_it_counts(world, login):
    """One rule (assess.sources.overdue_at) for the red rows and the count: past its deadline and not done today,
    a done date still to come counting as not done yet."""
    own = world["own"]
    problem = Measure.objects.get(problem__unit=own).problem  # its measure 补谈: 2023-05-01, 推进中 → overdue
    for text, deadline, status, done in (("按时完成", D(2023, 5, 1), "已完成", D(2023, 4, 20)),
                                         ("尚未到期", D(2099, 1, 1), "推进中", None),
                                         ("完成日期未到", D(2023, 5, 1), "已完成", D(2099, 1, 1))):
        Measure.objects.create(problem=problem, text=text, deadline=deadline, status=status, done_date=done)
    page = login(world, Role.DISCIPLINE).get(reverse("web:problems", args=[own.id])).content.decode()
    assert "逾期未完成措施 2 项" in page
    assert page.count('<tr class="overdue">') == 2


def test_no_template_has_an_inline_script_handler():
    """The CSP admits the site's own script files only: an onchange="…" in a template does nothing in a browser
    (the report page's 成文日期 box did nothing that way). Behaviour goes in fengqing.js (data-autosubmit)."""
    inline = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
    found = [f"{path.name}: {m.group(0)[:60]}" for path in Path(fengqing.__file__).parent.rglob("templates/**/*.html")
             for m in inline.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_a_period_not_yet_begun_is_not_shown_nor_remembered(world, login):
    c = login(world, Role.CLERK)
    own = world["own"]
    dashboard = reverse("web:dashboard", args=[own.id])
    c.get(dashboard, {"period": "2023H1"})  # remembered
    page = c.get(dashboard, {"period": "2099H1"}).content.decode()
    assert "2099年上半年尚未开始，显示的是" in page and "2099年上半年报告" not in page
    assert c.session.get("period") is None  # the session no longer holds a period, and not 2099H1
    again = c.get(dashboard).content.decode()
    assert "尚未开始" not in again and "2099" not in again
    # nor does the period menu offer one (this year's 下半年 before July)
    menu = again.split('<select name="period"')[1].split("</select>")[0]
    offered = re.findall(r'<option value="(\d{4}(?:H[12])?)"', menu)
    today = timezone.localdate()
    assert offered and f"{today.year}H1" in offered
    assert (f"{today.year}H2" in offered) == (today.month >= 7)
    assert all(int(code[:4]) <= today.year for code in offered)
