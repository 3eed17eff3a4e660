"""The second factor (等保 身份鉴别 d): TOTP (RFC 6238) codes from an authenticator app, with pyotp. Required for
the three administrators and for the business roles the security policy names; any user may enrol."""

from __future__ import annotations

import io

import pyotp
import segno
from django.db import IntegrityError, transaction
from django.utils import timezone

from .loginstore import LOGIN_DB
from .models import Credential, Role, SecurityPolicy, THREE_ROLES, TotpUse

ISSUER = "风清"


def required(user, policy: SecurityPolicy | None = None) -> bool:
    assignment = getattr(user, "assignment", None)
    if assignment is None:
        return False
    if assignment.role in THREE_ROLES:
        return True
    policy = policy or SecurityPolicy.current()
    return assignment.role in (policy.totp_roles or [])


def new_secret(credential: Credential) -> str:
    """Start (or restart) an enrolment: a fresh secret, not yet confirmed."""
    credential.totp_secret = pyotp.random_base32()
    credential.totp_confirmed = False
    credential.totp_last_step = 0
    credential.save(update_fields=["totp_secret", "totp_confirmed", "totp_last_step"])
    return credential.totp_secret


def uri(credential: Credential) -> str:
    return pyotp.TOTP(credential.totp_secret).provisioning_uri(name=credential.user.username, issuer_name=ISSUER)


def qr_svg(credential: Credential) -> str:
    """The enrolment QR code as an SVG document (served as its own resource: no inline data under the CSP)."""
    buffer = io.BytesIO()
    segno.make(uri(credential), error="m").save(buffer, kind="svg", scale=5)
    return buffer.getvalue().decode()


def check(credential: Credential, code: str) -> bool:
    """Whether ``code`` is valid now (±30 s) and newer than the last accepted one (a code is used once)."""
    code = "".join((code or "").split())
    if not credential.totp_secret or not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(credential.totp_secret)
    now = totp.timecode(timezone.now())
    last = max(credential.totp_last_step, TotpUse.objects.filter(user_id=credential.user_id)
               .values_list("step", flat=True).first() or 0)
    for step in (now - 1, now, now + 1):
        if step > last and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return _claim(credential.user_id, step)
    return False


def _claim(user_id: int, step: int) -> bool:
    """Record ``step`` as used; False when it (or a later one) was used already. Conditional, so two
    simultaneous uses of one code cannot both pass."""
    if TotpUse.objects.filter(user_id=user_id, step__lt=step).update(step=step):
        return True
    try:
        with transaction.atomic(using=LOGIN_DB):
            TotpUse.objects.create(user_id=user_id, step=step)
        return True
    except IntegrityError:  # the row exists (with this step or a later one), or was made at the same moment
        return bool(TotpUse.objects.filter(user_id=user_id, step__lt=step).update(step=step))


ROLES_CHOICES = [(r.value, r.label) for r in Role if r not in THREE_ROLES]
