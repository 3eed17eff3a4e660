"""审计: the audit log, for the auditor role only: searchable by account, action, date and object, with the
chain check (the same as ``fengqing audit verify``) and an export for the archive. Values of sensitive records
are masked (accounts.auditview)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from ...accounts import audit, auditview
from ...accounts.models import AuditEntry
from .base import activity, allow, attachment, scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _filtered(request: HttpRequest) -> tuple[QuerySet, date | None, date | None]:
    audit.drain(wait=False)  # the log-in path's entries waiting, when the chain is free (accounts.audit)
    qs = AuditEntry.objects.all()
    actor = request.GET.get("actor", "").strip()
    action = request.GET.get("action", "").strip()
    obj = request.GET.get("object", "").strip()
    if actor:
        qs = qs.filter(actor__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if obj:
        q = Q(model__icontains=obj) | Q(unit_name__icontains=obj) | Q(object_id=obj.split("#")[-1])
        qs = qs.filter(q)
    start, end = _day(request.GET.get("from", "")), _day(request.GET.get("to", ""))
    return auditview.between(qs, start, end), start, end


def audit_log(request: HttpRequest) -> HttpResponse:
    allow(scope_of(request).is_auditor)
    qs, start, end = _filtered(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = auditview.sensitive_models()
    rows = []
    for e in page:
        sensitive = auditview.is_sensitive(e, names)
        rows.append((e, auditview.diff(e, sensitive), sensitive))
    verdict = audit.verify() if request.GET.get("verify") else None
    if verdict is not None:
        activity(request, "校验审计日志", "审计日志", outcome=AuditEntry.SUCCESS if verdict.intact else
                 AuditEntry.FAILURE, 条数=verdict.entries)
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(request, "web/audit.html", {
        "page": page, "rows": rows, "verdict": verdict, "actions": sorted(actions), "query": request.GET.urlencode(),
        **{k: request.GET.get(k, "") for k in ("actor", "action", "object", "from", "to")}, "section": "audit"})


def audit_export(request: HttpRequest) -> HttpResponse:
    """The entries found by the page's filters, as an .xlsx file (values of sensitive records masked)."""
    allow(scope_of(request).is_auditor)
    _, start, end = _filtered(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.xlsx"
        n = auditview.export(path, start, end)
        data = path.read_bytes()
    activity(request, AuditEntry.EXPORT, "审计日志", "xlsx", 条数=n, 起=request.GET.get("from", ""),
             止=request.GET.get("to", ""))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return attachment(HttpResponse(data, content_type=XLSX), f"审计日志-{stamp}.xlsx")
