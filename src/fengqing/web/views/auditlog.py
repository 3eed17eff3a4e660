"""审计: the audit log, for the auditor role only, searchable by user, date and object."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from ...accounts.models import AuditEntry
from .base import allow, scope_of


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def audit_log(request):
    allow(scope_of(request).is_auditor)
    qs = AuditEntry.objects.all()
    actor = request.GET.get("actor", "").strip()
    obj = request.GET.get("object", "").strip()
    start, end = _day(request.GET.get("from", "")), _day(request.GET.get("to", ""))
    if actor:
        qs = qs.filter(actor__icontains=actor)
    if obj:
        q = Q(model__icontains=obj) | Q(unit_name__icontains=obj)
        q |= Q(object_id=obj.split("#")[-1]) if obj.split("#")[-1].isdigit() else Q()
        qs = qs.filter(q)
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tz))
    if end:
        qs = qs.filter(at__lt=datetime.combine(end + timedelta(days=1), time.min, tz))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(e, _diff(e)) for e in page]
    return render(request, "web/audit.html", {"page": page, "rows": rows, "actor": actor, "object": obj,
                                              "from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
                                              "section": "audit"})


def _diff(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for the fields that differ; every field for a creation or deletion."""
    before, after = entry.before or {}, entry.after or {}
    keys = [k for k in {**before, **after} if k != "id"]
    if entry.action == AuditEntry.UPDATE:
        keys = [k for k in keys if before.get(k) != after.get(k)]
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys]
