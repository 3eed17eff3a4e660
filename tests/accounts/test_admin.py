"""The admin site as the 三员 use it: what each may change, what the sysadmin may not see or delete, and the
audit of every change made there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fengqing.accounts.models import Assignment, AuditEntry, Role
from tests.factories import unit

PASSWORD = "Fq-test-pass-2024"


@pytest.fixture
def staff(db):
    """One user per role, none of them a superuser."""
    users = {}
    for role in Role:
        user = User.objects.create_user(role.value, password=PASSWORD)
        Assignment.objects.create(user=user, role=role)
        users[role] = user
    return users


def test_deleting_a_user_in_the_admin_logs_the_assignment_deleted_with_it(staff, client):
    # a superuser: the sysadmin may not delete a role assignment, so not a user holding one
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    clerk = staff[Role.CLERK]
    assignment = clerk.assignment
    response = client.post(reverse("admin:auth_user_delete", args=[clerk.pk]), {"post": "yes"})
    assert response.status_code == 302 and not User.objects.filter(pk=clerk.pk).exists()
    deleted = AuditEntry.objects.filter(action="删除")
    assert sorted(deleted.values_list("model", "object_id")) == sorted(
        [("用户", str(clerk.pk)), ("角色分配", str(assignment.pk))])
    assert {e.actor for e in deleted} == {"root"}
    user_entry = deleted.get(model="用户")
    assert user_entry.before["username"] == "clerk" and "password" not in user_entry.before


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
