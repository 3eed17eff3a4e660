"""报送: a unit's page (its submissions, the supervisor's comments, submitting the signed version or a file)
and the supervisor's pages (every unit's state, the deadline, sending back, the .zip of all reports)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...accounts.models import AuditEntry
from ...errors import FengqingError
from ...report import signoff
from ...submission import api
from ...submission.models import Submission
from .base import VIA_WEB, activity, allow, attachment, current_period, period_choices, scope_of, unit_for


def unit_page(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    deadline = api.deadline_of(period)
    return render(request, "web/submission.html", {
        "unit": unit_obj, "section": "submission", "period": period, "period_codes": period_choices(period),
        "deadline": deadline, "current": api.current(unit_obj, period), "versions": api.versions(unit_obj, period),
        "signed": signoff.current(unit_obj, period), "may_submit": scope.may_submit(unit),
        "may_send_back": scope.may_send_back(unit), "suffixes": "、".join(api.SUFFIXES),
        "max_mb": api.MAX_BYTES // 1048576,
    })


def _back(unit: int, period) -> HttpResponse:
    return redirect(f"{reverse('web:submission', args=[unit])}?period={period.code}")


@require_POST
def submit(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_submit(unit))
    period = current_period(request, [unit])
    upload = request.FILES.get("file")
    try:
        if request.POST.get("kind") == "upload":
            if upload is None:
                raise FengqingError("请选择要上传的报告文件")
            if upload.size > api.MAX_BYTES:  # refused before it is read into memory
                raise FengqingError(f"文件过大（{upload.size / 1048576:.1f} MB）：不能超过 {api.MAX_BYTES // 1048576} MB")
            s = api.submit_file(unit_obj, period, upload.name, upload.read(), request.user, request.user.username,
                                VIA_WEB)
        else:
            s = api.submit_signed(unit_obj, period, request.user, request.user.username, VIA_WEB)
    except FengqingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已报送{period.label}报告（第{s.version}次报送）")
    return _back(unit, period)


@require_POST
def send_back(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_send_back(unit))
    period = current_period(request, [unit])
    try:
        api.send_back(unit_obj, period, request.POST.get("comment", ""), request.user, request.user.username,
                      VIA_WEB)
    except FengqingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已退回{unit_obj.short_name}{period.label}报告")
    if request.POST.get("next") == "list":
        return redirect(f"{reverse('web:submissions')}?period={period.code}")
    return _back(unit, period)


def download(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_for(request, unit)
    s = get_object_or_404(Submission.objects.select_related("unit", "signed"), pk=pk, unit_id=unit)
    name, data, content_type = api.content(s)
    activity(request, AuditEntry.DOWNLOAD, "报送的报告", s.pk, s.unit, 期间=s.period, 文件名=name)
    return attachment(HttpResponse(data, content_type=content_type), name)


# -- the supervisor ---------------------------------------------------------------------------------------------

def submissions(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    allow(scope.sees_submissions)
    units = list(scope.units().order_by("name"))
    period = current_period(request, [u.pk for u in units])
    deadline, rows = api.status_list(units, period, timezone.localdate())
    counts = {k: sum(1 for r in rows if r.status == k) for k in api.STATUS}
    return render(request, "web/submissions.html", {
        "section": "submissions", "period": period, "period_codes": period_choices(period), "rows": rows,
        "deadline": deadline, "counts": counts, "labels": api.STATUS,
    })


@require_POST
def deadline(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    allow(scope.sees_submissions)
    period = current_period(request, sorted(scope.unit_ids))
    try:
        try:
            due = date.fromisoformat(request.POST.get("due", ""))
        except ValueError:
            raise FengqingError("请填写有效的报送截止日期") from None
        api.set_deadline(period, due, request.user, request.user.username, VIA_WEB)
    except FengqingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{period.label}报告的报送截止日期设为{due.year}年{due.month}月{due.day}日")
    return redirect(f"{reverse('web:submissions')}?period={period.code}")


def submissions_zip(request: HttpRequest) -> FileResponse | HttpResponse:
    scope = scope_of(request)
    allow(scope.sees_submissions)
    units = list(scope.units())
    period = current_period(request, [u.pk for u in units])
    out, n = api.zip_all(units, period)
    if n:
        activity(request, AuditEntry.DOWNLOAD, "报送的报告", period.code, 期间=period.code, 格式="zip", 份数=n)
    if not n:
        out.close()
        messages.error(request, f"{period.label}还没有单位报送报告")
        return redirect(f"{reverse('web:submissions')}?period={period.code}")
    return FileResponse(out, as_attachment=True, filename=f"{period.code}-已报送的政治生态分析研判报告.zip",
                        content_type="application/zip")
