"""The supervisor's own pages beside the ranking: the 综合研判报告 of its units for download."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from ...overview.api import build_overview_report, overview_file_name
from ...report.api import render_all
from ...accounts.models import AuditEntry
from .base import activity, allow, attachment, current_period, scope_of
from .report import CONTENT_TYPES


def overview_report(request: HttpRequest, fmt: str) -> HttpResponse:
    scope = scope_of(request)
    allow(scope.is_supervisor)
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    units = list(scope.units().order_by("name"))
    period = current_period(request, [u.pk for u in units])
    doc = build_overview_report(period, units, org=request.GET.get("org", ""))
    data = render_all(doc, [fmt])[fmt]
    activity(request, AuditEntry.DOWNLOAD, "综合研判报告", period.code, 期间=period.code, 格式=fmt,
             单位数=len(units))
    return attachment(HttpResponse(data, content_type=CONTENT_TYPES[fmt]), overview_file_name(period, fmt))
