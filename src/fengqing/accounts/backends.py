"""Authentication that refuses a locked user name on every log-in path (the pages and the admin site)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from . import lockout


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and lockout.locked_until(username):
            raise PermissionDenied  # stops Django from asking any other backend
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if username:
        lockout.failed(username)


@receiver(user_logged_in)
def _reset_failures(sender, user, request=None, **kwargs):
    lockout.succeeded(user.get_username())
