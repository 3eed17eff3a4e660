"""Lock a user name at a client address after repeated failed log-ins (等保 level 3: 登录失败处理).

Every attempt first takes a numbered place in the counter (a locked row update in one transaction), and only
the first ``max_failures`` places of a round are allowed to check a password: simultaneous attempts cannot pass
the limit. Counting per name *and* address means nobody elsewhere can lock an administrator out; rows of
names that stopped failing are pruned, so unknown names cannot grow the table without bound."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .loginstore import LOGIN_DB
from .models import LoginThrottle, SecurityPolicy


def message(until: datetime | None = None) -> str:
    """The one message every log-in page shows for a locked name (the same whether the name exists or not)."""
    when = f"至 {timezone.localtime(until):%H:%M}" if until else ""
    return f"登录失败次数过多，账号已在本机地址锁定{when}，请稍后再试或请安全管理员解锁"


def _row(username: str, address: str) -> LoginThrottle:
    try:
        with transaction.atomic(using=LOGIN_DB):
            return LoginThrottle.objects.select_for_update().get_or_create(
                username=username, address=address)[0]
    except IntegrityError:  # another attempt created it first
        return LoginThrottle.objects.select_for_update().get(username=username, address=address)


def reserve(username: str, address: str) -> datetime | None:
    """Take a place for one attempt; returns the time the name stays locked until when it may not try."""
    policy = SecurityPolicy.current()
    now = timezone.now()
    with transaction.atomic(using=LOGIN_DB):
        row = _row(username, address)
        if row.locked_until and row.locked_until > now:
            return row.locked_until
        if row.locked_until:  # the lock ran out: a new round
            row.failures, row.locked_until = 0, None
        row.failures += 1
        row.last_attempt = now
        if row.failures > policy.max_failures:  # places taken by attempts still under way
            row.locked_until = now + timedelta(minutes=policy.lock_minutes)
        row.save()
        return row.locked_until


def failed(username: str, address: str) -> datetime | None:
    """The attempt failed; returns the lock's end when this failure locked the name."""
    policy = SecurityPolicy.current()
    now = timezone.now()
    with transaction.atomic(using=LOGIN_DB):
        row = LoginThrottle.objects.select_for_update().filter(username=username, address=address).first()
        if row is None or row.locked_until or row.failures < policy.max_failures:
            locked = None
        else:
            row.locked_until = locked = now + timedelta(minutes=policy.lock_minutes)
            row.save(update_fields=["locked_until"])
        # names that have not failed for a lock period are forgotten
        LoginThrottle.objects.filter(last_attempt__lt=now - timedelta(minutes=policy.lock_minutes)).exclude(
            locked_until__gt=now).delete()
    return locked


def succeeded(username: str, address: str) -> None:
    LoginThrottle.objects.filter(username=username, address=address).delete()


def locked_until(username: str, address: str) -> datetime | None:
    row = LoginThrottle.objects.filter(username=username, address=address, locked_until__gt=timezone.now()).first()
    return row.locked_until if row else None
