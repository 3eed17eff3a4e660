from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from fengqing.accounts import audit
from fengqing.accounts.demo_accounts import create_demo_accounts
from fengqing.accounts.models import Assignment, AuditEntry, LoginThrottle, Role
from tests.factories import second_factor, unit

PASSWORD = "Fq-test-pass-2024"


@pytest.fixture
def entry(db):
    u = unit()
    audit.record("tester", "网页", [audit.Change(AuditEntry.CREATE, u, None, audit.snapshot(u))])
    return AuditEntry.objects.get()


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(actor="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    entry.actor = "x"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get().actor == "tester"


@pytest.mark.parametrize("superuser", [True, False])
def test_no_one_can_change_the_audit_log_in_the_admin(entry, client, superuser):
    if superuser:
        user = User.objects.create_superuser("root", password=PASSWORD)
    else:  # the most privileged staff role
        user = User.objects.create_user("sys", password=PASSWORD)
        Assignment.objects.create(user=user, role=Role.SYSADMIN)
        second_factor(user)
    client.force_login(user)
    change = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    delete = reverse("admin:accounts_auditentry_delete", args=[entry.pk])
    assert client.post(change, {"actor": "x", "via": "x", "action": "删除", "model": "x", "object_id": "1"}
                       ).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    # the superuser may read the log, whose list offers no delete action, so the request only shows the list
    # again; the other administrator may not even read it
    changelist = reverse("admin:accounts_auditentry_changelist")
    assert client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
                       ).status_code == (200 if superuser else 403)
    assert AuditEntry.objects.filter(pk=entry.pk, actor="tester").exists()


@pytest.mark.parametrize("role,admitted", [(Role.SYSADMIN, True), (Role.SECADMIN, True), (Role.CLERK, False),
                                           (Role.AUDITOR, False), (Role.SUPERVISOR, False)])
def test_only_the_administrator_roles_enter_the_admin_site(db, client, role, admitted):
    user = User.objects.create_user("u", password=PASSWORD)
    Assignment.objects.create(user=user, role=role)
    second_factor(user)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == (200 if admitted else 302)
    if admitted:  # a bookmarked log-in page of the admin site leads an administrator signed in already to it
        assert client.get(reverse("admin:login") + "?next=/admin/").url == reverse("admin:index")
    else:  # followed: told in Chinese, not sent between the two log-in pages until the browser gives up
        answer = client.get(reverse("admin:index"), follow=True)
        assert answer.status_code == 403 and "无权访问" in answer.content.decode()
        assert [url for url, _ in answer.redirect_chain] == [reverse("admin:login") + "?next=/admin/"]


def test_the_admin_site_sends_whoever_is_not_signed_in_to_the_log_in_page(db, client):
    answer = client.get(reverse("admin:index"), follow=True)
    assert answer.redirect_chain[-1][0] == reverse("web:login") + "?next=/admin/"


def test_sysadmin_manages_users_and_units_secadmin_roles(db, client):
    sysadmin = User.objects.create_user("sys", password=PASSWORD)
    Assignment.objects.create(user=sysadmin, role=Role.SYSADMIN)
    second_factor(sysadmin)
    secadmin = User.objects.create_user("sec", password=PASSWORD)
    Assignment.objects.create(user=secadmin, role=Role.SECADMIN)
    second_factor(secadmin)
    client.force_login(sysadmin)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_assignment_changelist")).status_code == 403
    client.force_login(secadmin)
    assert client.get(reverse("admin:accounts_assignment_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_admin_changes_are_audited(db, client):
    sysadmin = User.objects.create_user("sys", password=PASSWORD)
    Assignment.objects.create(user=sysadmin, role=Role.SYSADMIN)
    second_factor(sysadmin)
    client.force_login(sysadmin)
    response = client.post(reverse("admin:org_unit_add"), {
        "name": "河川市林业局", "short_name": "林业局", "code": "", "party_org_name": "中共河川市林业局党组",
        "leadership_title": "领导班子", "parent_name": ""})
    assert response.status_code == 302
    e = AuditEntry.objects.get(model="单位")
    assert (e.actor, e.action, e.after["name"]) == ("sys", "新增", "河川市林业局")


def _login(client, password):
    return client.post(reverse("web:login"), {"username": "clerk", "password": password})


def test_five_failed_logins_lock_the_account(db, client):
    User.objects.create_user("clerk", password=PASSWORD)
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, PASSWORD).status_code == 302  # four failures: not yet locked, and the count resets
    client.logout()
    for _ in range(5):
        _login(client, "wrong")
    response = _login(client, PASSWORD)
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # the admin site has no log-in page of its own: it sends to this one
    admin = client.get(reverse("admin:login") + "?next=/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/login/")
    LoginThrottle.objects.filter(username="clerk").update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, PASSWORD).status_code == 302


def test_pages_need_a_login(db, client):
    response = client.get("/u/1/records/study/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_demo_accounts_one_per_role_and_they_can_log_in(db, client):
    main, second = unit(), unit("河川市交通局", "交通局")
    accounts = create_demo_accounts(main)
    assert [label for label, _, _ in accounts] == [r.label for r in Role]
    for _label, username, password in accounts:
        assert client.login(username=username, password=password), username
        client.logout()
    clerk = Assignment.objects.get(role=Role.CLERK)
    supervisor = Assignment.objects.get(role=Role.SUPERVISOR)
    assert list(clerk.units.all()) == [main]
    assert set(supervisor.units.all()) == {main, second}
    assert User.objects.get(username=accounts[4][1]).is_staff  # sysadmin
    assert not User.objects.get(username=accounts[0][1]).is_staff
