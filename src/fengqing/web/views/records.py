"""台账: one generic list, form and delete view for every record kind of the workbook schema."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...accounts import audit
from ...accounts.models import AuditEntry
from ..forms import record_form_class
from ..kinds import KINDS_BY_SLUG, NAV_KINDS, Kind, cell_text
from .base import VIA_WEB, allow, current_period, log, next_url, period_choices, scope_of, search_text, unit_for

PAGE_SIZE = 50


def _kind(slug: str) -> Kind:
    try:
        return KINDS_BY_SLUG[slug]
    except KeyError:
        raise Http404("没有这种记录") from None


def record_list(request, unit, kind):
    unit_obj, k = unit_for(request, unit), _kind(kind)
    scope = scope_of(request)
    qs = scope.records(k.model, unit).select_related(*k.related)
    filters, within = {}, None
    if k.periodic and request.GET.get("all") != "1":
        period = current_period(request, [unit])
        within = k.period_q(period)
        qs = qs.filter(within)
        filters["period"] = period
    kind_value = request.GET.get("type", "")
    if k.type_column and kind_value in k.type_column.choices:
        qs = qs.filter(**{k.type_column.field: kind_value})
    text = search_text(request)
    if text:
        qs = qs.filter(k.text_q(text))
    page = Paginator(qs.order_by(*k.ordering()), PAGE_SIZE).get_page(request.GET.get("page"))
    writable = scope.may_write(k.model, unit)
    rows = [(obj, [cell_text(obj, c) for c in k.columns], writable and scope.may_change(obj)) for obj in page]
    return render(request, "web/record_list.html", {
        "unit": unit_obj, "kind": k, "rows": rows, "page": page, "writable": writable,
        "hidden": scope.hidden_count(k.model, unit, within), "type_value": kind_value, "q": text,
        "all_periods": request.GET.get("all") == "1", **filters,
        "period_codes": period_choices(filters["period"]) if "period" in filters else [],
        "nav_kinds": NAV_KINDS, "section": "records",
    })


def _back(unit: int, k: Kind) -> str:
    if k.group == "整改":
        return reverse("web:problems", args=[unit])
    return reverse("web:records", args=[unit, k.slug])


def record_form(request, unit, kind, pk=None):
    unit_obj, k = unit_for(request, unit), _kind(kind)
    scope = scope_of(request)
    allow(scope.may_write(k.model, unit))
    obj = get_object_or_404(scope.records(k.model, unit), pk=pk) if pk else None
    if obj is not None:
        allow(scope.may_change(obj))
    Form = record_form_class(k)
    # a new measure starts on the problem it was added from; an existing one keeps its own
    initial = {"problem": request.GET.get("problem")} if k.slug == "measure" and obj is None else {}
    form = Form(request.POST or None, instance=obj, unit=unit_obj, may_save=scope.may_change,
                initial=initial)
    if request.method == "POST" and form.is_valid():
        before = audit.snapshot(k.model.objects.get(pk=obj.pk)) if obj else None
        with transaction.atomic():
            saved = form.save()
            log(request, unit_obj, [audit.Change(AuditEntry.UPDATE if obj else AuditEntry.CREATE, saved,
                                                 before, audit.snapshot(saved))])
        messages.success(request, f"已{'修改' if obj else '新增'}{k.name}记录")
        return redirect(next_url(request, _back(unit, k)))
    return render(request, "web/record_form.html", {
        "unit": unit_obj, "kind": k, "form": form, "obj": obj, "back": next_url(request, _back(unit, k)),
        "nav_kinds": NAV_KINDS, "section": "records" if k.group != "整改" else "problems",
    })


@require_POST
def record_delete(request, unit, kind, pk):
    unit_obj, k = unit_for(request, unit), _kind(kind)
    scope = scope_of(request)
    allow(scope.may_write(k.model, unit))
    obj = get_object_or_404(scope.records(k.model, unit), pk=pk)
    allow(scope.may_change(obj))
    try:
        removed = audit.delete(request.user.username, VIA_WEB, [obj], unit=unit_obj)
    except (ProtectedError, RestrictedError) as exc:
        n = len(getattr(exc, "protected_objects", None) or exc.restricted_objects)
        messages.error(request, f"不能删除：还有 {n} 条记录引用了这条{k.name}记录，请先修改或删除那些记录")
    else:
        removed[str(k.model._meta.verbose_name)] -= 1
        also = "、".join(f"{name} {n} 条" for name, n in removed.items() if n)
        messages.success(request, f"已删除{k.name}记录" + (f"，连同{also}" if also else ""))
    return redirect(next_url(request, _back(unit, k)))
