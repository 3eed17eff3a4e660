"""Authentication with the atomic lock-out (accounts.lockout) on every log-in path, and the audit of log-ins,
failures, lock-outs and log-outs (DESIGN §7). Passwords never reach the log, only the reason class. Every write
of the log-in path goes to the log-in store (accounts.loginstore), never waiting for the main database."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_save
from django.dispatch import receiver

from . import audit, lockout
from ..errors import AccountError
from .models import Assignment, AuditEntry, THREE_ROLES

VIA_LOGIN = "登录"


def client_address(request) -> str:
    """The client's address as the server sees it (REMOTE_ADDR; a forwarded header could be forged)."""
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def role_label(user) -> str:
    assignment = getattr(user, "assignment", None) if user is not None and user.pk else None
    return assignment.get_role_display() if assignment is not None else ""


def login_failed(request, username: str, reason: str) -> None:
    """Count and log a failed attempt (password or second factor); logs the lock-out it causes."""
    address = client_address(request)
    user = User.objects.filter(username=username).first()
    audit.login_event(username, VIA_LOGIN, AuditEntry.LOGIN_FAILED, "用户", username, outcome=AuditEntry.FAILURE,
                      detail={"原因": reason}, role=role_label(user), address=address)
    until = lockout.failed(username, address)
    if until:
        audit.login_event(username, VIA_LOGIN, AuditEntry.LOCKOUT, "用户", username, outcome=AuditEntry.REFUSED,
                          detail={"锁定至": until.isoformat()}, role=role_label(user), address=address)


def refuse_if_locked(request, username: str) -> None:
    """Take a place in the counter; a locked name is refused (and logged) before any password is checked."""
    until = lockout.reserve(username, client_address(request))
    if until:
        if request is not None:
            request.fengqing_locked_until = until
        audit.login_event(username, VIA_LOGIN, AuditEntry.LOGIN_FAILED, "用户", username, outcome=AuditEntry.REFUSED,
                          detail={"原因": "账号已锁定"}, address=client_address(request))
        raise PermissionDenied  # stops Django from asking any other backend


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        refuse_if_locked(request, username)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            known = User.objects.filter(username=username).first()
            reason = "用户不存在" if known is None else ("账号已停用" if not known.is_active else "密码错误")
            login_failed(request, username, reason)
        return user


@receiver(pre_save, sender=User)
def _no_superuser_beside_the_three(sender, instance, **kwargs):
    """No superuser is used in operation: none may be made once the three administrators (三员) exist
    (``createsuperuser``, the shell, anything that saves a user)."""
    if not instance.is_superuser:
        return
    if instance.pk and User.objects.filter(pk=instance.pk, is_superuser=True).exists():
        return
    held = set(Assignment.objects.filter(role__in=THREE_ROLES, user__is_active=True).values_list("role", flat=True))
    if held >= set(THREE_ROLES):
        raise AccountError("拒绝创建超级用户：系统管理员、安全管理员、审计管理员均已设立，运行中不使用超级用户（三员分立）；"
                           "管理员账号请用 fengqing admins 管理")


@receiver(user_logged_in)
def _logged_in(sender, user, request=None, **kwargs):
    lockout.succeeded(user.get_username(), client_address(request))
    audit.login_event(user.get_username(), VIA_LOGIN, AuditEntry.LOGIN, "用户", user.get_username(),
                      role=role_label(user), address=client_address(request))


@receiver(user_logged_out)
def _logged_out(sender, user, request=None, **kwargs):
    if user is None:
        return
    reason = getattr(request, "fengqing_logout_reason", "本人退出")
    audit.login_event(user.get_username(), VIA_LOGIN, AuditEntry.LOGOUT, "用户", user.get_username(),
                      detail={"原因": reason}, role=role_label(user), address=client_address(request))
