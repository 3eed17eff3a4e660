"""报告: the report previewed as HTML (each figure links to the records it counts), the leadership's paragraphs
edited beside it, and the downloads (DOCX, PDF, Markdown, redacted)."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import quote

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ...accounts import audit
from ...accounts.models import AuditEntry
from ...errors import FengqingError
from ...report.api import build_report, file_name, render_all
from ...report.models import Narrative, ReportSignoff
from ...report.narrative import narratives_for, set_narrative, signoff_of
from ...report.render import html
from ...report.sections import SECTIONS
from ..kinds import KINDS_BY_SLUG, cell_text
from .base import VIA_WEB, allow, attachment, current_period, log, period_choices, scope_of, unit_for

CONTENT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pdf": "application/pdf", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
_BODY = re.compile(r"<body>(.*)<section class=\"trace\">", re.S)
_FACT_LINK = re.compile(r'href="#f-([^"]+)"')


def _preview_html(doc, fact_url: str) -> str:
    """The report's own HTML body, its figures linked to the pages listing their records."""
    body = _BODY.search(html.render(doc).decode()).group(1)
    return _FACT_LINK.sub(lambda m: f'href="{fact_url}{quote(m.group(1))}/"', body)


def report(request, unit):
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    try:
        doc = build_report(unit_obj, period)
        preview, error = _preview_html(doc, reverse("web:report_fact", args=[unit, "x"])[:-2]), ""
    except FengqingError as exc:
        preview, error = "", exc.message
    texts = narratives_for(unit_obj, period)
    own = set(Narrative.objects.filter(unit=unit_obj, period=period.code).values_list("section", flat=True))
    sections = [{"s": s, "text": "\n".join(texts.get(s.key, [])), "own": s.key in own} for s in SECTIONS]
    signed = signoff_of(unit_obj, period)
    return render(request, "web/report.html", {
        "unit": unit_obj, "section": "report", "period": period, "period_codes": period_choices(period),
        "preview": preview, "error": error, "sections": sections, "signoff": signed,
        "may_sign": scope.may_sign_off(unit), "may_edit": scope.may_edit_narrative(unit) and signed is None,
        "formats": [("docx", "Word"), ("pdf", "PDF"), ("md", "Markdown")],
    })


def _back_to_report(unit: int, period, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:report", args=[unit]) + f"?period={period.code}{anchor}")


@require_POST
def signoff(request, unit):
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_sign_off(unit))
    period = current_period(request, [unit])
    with transaction.atomic():
        signed, created = ReportSignoff.objects.get_or_create(unit=unit_obj, period=period.code,
                                                              defaults={"signed_by": request.user})
        if created:
            log(request, unit_obj, [audit.Change(AuditEntry.CREATE, signed, None, audit.snapshot(signed))])
    if created:
        messages.success(request, f"已签发{period.label}报告")
    else:
        messages.info(request, f"{period.label}报告已签发（{signed.signer_name}），无需再次签发")
    return _back_to_report(unit, period)


@require_POST
def signoff_withdraw(request, unit):
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_sign_off(unit))
    period = current_period(request, [unit])
    signed = signoff_of(unit_obj, period)
    if signed is None:
        messages.info(request, f"{period.label}报告尚未签发")
    else:
        audit.delete(request.user.username, VIA_WEB, [signed], unit=unit_obj)
        messages.success(request, f"已撤回{period.label}报告的签发，现在可以修改报告文字")
    return _back_to_report(unit, period)


@require_POST
def narrative(request, unit):
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_edit_narrative(unit))
    period = current_period(request, [unit])
    key = request.POST.get("section", "")
    before_obj = Narrative.objects.filter(unit=unit_obj, period=period.code, section=key).first()
    before = audit.snapshot(before_obj) if before_obj else None
    try:
        with transaction.atomic():
            saved = set_narrative(unit_obj, period, key, request.POST.get("text", ""))
            if saved is not None:
                log(request, unit_obj, [audit.Change(AuditEntry.UPDATE if before else AuditEntry.CREATE, saved,
                                                     before, audit.snapshot(saved))])
            elif before_obj is not None:
                log(request, unit_obj, [audit.Change(AuditEntry.DELETE, before_obj, before)])
    except FengqingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存报告文字" if saved else "已清除本期文字，报告将使用默认或往期文字")
    return _back_to_report(unit, period, f"#sec-{key}")


def download(request, unit, fmt):
    unit_obj = unit_for(request, unit)
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    period = current_period(request, [unit])
    redact = request.GET.get("redact") == "1"
    data = render_all(build_report(unit_obj, period, redact=redact), [fmt])[fmt]
    return attachment(HttpResponse(data, content_type=CONTENT_TYPES[fmt]), file_name(unit_obj, period, fmt, redact))


def fact(request, unit, fact_id):
    """The records a figure of the report counts, as the user's scope lets them be seen."""
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    doc = build_report(unit_obj, period)
    found = next((f for f in doc.facts if f["id"] == fact_id), None)
    if found is None:
        raise Http404(fact_id)
    ids = defaultdict(list)
    for ref in found["records"]:
        model, _, pk = ref.partition(":")
        ids[model].append(int(pk))
    tables = []
    for slug, pks in ids.items():
        kind = KINDS_BY_SLUG.get(slug)
        if kind is None:
            continue
        visible = scope.records(kind.model, unit).filter(pk__in=pks).select_related(*kind.related)
        rows = [(obj, [cell_text(obj, c) for c in kind.columns]) for obj in visible.order_by(*kind.ordering())]
        tables.append({"kind": kind, "rows": rows, "hidden": len(pks) - len(rows)})
    return render(request, "web/report_fact.html", {
        "unit": unit_obj, "section": "report", "period": period, "fact": found, "tables": tables})
