"""问题整改: problems with their measures, quick status changes, overdue highlighting and evidence files."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ... import choices as C
from ...accounts import audit
from ...accounts.models import AuditEntry
from ...assess.sources import DONE, overdue_at
from ...org.models import Unit
from ...rectify.models import Measure, Problem
from ...workbook.exporter import export_sheets
from ...workbook.schema import SHEETS_BY_NAME
from ..forms import EvidenceForm
from ..models import Evidence
from ..kinds import period_label
from ..listing import PAGE_SIZES, page_numbers, page_of
from .base import VIA_WEB, activity, allow, log, next_url, scope_of, search_text, unit_for, xlsx_download


#: the problem states the list filters by, from its measures
OPEN, DONE_ALL, NO_MEASURE = "未完成整改", "已完成整改", "尚无整改措施"
PROBLEM_STATES = (OPEN, DONE_ALL, NO_MEASURE)


def _problem_rows(request, scope, unit: int, today) -> tuple[QuerySet, dict]:
    """The unit's problems as the page is asked to narrow them, ordered newest period first, and the filter
    values that were applied."""
    qs = scope.records(Problem, unit)
    measures = Measure.objects.filter(problem=OuterRef("pk"))
    state = {"period": request.GET.get("period", ""), "aspect": request.GET.get("aspect", ""),
             "source": request.GET.get("source", ""), "status": request.GET.get("status", ""),
             "overdue": request.GET.get("overdue") == "1", "q": search_text(request)}
    if state["period"]:
        qs = qs.filter(period=state["period"])
    for name, values in (("aspect", C.PROBLEM_ASPECT), ("source", C.PROBLEM_SOURCE)):
        if state[name] in values:
            qs = qs.filter(**{name: state[name]})
        else:
            state[name] = ""
    if state["status"] == OPEN:  # not all done: none yet, or one still open
        qs = qs.filter(~Exists(measures) | Exists(measures.exclude(status=DONE)))
    elif state["status"] == DONE_ALL:
        qs = qs.filter(Exists(measures), ~Exists(measures.exclude(status=DONE)))
    elif state["status"] == NO_MEASURE:
        qs = qs.filter(~Exists(measures))
    else:
        state["status"] = ""
    if state["overdue"]:
        qs = qs.filter(Exists(measures.filter(overdue_at(today))))
    if state["q"]:
        text = state["q"]
        qs = qs.filter(Q(code__icontains=text) | Q(title__icontains=text) | Q(description__icontains=text)
                       | Exists(measures.filter(Q(text__icontains=text) | Q(owner__icontains=text))))
    return qs.order_by("-period", "code", "id"), state


def problems(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    today = timezone.localdate()
    qs, state = _problem_rows(request, scope, unit, today)
    # overdue as the indicator and the count below have it (one rule: assess.sources.overdue_at)
    late = ExpressionWrapper(overdue_at(today), output_field=BooleanField())
    measures = Measure.objects.annotate(late=late).order_by("deadline", "id").prefetch_related("evidence")
    page, size = page_of(request, qs.prefetch_related(Prefetch("measures", queryset=measures)))
    rows = [(p, period_label(p.period), [(m, m.late) for m in p.measures.all()]) for p in page]
    overdue = scope.records(Measure, unit).filter(overdue_at(today)).count()
    periods = scope.records(Problem, unit).order_by("-period").values_list("period", flat=True).distinct()
    return render(request, "web/problems.html", {
        "unit": unit_obj, "section": "problems", "rows": rows, "overdue": overdue, "state": state,
        "narrowed": any(state.values()), "page": page, "size": size, "sizes": PAGE_SIZES,
        "numbers": page_numbers(page), "periods": [(code, period_label(code)) for code in periods],
        "aspects": C.PROBLEM_ASPECT, "sources": C.PROBLEM_SOURCE, "states": PROBLEM_STATES,
        "statuses": C.TASK_STATUS, "today": today,
        "may_problem": scope.may_write(Problem, unit), "may_measure": scope.may_write(Measure, unit),
        "evidence_form": EvidenceForm(),
    })


def _back(request, unit: int) -> str:
    """The problem list as it was (filters, page) when the form on it was sent."""
    return next_url(request, reverse("web:problems", args=[unit]))


def problems_export(request: HttpRequest, unit: int) -> HttpResponse:
    """The problems the page lists (every page) and their measures, as an interchange workbook."""
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    qs, state = _problem_rows(request, scope, unit, timezone.localdate())
    measures = scope.records(Measure, unit).filter(problem__in=qs.values("pk")).order_by(
        "problem__code", "deadline", "id")
    name = f"{unit_obj.short_name}-问题整改{'-筛选' if any(state.values()) else ''}.xlsx"
    activity(request, AuditEntry.EXPORT, "问题整改", name, unit_obj, 格式="xlsx", 筛选=any(state.values()))
    return xlsx_download(name, lambda target: export_sheets(
        unit_obj, [(SHEETS_BY_NAME["问题"], qs), (SHEETS_BY_NAME["整改措施"], measures)], target))


@require_POST
def measure_status(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_write(Measure, unit))
    measure = get_object_or_404(scope.records(Measure, unit), pk=pk)
    status = request.POST.get("status")
    if status not in C.TASK_STATUS:
        messages.error(request, "请选择有效的状态")
        return redirect(_back(request, unit))
    before = audit.snapshot(measure)
    measure.status = status
    done = request.POST.get("done_date") or ""
    try:
        measure.done_date = date.fromisoformat(done) if done and status == DONE else (
            timezone.localdate() if status == DONE else None)
    except ValueError:
        messages.error(request, f"完成日期“{done}”不是有效日期")
        return redirect(_back(request, unit))
    with transaction.atomic():
        measure.save(update_fields=["status", "done_date"])
        log(request, unit_obj, [audit.Change(AuditEntry.UPDATE, measure, before, audit.snapshot(measure))])
    messages.success(request, f"措施“{measure.text[:20]}”已改为{status}")
    return redirect(_back(request, unit))


@require_POST
def evidence_upload(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_write(Measure, unit))
    measure = get_object_or_404(scope.records(Measure, unit), pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(_back(request, unit))
    f = form.cleaned_data["file"]
    with transaction.atomic():
        ev = Evidence.objects.create(measure=measure, file=f, name=f.name[:200], size=f.size,
                                     note=form.cleaned_data["note"], uploaded_by=request.user.username)
        log(request, unit_obj, [audit.Change(AuditEntry.CREATE, ev, None, audit.snapshot(ev))])
    messages.success(request, f"已上传佐证材料“{f.name}”")
    return redirect(_back(request, unit))


@require_POST
def evidence_delete(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    """Remove an evidence file (uploaded by mistake, say): the row is logged with what it held; the file leaves
    the disk once the deletion is committed (web.models)."""
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_write(Measure, unit))
    ev = get_object_or_404(Evidence, pk=pk, measure__in=scope.records(Measure, unit))
    audit.delete(request.user.username, VIA_WEB, [ev], unit=unit_obj)
    messages.success(request, f"已删除佐证材料“{ev.name}”")
    return redirect(_back(request, unit))


def evidence_download(request: HttpRequest, unit: int, pk: int) -> FileResponse | HttpResponse:
    unit_for(request, unit)
    scope = scope_of(request)
    ev = get_object_or_404(Evidence, pk=pk, measure__in=scope.records(Measure, unit))
    activity(request, AuditEntry.DOWNLOAD, "整改佐证", ev.pk, Unit.objects.get(pk=unit), 文件名=ev.name)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.name)
