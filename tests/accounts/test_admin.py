"""The admin site as the 三员 use it: what each may change, what the sysadmin may not see or delete, and the
audit of every change made there."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fengqing.accounts.models import Assignment, AuditEntry, Role
from fengqing.org.models import Person, Unit
from fengqing.rectify.models import Problem
from tests.factories import department, person, second_factor, unit

PASSWORD = "Fq-test-pass-2024"


@pytest.fixture
def staff(db):
    """One user per role, none of them a superuser."""
    users = {}
    for role in Role:
        user = User.objects.create_user(role.value, password=PASSWORD)
        Assignment.objects.create(user=user, role=role)
        second_factor(user)
        users[role] = user
    return users


def test_deleting_a_user_in_the_admin_logs_the_assignment_deleted_with_it(db, client):
    # a superuser: the sysadmin may not delete a role assignment, so not a user holding one
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    clerk = User.objects.create_user("clerk2", password=PASSWORD)
    Assignment.objects.create(user=clerk, role=Role.CLERK)
    second_factor(clerk)
    assignment = clerk.assignment
    response = client.post(reverse("admin:auth_user_delete", args=[clerk.pk]), {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=clerk.pk).exists()
    deleted = AuditEntry.objects.filter(action="删除")
    assert sorted(deleted.values_list("model", "object_id")) == sorted(
        [("用户", str(clerk.pk)), ("角色分配", str(assignment.pk)), ("登录凭据", str(clerk.credential.pk))])
    assert {e.actor for e in deleted} == {"root"}
    user_entry = deleted.get(model="用户")
    assert user_entry.before["username"] == "clerk2" and "password" not in user_entry.before


def _assignment_form(user, role, units=()):
    return {"user": user.pk, "role": role, "units": [u.pk for u in units]}


def test_the_secadmin_may_not_change_their_own_assignment(staff, client):
    me = staff[Role.SECADMIN]
    own = unit()
    client.force_login(me)
    change = reverse("admin:accounts_assignment_change", args=[me.assignment.pk])
    assert client.post(change, _assignment_form(me, Role.SUPERVISOR, [own])).status_code == 403
    assert client.post(reverse("admin:accounts_assignment_delete", args=[me.assignment.pk]),
                       {"post": "yes"}).status_code == 403
    changelist = reverse("admin:accounts_assignment_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [me.assignment.pk], "post": "yes"})
    me.assignment.refresh_from_db()
    assert me.assignment.role == Role.SECADMIN and not me.assignment.units.exists()
    # nor take over someone else's assignment
    clerk = staff[Role.CLERK]
    client.post(reverse("admin:accounts_assignment_change", args=[clerk.assignment.pk]),
                _assignment_form(me, Role.CLERK, [own]))
    assert Assignment.objects.get(pk=clerk.assignment.pk).user == clerk


@pytest.mark.parametrize("other", [Role.SYSADMIN, Role.AUDITOR])
def test_the_secadmin_may_not_change_another_administrators_assignment(staff, client, other):
    client.force_login(staff[Role.SECADMIN])
    target = staff[other].assignment
    change = reverse("admin:accounts_assignment_change", args=[target.pk])
    assert client.post(change, _assignment_form(staff[other], Role.SUPERVISOR, [unit()])).status_code == 403
    assert client.post(reverse("admin:accounts_assignment_delete", args=[target.pk]),
                       {"post": "yes"}).status_code == 403
    assert Assignment.objects.get(pk=target.pk).role == other


def test_the_secadmin_assigns_business_roles_but_no_administrator_role(staff, client):
    client.force_login(staff[Role.SECADMIN])
    own = unit()
    clerk = staff[Role.CLERK]
    change = reverse("admin:accounts_assignment_change", args=[clerk.assignment.pk])
    assert client.post(change, _assignment_form(clerk, Role.LEADERSHIP, [own])).status_code == 302
    assert Assignment.objects.get(user=clerk).role == Role.LEADERSHIP
    assert client.post(change, _assignment_form(clerk, Role.SYSADMIN)).status_code == 200  # the form again
    assert Assignment.objects.get(user=clerk).role == Role.LEADERSHIP
    newcomer = User.objects.create_user("newcomer", password=PASSWORD)
    add = reverse("admin:accounts_assignment_add")
    assert client.post(add, _assignment_form(newcomer, Role.SECADMIN)).status_code == 200
    assert not Assignment.objects.filter(user=newcomer).exists()
    offered = client.get(add).context["adminform"].form.fields["user"].queryset
    assert newcomer in offered and staff[Role.SECADMIN] not in offered and staff[Role.SYSADMIN] not in offered
    assert client.post(add, _assignment_form(newcomer, Role.CLERK, [own])).status_code == 302
    assert Assignment.objects.get(user=newcomer).role == Role.CLERK


def _unit_with_records():
    u = unit()
    p = person(u, "张三", department=department(u, "办公室"))
    Problem.objects.create(unit=u, code="P1", period="2023H1", aspect="纪律作风", title="谈话覆盖不全")
    return u, p


def test_the_sysadmin_may_not_delete_a_unit_with_records_nor_see_them(staff, client):
    u, p = _unit_with_records()
    client.force_login(staff[Role.SYSADMIN])
    delete = reverse("admin:org_unit_delete", args=[u.pk])
    page = client.get(delete)
    assert page.status_code == 403 and "张三" not in page.content.decode() and p.staff_no not in page.content.decode()
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:org_unit_changelist")
    bulk = client.post(changelist, {"action": "delete_selected", "_selected_action": [u.pk], "post": "yes"})
    assert "张三" not in bulk.content.decode() and "谈话覆盖不全" not in bulk.content.decode()
    assert Unit.objects.filter(pk=u.pk).exists() and Person.objects.filter(pk=p.pk).exists()
    assert not AuditEntry.objects.filter(action="删除").exists()
    assert AuditEntry.objects.filter(action="拒绝访问", actor="sysadmin").count() == 2  # the page and the post
    change = client.get(reverse("admin:org_unit_change", args=[u.pk])).content.decode()
    assert delete not in change  # no delete link offered


def test_the_sysadmin_deletes_an_empty_unit_and_it_is_audited(staff, client):
    u = unit("河川市林业局", "林业局")
    client.force_login(staff[Role.SYSADMIN])
    assert client.post(reverse("admin:org_unit_delete", args=[u.pk]), {"post": "yes"}).status_code == 302
    assert not Unit.objects.filter(pk=u.pk).exists()
    e = AuditEntry.objects.get(model="单位")
    assert (e.actor, e.action, e.model, e.before["name"]) == ("sysadmin", "删除", "单位", "河川市林业局")


def test_a_password_reset_in_the_admin_is_audited_and_suspends_the_role(staff, client):
    client.force_login(staff[Role.SYSADMIN])
    clerk = staff[Role.CLERK]
    old_hash = clerk.password
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    new = "Another-pass-2025"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(new) and old_hash != clerk.password
    e = AuditEntry.objects.get(action="重设密码")
    assert (e.actor, e.role, e.model, e.object_id) == ("sysadmin", "系统管理员", "用户", "clerk")
    assert old_hash not in json.dumps(e.after) and clerk.password not in json.dumps(e.after)
    # the account has no access until the secadmin confirms its role, and must change the password first
    assert clerk.credential.must_change_password and Assignment.objects.get(user=clerk).suspended
    client.force_login(clerk)
    assert client.get("/").status_code == 302 and client.get("/")["Location"] == reverse("web:password")
    # a rejected form changes nothing and logs nothing
    client.force_login(staff[Role.SYSADMIN])
    client.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
    assert AuditEntry.objects.filter(action="重设密码").count() == 1


def test_an_administrators_password_change_goes_to_the_applications_page(staff, client):
    client.force_login(staff[Role.SECADMIN])
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("web:password")


def _visible_english(html: str) -> set[str]:
    """Runs of English words in what a page shows (scripts, styles and tags removed)."""
    import re

    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return set(re.findall(r"[A-Za-z][A-Za-z ,.'’\-]{12,}", re.sub(r"<[^>]+>", " ", html)))


def test_the_admin_shows_no_english_even_to_an_english_browser(staff, client):
    import json
    import re

    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    clerk = staff[Role.CLERK]
    for role, url in ((Role.SYSADMIN, reverse("admin:auth_user_add")),
                      (Role.SECADMIN, reverse("admin:accounts_assignment_add")),
                      (Role.SECADMIN, reverse("admin:accounts_securitypolicy_changelist")),
                      (Role.SYSADMIN, reverse("admin:auth_user_password_change", args=[clerk.pk])),
                      (Role.SYSADMIN, reverse("admin:index"))):
        client.force_login(staff[role])
        response = client.get(url, **english)
        assert response.status_code == 200
        assert _visible_english(response.content.decode()) == set(), url
    # the two-box selector of an assignment's units draws its buttons from the script catalogue
    script = client.get(reverse("admin:jsi18n"), **english).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Choose all %s"] == "选择全部%s" and catalogue["Remove all %s"] == "移除全部%s"


def test_a_lost_phone_is_unbound_with_a_password_reset(staff, client):
    clerk = staff[Role.CLERK]
    assert clerk.credential.totp_confirmed
    client.force_login(staff[Role.SYSADMIN])
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    assert "同时解绑动态口令" in client.get(url).content.decode()
    new = "Another-pass-2025"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true", "reset_totp": "on"})
    assert response.status_code == 302
    clerk.credential.refresh_from_db()
    assert (clerk.credential.totp_secret, clerk.credential.totp_confirmed) == ("", False)
    e = AuditEntry.objects.get(action="重设密码")
    assert e.after["动态口令"] == "已解绑，下次登录须重新绑定"
    # the role stays suspended until the secadmin confirms it: nobody may enrol a phone and read meanwhile
    assert Assignment.objects.get(user=clerk).suspended


def test_a_password_reset_alone_keeps_the_second_factor(staff, client):
    clerk = staff[Role.CLERK]
    secret = clerk.credential.totp_secret
    client.force_login(staff[Role.SYSADMIN])
    new = "Another-pass-2025"
    client.post(reverse("admin:auth_user_password_change", args=[clerk.pk]),
                {"password1": new, "password2": new, "usable_password": "true"})
    clerk.credential.refresh_from_db()
    assert (clerk.credential.totp_secret, clerk.credential.totp_confirmed) == (secret, True)
    assert "动态口令" not in AuditEntry.objects.get(action="重设密码").after
