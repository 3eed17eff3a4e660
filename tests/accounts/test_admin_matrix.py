"""Every admin-site page as every role (三员, DESIGN §7). The pages come from the admin site's registry, so a
model registered later without an expectation here fails the test; the expected answers are written out by hand."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from fengqing.accounts.models import Assignment, LoginThrottle, Role, SecurityPolicy
from tests.factories import second_factor, unit

PASSWORD = "Fq-test-pass-2024"
VIEWS = ("changelist", "add", "change", "delete", "history")

# (model, view, whose object) → answer, for the two administrator roles that use the admin site; every other role
# (and a user without a role) is sent to the log-in page for every admin page. "biz": a business user's object,
# "admin": one of the three administrators' (the auditor's), "-": no object.
SYSADMIN = {
    ("user", "changelist", "-"): 200, ("user", "add", "-"): 200,
    **{("user", v, "biz"): 200 for v in ("change", "delete", "history", "password")},
    # the three administrators are not there for the sysadmin: not found (Django sends unknown objects home)
    **{("user", v, "admin"): 302 for v in ("change", "delete", "history")}, ("user", "password", "admin"): 404,
    ("unit", "changelist", "-"): 200, ("unit", "add", "-"): 200,
    **{("unit", v, "biz"): 200 for v in ("change", "delete", "history")},
}
SECADMIN = {
    ("assignment", "changelist", "-"): 200, ("assignment", "add", "-"): 200,
    **{("assignment", v, "biz"): 200 for v in ("change", "delete", "history")},
    # another administrator's assignment: seen, never changed or removed
    ("assignment", "change", "admin"): 200, ("assignment", "delete", "admin"): 403,
    ("assignment", "history", "admin"): 200,
    ("loginthrottle", "changelist", "-"): 200, ("loginthrottle", "add", "-"): 403,
    ("loginthrottle", "change", "biz"): 200, ("loginthrottle", "delete", "biz"): 200,
    ("loginthrottle", "history", "biz"): 200,
    ("securitypolicy", "changelist", "-"): 200, ("securitypolicy", "add", "-"): 403,
    ("securitypolicy", "change", "biz"): 200, ("securitypolicy", "delete", "biz"): 403,
    ("securitypolicy", "history", "biz"): 200,
    # the user list is not the secadmin's; an administrator's history is not found before it is refused
    ("user", "history", "admin"): 302,
}


@pytest.fixture
def people(db):
    users = {}
    for role in Role:
        user = User.objects.create_user(role.value, password=PASSWORD)
        Assignment.objects.create(user=user, role=role)
        second_factor(user)
        users[role] = user
    users[None] = User.objects.create_user("newcomer", password=PASSWORD)
    return users


def _objects(people):
    clerk, auditor = people[Role.CLERK], people[Role.AUDITOR]
    throttle = LoginThrottle.objects.create(username="clerk", address="10.0.0.1", failures=2)
    return {
        "user": {"biz": clerk.pk, "admin": auditor.pk},
        "unit": {"biz": unit("河川市林业局", "林业局").pk},
        "assignment": {"biz": clerk.assignment.pk, "admin": auditor.assignment.pk},
        "loginthrottle": {"biz": throttle.pk},
        "securitypolicy": {"biz": SecurityPolicy.current().pk},
        "auditentry": {},
    }


def _pages(objects):
    for model in admin.site._registry:
        name = model._meta.model_name
        app = model._meta.app_label
        assert name in objects, f"{name}: no expectation in this test"
        for view in VIEWS + (("password",) if name == "user" else ()):
            if view in ("changelist", "add"):
                yield name, view, "-", reverse(f"admin:{app}_{name}_{view}")
                continue
            for whose, pk in objects[name].items():
                url_name = "auth_user_password_change" if view == "password" else f"{app}_{name}_{view}"
                yield name, view, whose, reverse(f"admin:{url_name}", args=[pk])


def _expected(role, name, view, whose):
    if role == Role.SYSADMIN:
        return SYSADMIN.get((name, view, whose), 403)
    if role == Role.SECADMIN:
        return SECADMIN.get((name, view, whose), 403)
    return 302  # not staff: to the log-in page


@pytest.mark.parametrize("role", [None, *Role])
def test_every_admin_page_as_every_role(people, client, role):
    objects = _objects(people)
    client.force_login(people[role])
    wrong = []
    index = client.get(reverse("admin:index")).status_code
    if index != (200 if role in (Role.SYSADMIN, Role.SECADMIN) else 302):
        wrong.append(f"index: {index}")
    for name, view, whose, url in _pages(objects):
        with transaction.atomic():
            got = client.get(url).status_code
            transaction.set_rollback(True)
        want = _expected(role, name, view, whose)
        if got != want:
            wrong.append(f"{name} {view} {whose}: {got}, expected {want}")
    assert wrong == []


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN])
def test_the_forms_refuse_what_the_role_may_not_do(people, client, role):
    """POSTs, not just pages: nobody changes an administrator, their own role, or holds two roles."""
    client.force_login(people[role])
    auditor = people[Role.AUDITOR]
    if role == Role.SYSADMIN:
        # deactivate the auditor, set their password, or make a superuser: refused, nothing changes
        client.post(reverse("admin:auth_user_change", args=[auditor.pk]),
                    {"username": "auditor", "is_active": "", "is_superuser": "on"})
        client.post(reverse("admin:auth_user_password_change", args=[auditor.pk]),
                    {"password1": "Hx7-river-mouth", "password2": "Hx7-river-mouth", "usable_password": "true"})
        auditor.refresh_from_db()
        assert auditor.is_active and not auditor.is_superuser and auditor.check_password(PASSWORD)
        me = people[Role.SYSADMIN]
        client.post(reverse("admin:auth_user_change", args=[me.pk]), {"username": "sysadmin", "is_active": ""})
        me.refresh_from_db()
        assert me.is_active
        # a user the sysadmin creates has no role and must change the password at first log-in
        response = client.post(reverse("admin:auth_user_add"), {
            "username": "xiaoli", "password1": "Hx7-river-mouth", "password2": "Hx7-river-mouth",
            "usable_password": "true"})
        assert response.status_code == 302
        new = User.objects.get(username="xiaoli")
        assert not Assignment.objects.filter(user=new).exists() and new.credential.must_change_password
        assert not new.is_staff and not new.is_superuser
    else:
        # give oneself or an administrator a role, or a second role to anyone: refused
        for target, r in ((people[Role.SECADMIN], Role.SUPERVISOR), (auditor, Role.CLERK)):
            client.post(reverse("admin:accounts_assignment_change", args=[target.assignment.pk]),
                        {"user": target.pk, "role": r.value, "units": []})
            assert Assignment.objects.get(user=target).role != r
        clerk = people[Role.CLERK]
        response = client.post(reverse("admin:accounts_assignment_add"),
                               {"user": clerk.pk, "role": Role.DISCIPLINE.value, "units": []})
        assert response.status_code == 200 and Assignment.objects.filter(user=clerk).count() == 1
        assert Assignment.objects.get(user=clerk).role == Role.CLERK
        assert client.post(reverse("admin:auth_user_add"), {"username": "x"}).status_code == 403
    assert not User.objects.filter(is_superuser=True).exists()
