"""Log-in (with the lock-out message), the landing page of each role, and the application's own static files."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.staticfiles import finders
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve

from ...accounts import lockout
from .base import scope_of


class LoginForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and (until := lockout.locked_until(username)):
            raise forms.ValidationError(
                f"连续 {lockout.MAX_FAILURES} 次登录失败，账号已锁定至 {timezone.localtime(until):%H:%M}，"
                "请稍后再试或请安全管理员解锁", code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and lockout.locked_until(username):
                raise forms.ValidationError(f"连续 {lockout.MAX_FAILURES} 次登录失败，账号已锁定 "
                                            f"{lockout.LOCK_MINUTES} 分钟", code="locked") from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


def home(request):
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
def static(request, path):
    """Static files served by the application itself (no web server in front, no collectstatic step)."""
    found = finders.find(path)
    if not found:
        raise Http404(path)
    response = serve(request, path.rsplit("/", 1)[-1], document_root=found.rsplit("/", 1)[0])
    if isinstance(response, FileResponse):
        response["Cache-Control"] = "max-age=3600"
    return response


def unit_switch(request):
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
