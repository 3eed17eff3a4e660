"""One demo account per role (DESIGN §7), for trying the web application on the demo database."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction

from ..org.models import Unit
from .models import Assignment, Role

#: role → user name; the unit-bound roles get the first unit, the discipline group and the supervisor all
_USERNAMES = {
    Role.CLERK: "tianbao", Role.LEADERSHIP: "lingdao", Role.DISCIPLINE: "jijian", Role.SUPERVISOR: "jiwei",
    Role.SYSADMIN: "xitong", Role.SECADMIN: "anquan", Role.AUDITOR: "shenji",
}


def _password() -> str:
    return "fq-" + secrets.token_urlsafe(9)


@transaction.atomic
def create_demo_accounts(main_unit: Unit | None = None) -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; returns (role label, user name, password) per role.

    Clerk and leadership belong to ``main_unit`` (default: the unit with the most people); the discipline
    group and the supervisor cover every unit.
    """
    from django.db.models import Count

    units = list(Unit.objects.annotate(n=Count("person")).order_by("-n", "name"))
    main = main_unit or (units[0] if units else None)
    accounts = []
    for role, username in _USERNAMES.items():
        password = _password()
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.first_name = f"演示{role.label}"
        user.save()
        assignment, _ = Assignment.objects.update_or_create(user=user, defaults={"role": role})
        if role in (Role.CLERK, Role.LEADERSHIP):
            assignment.units.set([main] if main else [])
        elif role in (Role.DISCIPLINE, Role.SUPERVISOR):
            assignment.units.set(units)
        accounts.append((role.label, username, password))
    return accounts
