"""Password rules (等保 身份鉴别 a): at least 10 characters from at least three character classes, not containing
the user name, none of the last five; expiry and forced change live on ``Credential``. Each rule is a Django
password validator, so every path that sets a password (the web page, the admin site, the command line) is
held to them."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Credential, PasswordHistory

HISTORY = 5
MIN_CLASSES = 3
_CLASSES = (("大写字母", str.isupper), ("小写字母", str.islower), ("数字", str.isdigit),
            ("符号", lambda c: not c.isalnum()))


MIN_LENGTH = 10


class LengthValidator:
    """At least ten characters (Django's own validator has no Chinese message for this in Django 5.2)."""

    def validate(self, password, user=None):
        if len(password) < MIN_LENGTH:
            raise ValidationError(f"密码太短：至少 {MIN_LENGTH} 个字符（现为 {len(password)} 个）",
                                  code="password_too_short")

    def get_help_text(self):
        return f"密码至少 {MIN_LENGTH} 个字符。"


class ComplexityValidator:
    def validate(self, password, user=None):
        used = [name for name, test in _CLASSES if any(test(c) for c in password)]
        if len(used) < MIN_CLASSES:
            raise ValidationError(f"密码须包含大写字母、小写字母、数字、符号中的至少 {MIN_CLASSES} 类"
                                  f"（现只有：{'、'.join(used) or '无'}）", code="password_too_simple")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {MIN_CLASSES} 类。"


class UsernameValidator:
    def validate(self, password, user=None):
        name = (getattr(user, "username", "") or "").lower()
        if name and name in password.lower():
            raise ValidationError("密码不能包含用户名", code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"


class HistoryValidator:
    """None of the last five passwords (the current one included); records each new one."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:HISTORY])
        current = user.__class__._default_manager.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:  # an account made by create_user has no history row yet
            hashes.append(current)
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(f"不能使用最近 {HISTORY} 次用过的密码", code="password_reused")

    def password_changed(self, password, user=None):
        # called by User.save() after set_password: on every path that changes a password
        if user is None or user.pk is None:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()
        Credential.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now(),
                                                                  "must_change_password": False})

    def get_help_text(self):
        return f"不能使用最近 {HISTORY} 次用过的密码。"


def generate() -> str:
    """A one-time password that satisfies the rules (handed to a person who must change it at first use)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(14))
        if any(c.isupper() for c in body) and any(c.islower() for c in body) and any(c.isdigit() for c in body):
            return body[:7] + "-" + body[7:]


def must_change(user) -> None:
    """The user must change their password at the next log-in (after an initial or reset password)."""
    Credential.objects.update_or_create(user=user, defaults={"must_change_password": True})


def expired(credential: Credential, user, max_age_days: int) -> bool:
    """Whether the password is older than the policy allows (an account never changed counts from its creation)."""
    if not max_age_days:
        return False
    since = credential.password_changed_at or user.date_joined
    return (timezone.now() - since).days >= max_age_days
