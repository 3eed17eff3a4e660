"""报告: the report previewed as HTML (each figure links to the records it counts), the leadership's paragraphs
edited beside it, and the downloads (DOCX, PDF, Markdown, redacted)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...accounts import audit
from ...accounts.models import AuditEntry
from ...errors import FengqingError
from ...report.cutoff import cutoff_date
from ...report.phrasing import cn_date
from ...report.api import build_report, file_name, render_all
from ...report import signoff as signing
from ...report.models import Narrative
from ...report.narrative import narratives_for, set_narrative
from ...report.render import html
from ...report.sections import SECTIONS
from ...submission import api as submission_api
from ..kinds import KINDS_BY_SLUG, Kind, cell_text
from ..listing import PAGE_SIZES, page_numbers, page_of
from ..shared import FACT_IDS, data_state, report_fact, signed_figures
from .base import VIA_WEB, activity, allow, attachment, current_period, log, period_choices, scope_of, unit_for

CONTENT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pdf": "application/pdf", "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


def _preview_html(doc, fact_url: str, query: str = "") -> str:
    """The report's own HTML body, its figures linked to the pages listing their records."""
    return html.body(doc, lambda fact: f"{fact_url}{quote(fact)}/{query}")


def _report_date(request: HttpRequest, period, signed) -> date:
    """The 成文日期 the preview states its figures at: the signed version's, else the one asked for in ?date=
    (default: the period's end). Raises ``ReportError`` for a date that is malformed or before the end."""
    return signed.date if signed else cutoff_date(period, request.GET.get("date", ""))


def _asked_date(period, signed, on: date) -> date | None:
    """The 成文日期 a link from the preview carries so that the page it opens states its figures at the same
    date: the one asked for; none for the default or a signed version's (the page finds those itself)."""
    return None if signed or on == period.end else on


def report(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    signed = signing.current(unit_obj, period)
    fact_url = reverse("web:report_fact", args=[unit, "x"])[:-2]
    changed, preview, error, on = [], "", "", period.end
    try:
        # a signed period shows the report as signed, and the figures that the records now give otherwise
        on = _report_date(request, period, signed)
        # the figures link to their own pages, which list their records: the preview does not list them
        doc = build_report(unit_obj, period, on=on, trace=False)
        if signed is not None:
            changed = signing.differences(signed, doc, signed_figures(signed))
            doc = signing.document(signed)
        # a figure's link names its period (and date), not the session's: another tab may have changed that
        asked = _asked_date(period, signed, on)
        query = {"period": period.code, **({"date": asked.isoformat()} if asked else {})}
        preview = _preview_html(doc, fact_url, "?" + urlencode(query))
    except FengqingError as exc:
        error = exc.message
    texts = narratives_for(unit_obj, period)
    own = set(Narrative.objects.filter(unit=unit_obj, period=period.code).values_list("section", flat=True))
    sections = [{"s": s, "text": "\n".join(texts.get(s.key, [])), "own": s.key in own} for s in SECTIONS]
    return render(request, "web/report.html", {
        "unit": unit_obj, "section": "report", "period": period, "period_codes": period_choices(period),
        "preview": preview, "error": error, "sections": sections, "signoff": signed, "on": on,
        "today": timezone.localdate(), "submitted": submission_api.current(unit_obj, period) if signed else None,
        "versions": signing.versions(unit_obj, period), "changed": changed[:signing.SHOWN_DIFFERENCES],
        "changed_more": max(0, len(changed) - signing.SHOWN_DIFFERENCES),
        "may_sign": scope.may_sign_off(unit), "may_edit": scope.may_edit_narrative(unit) and signed is None,
        "formats": [("docx", "Word"), ("pdf", "PDF"), ("md", "Markdown")],
    })


def _back_to_report(unit: int, period, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:report", args=[unit]) + f"?period={period.code}{anchor}")


@require_POST
def signoff(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_sign_off(unit))
    period = current_period(request, [unit])
    try:
        on = cutoff_date(period, request.POST.get("date", ""))
        signed = signing.sign(unit_obj, period, request.user, request.user.username, VIA_WEB, on=on)
    except FengqingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已签发{period.label}报告（第{signed.version}版，成文日期{cn_date(signed.date)}）")
    return _back_to_report(unit, period)


@require_POST
def signoff_withdraw(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    allow(scope_of(request).may_sign_off(unit))
    period = current_period(request, [unit])
    try:
        signed = signing.withdraw(unit_obj, period, request.user, request.user.username, VIA_WEB)
    except FengqingError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, f"已撤回{period.label}报告第{signed.version}版的签发（该版本仍保留），现在可以修改报告文字")
    return _back_to_report(unit, period)


@require_POST
def narrative(request: HttpRequest, unit: int) -> HttpResponse:
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


def download(request: HttpRequest, unit: int, fmt: str) -> HttpResponse:
    unit_obj = unit_for(request, unit)
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    period = current_period(request, [unit])
    redact = request.GET.get("redact") == "1"
    number = request.GET.get("version", "")
    try:
        # a signed period downloads as signed: the version asked for, else the one in force
        signed = signing.version(unit_obj, period, int(number)) if number.isdigit() else signing.current(unit_obj, period)
    except FengqingError as exc:
        raise Http404(exc.message) from None
    if signed is not None:
        data = signing.files(signed, [fmt], redact=redact)[fmt]
    else:
        try:
            on = cutoff_date(period, request.GET.get("date", ""))
        except FengqingError as exc:
            raise Http404(exc.message) from None
        data = render_all(build_report(unit_obj, period, redact=redact, on=on), [fmt])[fmt]
    activity(request, AuditEntry.DOWNLOAD, "研判报告", period.code, unit_obj, 期间=period.code, 格式=fmt, 脱敏=redact,
             含敏感内容=not redact, **({"签发版本": signed.version} if signed is not None else {}))
    return attachment(HttpResponse(data, content_type=CONTENT_TYPES[fmt]), file_name(unit_obj, period, fmt, redact))


#: above this many records a figure's ids are matched against the unit's ids in Python: an IN list of tens of
#: thousands of parameters costs more to build and parse than reading the unit's ids in page order
IN_LIST_MAX = 1000


def _visible_ids(records, kind, pks: list[int]) -> list[int]:
    """The ids of ``pks`` that ``records`` (the user's scope) holds, in the register's order."""
    ordered = records.order_by(*kind.ordering())
    if len(pks) <= IN_LIST_MAX:
        return list(ordered.filter(pk__in=pks).values_list("pk", flat=True))
    wanted = set(pks)
    return [pk for pk in ordered.values_list("pk", flat=True) if pk in wanted]


def _visible_by_kind(scope, unit: int, records: list[str]) -> list[tuple[Kind, list[int], int]]:
    """Per register: the ids of ``records`` ("model:pk") that the scope may see, in the register's order, and how
    many it may not."""
    ids = defaultdict(list)
    for ref in records:
        model, _, pk = ref.partition(":")
        ids[model].append(int(pk))
    found = []
    for slug, pks in ids.items():
        kind = KINDS_BY_SLUG.get(slug)
        if kind is not None:
            visible = _visible_ids(scope.records(kind.model, unit), kind, pks)
            found.append((kind, visible, len(pks) - len(visible)))
    return found


def fact(request: HttpRequest, unit: int, fact_id: str) -> HttpResponse:
    """The records a figure of the report counts, as the user's scope lets them be seen."""
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    period = current_period(request, [unit])
    signed = signing.current(unit_obj, period)
    try:
        on = _report_date(request, period, signed)  # the preview's, so that the figure reads as it does there
    except FengqingError as exc:
        raise Http404(exc.message) from None
    found = report_fact(unit_obj, period, fact_id, on)
    if found is None:
        raise Http404(fact_id)
    # the figure is counted from the records as they are now; a signed report may have stated it otherwise
    changed = signing.difference(fact_id, signed_figures(signed).get(fact_id), found) if signed else None
    as_signed = changed.signed if changed else None
    # the ids in the register's order are kept between two changes of the data: a page costs the rows it shows
    by_kind = FACT_IDS.once((data_state(), unit, period.code, on, fact_id, scope.sees_sensitive),
                            lambda: _visible_by_kind(scope, unit, found["records"]))
    tables = []
    for kind, visible, hidden in by_kind:
        records = scope.records(kind.model, unit)
        page, size = page_of(request, visible)
        objs = records.filter(pk__in=list(page)).select_related(*kind.related).in_bulk()
        # a record deleted since the ids were read is left out, not an error
        rows = [(objs[pk], [cell_text(objs[pk], c) for c in kind.columns]) for pk in page if pk in objs]
        tables.append({"kind": kind, "rows": rows, "page": page, "numbers": page_numbers(page), "size": size,
                       "hidden": hidden})
    return render(request, "web/report_fact.html", {
        "unit": unit_obj, "section": "report", "period": period, "fact": found, "tables": tables,
        "sizes": PAGE_SIZES, "asked_date": _asked_date(period, signed, on),
        "as_signed": as_signed})
