"""Lock a user name after repeated failed log-ins (等保 level 3: 登录失败处理)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from .models import LoginThrottle

MAX_FAILURES = 5
LOCK_MINUTES = 15


def locked_until(username: str):
    """The time the name stays locked until, or None when it may try to log in."""
    row = LoginThrottle.objects.filter(username=username, locked_until__gt=timezone.now()).first()
    return row.locked_until if row else None


def failed(username: str) -> bool:
    """Count a failed log-in; True when this failure locked the name."""
    row, _ = LoginThrottle.objects.get_or_create(username=username)
    LoginThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1)
    row.refresh_from_db()
    if row.failures >= MAX_FAILURES:
        row.locked_until = timezone.now() + timedelta(minutes=LOCK_MINUTES)
        row.failures = 0
        row.save(update_fields=["locked_until", "failures"])
        return True
    return False


def succeeded(username: str) -> None:
    LoginThrottle.objects.filter(username=username).delete()
