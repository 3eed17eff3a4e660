"""The admin site as the 三员 use it: what each may change, what the sysadmin may not see or delete, and the
audit of every change made there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fengqing.accounts.models import Assignment, AuditEntry, Role

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
