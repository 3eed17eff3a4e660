"""One demo account per role (DESIGN §7), for trying the web application on the demo database. Demo accounts
carry an address in the reserved ``.invalid`` domain; an account of the same name that is not one of them is
never changed."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction

from ..errors import AccountError
from ..org.models import Unit
from .models import Assignment, Role

#: role → user name; the unit-bound roles get the first unit, the discipline group and the supervisor all
_USERNAMES = {
    Role.CLERK: "tianbao", Role.LEADERSHIP: "lingdao", Role.DISCIPLINE: "jijian", Role.SUPERVISOR: "jiwei",
    Role.SYSADMIN: "xitong", Role.SECADMIN: "anquan", Role.AUDITOR: "shenji",
}


DEMO_DOMAIN = "demo.invalid"


def _password() -> str:
    while True:  # the password rules: three character classes, and no user name in it
        candidate = "Fq-" + secrets.token_urlsafe(9)
        if any(c.islower() for c in candidate[3:]) and not any(n in candidate.lower() for n in _USERNAMES.values()):
            return candidate


def check_usernames_free() -> None:
    """Refuse when a demo user name belongs to an account the demo did not make."""
    foreign = User.objects.filter(username__in=_USERNAMES.values()).exclude(email__endswith="@" + DEMO_DOMAIN)
    if foreign.exists():
        raise AccountError(f"用户名“{foreign.first().username}”已被一个非演示账号使用，演示不会改动它；"
                           "请在一个新的数据目录（FENGQING_HOME）中运行 fengqing demo")


@transaction.atomic
def create_demo_accounts(main_unit: Unit | None = None) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; returns (role label, user name, password) per role.

    Clerk and leadership belong to ``main_unit`` (default: the unit with the most people); the discipline
    group and the supervisor cover every unit.
    """
    from django.db.models import Count

    units = list(Unit.objects.annotate(n=Count("person")).order_by("-n", "name"))
    main = main_unit or (units[0] if units else None)
    check_usernames_free()
    accounts = []
    for role, username in _USERNAMES.items():
        password = _password()
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.first_name = f"演示{role.label}"
        user.email = f"{username}@{DEMO_DOMAIN}"
        user.save()
        assignment, _ = Assignment.objects.update_or_create(user=user, defaults={"role": role})
        if role in (Role.CLERK, Role.LEADERSHIP):
            assignment.units.set([main] if main else [])
        elif role in (Role.DISCIPLINE, Role.SUPERVISOR):
            assignment.units.set(units)
        accounts.append((role.label, username, password))
    return accounts
