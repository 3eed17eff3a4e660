"""The user's own account: change the password (every user, and first of all one who must), enrol the second
factor (TOTP, with an authenticator app)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ...accounts import audit, totp
from ...accounts.models import AuditEntry, Credential, SecurityPolicy

VIA_WEB = "网页"


def password(request: HttpRequest) -> HttpResponse:
    credential = Credential.of(request.user)
    forced = credential.must_change_password
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            form.save()  # the history validator records it and clears the forced change
            update_session_auth_hash(request, form.user)
            audit.event(request.user.username, VIA_WEB, AuditEntry.PASSWORD_CHANGE, "用户", request.user.username,
                        detail={"方式": "本人修改"})
            messages.success(request, "密码已修改")
            return redirect("web:home")
        audit.event(request.user.username, VIA_WEB, AuditEntry.PASSWORD_CHANGE, "用户", request.user.username,
                    outcome=AuditEntry.FAILURE, detail={"原因": "；".join(
                        e for errors in form.errors.values() for e in errors)[:300]})
    return render(request, "web/password.html", {
        "form": form, "forced": forced, "expiry": SecurityPolicy.current().password_max_age_days})


def totp_enrol(request: HttpRequest) -> HttpResponse:
    credential = Credential.of(request.user)
    error = ""
    if not credential.totp_confirmed:
        if not credential.totp_secret:
            totp.new_secret(credential)
        if request.method == "POST":
            if totp.check(credential, request.POST.get("code", "")):
                credential.totp_confirmed = True
                credential.save(update_fields=["totp_confirmed"])
                audit.event(request.user.username, VIA_WEB, AuditEntry.TOTP_ENROL, "用户", request.user.username)
                messages.success(request, "动态口令已绑定，今后登录时须输入验证器应用上的 6 位数字")
                return redirect("web:home")
            error = "动态口令不正确，请输入验证器应用上当前显示的 6 位数字（并确认手机时间准确）"
    return render(request, "web/totp.html", {
        "credential": credential, "required": totp.required(request.user), "error": error,
        "secret": " ".join(credential.totp_secret[i:i + 4] for i in range(0, len(credential.totp_secret), 4))})


def totp_qr(request: HttpRequest) -> HttpResponse:
    credential = Credential.of(request.user)
    if credential.totp_confirmed:
        raise PermissionDenied("已绑定动态口令，不再显示二维码")
    if not credential.totp_secret:
        totp.new_secret(credential)
    return HttpResponse(totp.qr_svg(credential), content_type="image/svg+xml")
