"""Log-in (password, then the second factor when the user has one; the lock-out message), the landing page of each role, and the application's own static files."""

from __future__ import annotations

import time
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.static import serve

from ...accounts import backends, lockout, totp
from ...accounts.backends import client_address
from ...accounts.models import Credential
from .base import scope_of


class LoginForm(AuthenticationForm):
    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        try:
            return super().clean()
        except forms.ValidationError:
            until = getattr(self.request, "fengqing_locked_until", None) or (
                username and lockout.locked_until(username, client_address(self.request)))
            if until:
                raise forms.ValidationError(lockout.message(until), code="locked") from None
            raise


_PENDING_SECONDS = 300  # the second step must follow the password within five minutes


class LoginView(auth_views.LoginView):
    """Step one: the password. A user with a second factor goes on to step two before being logged in."""

    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        credential = Credential.objects.filter(user=user, totp_confirmed=True).first()
        if credential is None:
            return super().form_valid(form)
        self.request.session["fq_pending"] = {"user": user.pk, "backend": user.backend,
                                              "next": self.get_success_url(), "at": time.time()}
        return redirect("web:login_totp")


@login_not_required
def login_totp(request: HttpRequest) -> HttpResponse:
    """Step two: the six-digit code of the user's authenticator app."""
    pending = request.session.get("fq_pending")
    if not pending or time.time() - pending["at"] > _PENDING_SECONDS:
        request.session.pop("fq_pending", None)
        return redirect("web:login")
    user = User.objects.get(pk=pending["user"])
    error = ""
    if request.method == "POST":
        try:
            backends.refuse_if_locked(request, user.username)
        except PermissionDenied:
            error = lockout.message(request.fengqing_locked_until)  # type: ignore[attr-defined]  # set by the refusal
        else:
            if totp.check(Credential.of(user), request.POST.get("code", "")):
                del request.session["fq_pending"]
                auth_login(request, user, backend=pending["backend"])
                return redirect(pending["next"])
            backends.login_failed(request, user.username, "动态口令错误")
            until = lockout.locked_until(user.username, client_address(request))
            error = lockout.message(until) if until else "动态口令不正确或已使用过，请输入验证器应用上最新的 6 位数字"
    return render(request, "web/login_totp.html", {"error": error})


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    scope = scope_of(request)
    if scope.is_supervisor:
        return redirect("web:overview")
    if scope.sees_records and scope.unit_ids:
        return redirect("web:dashboard", unit=min(scope.unit_ids))
    if scope.is_auditor:
        return redirect("web:audit")
    if scope.is_admin:
        return redirect("admin:index")
    return render(request, "web/no_role.html", {"scope": scope}, status=403)


@login_not_required
def static(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    """Static files served by the application itself (no web server in front, no collectstatic step)."""
    found = finders.find(path)
    if not found:
        raise Http404(path)
    response = serve(request, path.rsplit("/", 1)[-1], document_root=found.rsplit("/", 1)[0])
    if isinstance(response, FileResponse):
        response["Cache-Control"] = "max-age=3600"
    return response


def unit_switch(request: HttpRequest) -> HttpResponse:
    """The unit picker of users who see several units: go to the chosen unit's dashboard. With many units the
    picker is a search box (``q``): one match goes to it, several to the overview's list of them."""
    scope = scope_of(request)
    text = request.GET.get("q", "").strip()
    if text:
        found = list(scope.units().filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code=text))
                     .values_list("id", flat=True)[:2])
        if len(found) == 1:
            return redirect(reverse("web:dashboard", args=found))
        if found and scope.is_supervisor:
            return redirect(reverse("web:overview") + f"?q={quote(text)}")
        messages.error(request, f"没有名称或代码含“{text}”的单位" if not found else
                       f"名称含“{text}”的单位不止一个，请输入更完整的名称或单位代码")
        return redirect("web:home")
    try:
        unit = int(request.GET.get("unit", ""))
    except ValueError:
        return redirect("web:home")
    if not scope.has_unit(unit):
        return redirect("web:home")
    return redirect(reverse("web:dashboard", args=[unit]))
