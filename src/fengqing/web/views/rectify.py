"""问题整改: problems with their measures, quick status changes, overdue highlighting and evidence files."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ... import choices as C
from ...accounts import audit
from ...accounts.models import AuditEntry
from ...assess.sources import overdue_at
from ...rectify.models import Measure, Problem
from ..forms import EvidenceForm
from ..models import Evidence
from .base import allow, log, scope_of, unit_for


def problems(request, unit):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    today = timezone.localdate()
    period = request.GET.get("period", "")
    qs = scope.records(Problem, unit)
    if period:
        qs = qs.filter(period=period)
    qs = qs.prefetch_related(Prefetch("measures", queryset=Measure.objects.prefetch_related("evidence")))
    only_open = request.GET.get("open") == "1"
    rows = []
    for p in qs.order_by("-period", "code"):
        measures = [(m, m.status != "已完成" and m.deadline < today) for m in p.measures.all()]
        if only_open and all(m.status == "已完成" for m, _ in measures) and measures:
            continue
        rows.append((p, measures))
    overdue = scope.records(Measure, unit).filter(overdue_at(today)).count()
    periods = scope.records(Problem, unit).order_by("-period").values_list("period", flat=True).distinct()
    return render(request, "web/problems.html", {
        "unit": unit_obj, "section": "problems", "rows": rows, "overdue": overdue, "period": period,
        "periods": list(periods), "only_open": only_open, "statuses": C.TASK_STATUS, "today": today,
        "may_problem": scope.may_write(Problem, unit), "may_measure": scope.may_write(Measure, unit),
        "evidence_form": EvidenceForm(),
    })


@require_POST
def measure_status(request, unit, pk):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_write(Measure, unit))
    measure = get_object_or_404(scope.records(Measure, unit), pk=pk)
    status = request.POST.get("status")
    if status not in C.TASK_STATUS:
        messages.error(request, "请选择有效的状态")
        return redirect("web:problems", unit=unit)
    before = audit.snapshot(measure)
    measure.status = status
    done = request.POST.get("done_date") or ""
    try:
        measure.done_date = date.fromisoformat(done) if done and status == "已完成" else (
            timezone.localdate() if status == "已完成" else None)
    except ValueError:
        messages.error(request, f"完成日期“{done}”不是有效日期")
        return redirect("web:problems", unit=unit)
    with transaction.atomic():
        measure.save(update_fields=["status", "done_date"])
        log(request, unit_obj, [audit.Change(AuditEntry.UPDATE, measure, before, audit.snapshot(measure))])
    messages.success(request, f"措施“{measure.text[:20]}”已改为{status}")
    return redirect("web:problems", unit=unit)


@require_POST
def evidence_upload(request, unit, pk):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_write(Measure, unit))
    measure = get_object_or_404(scope.records(Measure, unit), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("web:problems", unit=unit)
    f = form.cleaned_data["file"]
    with transaction.atomic():
        ev = Evidence.objects.create(measure=measure, file=f, name=f.name[:200], size=f.size,
                                     note=form.cleaned_data["note"], uploaded_by=request.user.username)
        log(request, unit_obj, [audit.Change(AuditEntry.CREATE, ev, None, audit.snapshot(ev))])
    messages.success(request, f"已上传佐证材料“{f.name}”")
    return redirect("web:problems", unit=unit)


def evidence_download(request, unit, pk):
    unit_for(request, unit)
    scope = scope_of(request)
    ev = get_object_or_404(Evidence, pk=pk, measure__in=scope.records(Measure, unit))
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name)
