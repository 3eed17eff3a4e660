"""台账: one generic list, form and delete view for every record kind of the workbook schema."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...accounts import audit
from ...accounts.models import AuditEntry
from ...accounts.scope import sensitive_q
from ...workbook.exporter import export_sheets
from ..forms import record_form_class
from ..kinds import KINDS_BY_SLUG, NAV_KINDS, Kind, cell_text
from ..listing import PAGE_SIZES, listing, page_numbers, page_of, totals
from .base import VIA_WEB, activity, allow, log, next_url, period_choices, scope_of, unit_for, xlsx_download


def _kind(slug: str) -> Kind:
    try:
        return KINDS_BY_SLUG[slug]
    except KeyError:
        raise Http404("没有这种记录") from None


def record_list(request: HttpRequest, unit: int, kind: str) -> HttpResponse:
    unit_obj, k = unit_for(request, unit), _kind(kind)
    scope = scope_of(request)
    shown = listing(request, scope, unit, k)
    page, size = page_of(request, shown.rows)
    writable = scope.may_write(k.model, unit)
    # each row's addresses from one reversed once (a page of 200 rows reversed 600 addresses)
    record_url = reverse("web:record_edit", args=[unit, k.slug, 0])[:-2]
    rows = [(obj, [(cell_text(obj, c), c.kind in SHORT_KINDS) for c in k.columns], writable and scope.may_change(obj),
             f"{record_url}{obj.pk}/") for obj in page]
    sums = totals(shown)
    return render(request, "web/record_list.html", {
        "unit": unit_obj, "kind": k, "shown": shown, "rows": rows, "page": page, "size": size,
        "here": request.get_full_path(), "back": urlencode(request.get_full_path()),
        "sizes": PAGE_SIZES, "numbers": page_numbers(page), "writable": writable,
        "totals": [sums.get(c.field, "") for c in k.columns] if sums else None,
        "hidden": scope.hidden_count(k.model, unit, shown.within), "period": shown.period,
        # how many rows the register has in all periods, so that an empty period does not look like an
        # empty register
        "all_count": scope.records(k.model, unit).count() if shown.period else None,
        "period_codes": period_choices(shown.period) if shown.period else [],
        "sort_links": _sort_links(request, k, shown.sort),
        "nav_kinds": NAV_KINDS, "section": "records",
    })


#: columns whose values are short and read badly when wrapped (dates, choices, names, numbers)
SHORT_KINDS = {"date", "enum", "bool", "person", "count", "money", "year", "period"}


def _sort_links(request, k: Kind, sort: str) -> list[tuple[str, str, str]]:
    """Per column: its header, the address that sorts by it (ascending, or descending when it already is
    ascending) and the arrow showing the current sort."""
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for c in k.columns:
        query["sort"] = f"-{c.field}" if sort == c.field else c.field
        arrow = "↑" if sort == c.field else "↓" if sort == f"-{c.field}" else ""
        links.append((c.header, "?" + query.urlencode(), arrow))
    return links


def record_export(request: HttpRequest, unit: int, kind: str) -> HttpResponse:
    """The list as the page shows it (period, filters, search, sort; every page) as an interchange workbook."""
    unit_obj, k = unit_for(request, unit), _kind(kind)
    shown = listing(request, scope_of(request), unit, k)
    what = shown.period.label if shown.period else "全部"
    name = f"{unit_obj.short_name}-{k.name}-{what}{'-筛选' if shown.narrowed else ''}.xlsx"
    activity(request, AuditEntry.EXPORT, k.name, name, unit_obj, 格式="xlsx", 期间=what, 筛选=shown.narrowed,
             含敏感记录=scope_of(request).sees_sensitive and sensitive_q(k.model) is not None)
    return xlsx_download(name, lambda target: export_sheets(unit_obj, [(k.sheet, shown.rows)], target))


def _back(unit: int, k: Kind) -> str:
    if k.group == "整改":
        return reverse("web:problems", args=[unit])
    return reverse("web:records", args=[unit, k.slug])


def record_form(request: HttpRequest, unit: int, kind: str, pk: int | None = None) -> HttpResponse:
    unit_obj, k = unit_for(request, unit), _kind(kind)
    scope = scope_of(request)
    obj = get_object_or_404(scope.records(k.model, unit), pk=pk) if pk else None
    if obj is not None and request.method == "GET" and not scope.may_change(obj):
        # whoever may see the record may read it
        return render(request, "web/record_view.html", {
            "unit": unit_obj, "kind": k, "obj": obj, "cells": [(c.header, cell_text(obj, c)) for c in k.columns],
            "back": next_url(request, _back(unit, k)), "nav_kinds": NAV_KINDS,
            "section": "records" if k.group != "整改" else "problems"})
    allow(scope.may_write(k.model, unit))
    if obj is not None:
        allow(scope.may_change(obj))
    Form = record_form_class(k)
    # a new measure starts on the problem it was added from; an existing one keeps its own
    initial = {"problem": request.GET.get("problem")} if k.slug == "measure" and obj is None else {}
    form = Form(request.POST or None, instance=obj, unit=unit_obj, may_save=scope.may_change,
                initial=initial)
    if request.method == "POST" and form.is_valid():
        before = audit.snapshot(k.model._default_manager.get(pk=obj.pk)) if obj else None
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
def record_delete(request: HttpRequest, unit: int, kind: str, pk: int) -> HttpResponse:
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
