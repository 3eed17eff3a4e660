"""Tiny builders for test data: every argument not given gets a plain default, so a test names only what
it is about."""

from __future__ import annotations

from datetime import date
from itertools import count

from fengqing.org.models import Department, PartyBranch, Person, Unit

_seq = count(1)


def unit(name: str = "河川市水务局", short_name: str = "水务局", **kw) -> Unit:
    kw.setdefault("party_org_name", f"中共{name}党组")
    return Unit.objects.create(name=name, short_name=short_name, **kw)


def department(u: Unit, name: str | None = None, kind: str = "科室", **kw) -> Department:
    return Department.objects.create(unit=u, name=name or f"第{next(_seq)}科", kind=kind, **kw)


def branch(u: Unit, name: str | None = None, kind: str = "在职", **kw) -> PartyBranch:
    return PartyBranch.objects.create(unit=u, name=name or f"第{next(_seq)}党支部", kind=kind, **kw)


def person(u: Unit, name: str | None = None, *, category: str = "公务员", status: str = "在职",
           political_status: str = "群众", **kw) -> Person:
    n = next(_seq)
    return Person.objects.create(unit=u, staff_no=kw.pop("staff_no", f"P{n:05d}"), name=name or f"人员{n}",
                                 category=category, status=status, political_status=political_status, **kw)


D = date  # short alias for readable fixtures: D(2023, 6, 30)


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def second_factor(user, secret: str = TOTP_SECRET):
    """Enrol the user's TOTP (the three administrators must have one before they may do anything)."""
    from fengqing.accounts.models import Credential

    Credential.objects.update_or_create(user=user, defaults={"totp_secret": secret, "totp_confirmed": True})
    return secret


def forget_used_codes(username: str) -> None:
    """Let the current TOTP code be used again (tests log the same user in twice within one 30 s step)."""
    from django.contrib.auth.models import User

    from fengqing.accounts.models import Credential, TotpUse

    user = User.objects.get(username=username)
    Credential.objects.filter(user=user).update(totp_last_step=0)
    TotpUse.objects.filter(user_id=user.pk).delete()
