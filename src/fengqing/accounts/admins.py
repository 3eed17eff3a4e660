"""The three administrators (三员) are created and reset only here, by the server's operator on the command line
(``fengqing admins``), never in the web; every action is audited with the operating-system user."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from ..errors import AccountError
from . import audit, passwords
from .models import Assignment, AuditEntry, Credential, Role, THREE_ROLES

VIA_CLI = "命令行"
ROLE_NAMES = {"sysadmin": Role.SYSADMIN, "secadmin": Role.SECADMIN, "auditor": Role.AUDITOR}


def role_of(name: str) -> Role:
    role = ROLE_NAMES.get(name) or next((r for r in THREE_ROLES if r.label == name), None)
    if role is None:
        raise AccountError(f"角色“{name}”不是三员之一：应为 sysadmin（系统管理员）、secadmin（安全管理员）"
                           "或 auditor（审计管理员）")
    return role


@transaction.atomic
def create(role_name: str, username: str) -> str:
    """Create the administrator account of a role; returns its one-time password."""
    role = role_of(role_name)
    if User.objects.filter(username=username).exists():
        raise AccountError(f"用户名“{username}”已存在；重设其密码请用 fengqing admins reset-password")
    holder = Assignment.objects.filter(role=role, user__is_active=True).select_related("user").first()
    if holder is not None:
        raise AccountError(f"{role.label}已由“{holder.user.username}”担任（每个管理员角色只设一个账号）；"
                           "如需重设其密码请用 fengqing admins reset-password")
    password = passwords.generate()
    user = User.objects.create_user(username, password=password, first_name=role.label)
    Assignment.objects.create(user=user, role=role)
    passwords.must_change(user)
    audit.event(audit.cli_actor(), VIA_CLI, AuditEntry.ADMIN_CREATE, "用户", username, role=role.label,
                detail={"角色": role.label})
    return password


@transaction.atomic
def reset_password(role_name: str, username: str, reset_totp: bool = False) -> str:
    """A new one-time password for the administrator of a role (and, if asked, a new TOTP enrolment)."""
    role = role_of(role_name)
    user = User.objects.filter(username=username, assignment__role=role).first()
    if user is None:
        raise AccountError(f"没有担任{role.label}的用户“{username}”")
    password = passwords.generate()
    user.set_password(password)
    user.is_active = True
    user.save()
    passwords.must_change(user)
    detail = {"角色": role.label}
    if reset_totp:
        Credential.objects.filter(user=user).update(totp_secret="", totp_confirmed=False)
        detail["动态口令"] = "已解绑，下次登录须重新绑定"
    audit.event(audit.cli_actor(), VIA_CLI, AuditEntry.PASSWORD_RESET, "用户", username, role=role.label,
                detail=detail)
    return password


def holders() -> list[tuple[str, str, bool]]:
    """(role label, user name, active) of the administrator accounts."""
    return [(Role(a.role).label, a.user.username, a.user.is_active) for a in
            Assignment.objects.filter(role__in=THREE_ROLES).select_related("user").order_by("role")]
