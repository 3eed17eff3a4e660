"""Per-request security (等保 身份鉴别 b, 安全审计 a): sessions end after the idle time the security policy sets
and at most 8 hours after log-in; a user who must change their password or enrol the second factor is sent
there first; every entry written during the request carries the user's role and address; every denied request
is logged once, with the user, without a traceback."""

from __future__ import annotations

import logging
import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from . import audit, passwords, totp
from .backends import client_address, role_label
from .models import AuditEntry, Credential, SecurityPolicy

ABSOLUTE_SECONDS = 8 * 3600
#: pages a user reaches before the password change or second-factor enrolment they owe
_OPEN = {"web:login", "web:login_totp", "web:logout", "web:password", "web:totp", "web:totp_qr", "web:static"}
_SEEN_EVERY = 30  # seconds: the last-activity time is written at most this often

log = logging.getLogger("fengqing.security")


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        audit.drain_later()
        user = request.user
        role = ""
        if user.is_authenticated:
            answer = self._guard(request, user)
            if answer is not None:
                return answer
            role = role_label(user)
        with audit.acting(role, client_address(request)):
            response = self.get_response(request)
            if response.status_code == 403:
                self._denied(request, role)
        return response

    def _guard(self, request, user):
        policy = SecurityPolicy.current()
        now, session = time.time(), request.session
        login_at = session.setdefault("fq_login_at", now)
        seen = session.get("fq_seen", now)
        reason = ("会话已超过 8 小时" if now - login_at > ABSOLUTE_SECONDS else
                  f"空闲超过 {policy.idle_minutes} 分钟" if now - seen > policy.idle_minutes * 60 else None)
        if reason:
            request.fengqing_logout_reason = reason
            with audit.acting(role_label(user), client_address(request)):
                logout(request)
            messages.info(request, f"{reason}，已自动退出，请重新登录")
            return redirect(f"/login/?next={request.get_full_path()}" if request.method == "GET" else "/login/")
        if now - seen >= _SEEN_EVERY or "fq_seen" not in session:
            session["fq_seen"] = now
        if _url_name(request) in _OPEN:
            return None
        credential = Credential.read(user)
        if credential.must_change_password or passwords.expired(credential, user, policy.password_max_age_days):
            return redirect("web:password")
        if totp.required(user, policy) and not credential.totp_confirmed:
            return redirect("web:totp")
        return None

    def _denied(self, request, role: str) -> None:
        user = request.user
        name = user.get_username() if user.is_authenticated else "（未登录）"
        what = f"{request.method} {request.get_full_path()}"
        log.warning("拒绝访问：%s（%s）%s", name, role or "无角色", what)
        audit.event(name, "网页", AuditEntry.DENIED, "页面", what, outcome=AuditEntry.REFUSED)
