"""廉政档案 and 党风廉政意见: the people's files, the petition links, the register of requests, a request's
draft reply with its confirmation, and the rules. Everything here shows sensitive records in detail, so every
view asks ``Scope.may_see_dossier``; the discipline group's decisions ask ``Scope.may_reply_opinion``."""

from __future__ import annotations


from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ... import choices as C
from ...accounts import audit
from ...accounts.models import AuditEntry
from ...accounts.scope import Scope
from ...dossier import links as L
from ...dossier.api import FILE_KIND, open_file, write_letter
from ...dossier.letter import confirm, find_request
from ...dossier.models import OpinionRules
from ...dossier.register import PENDING, REPLIED, days_taken, register
from ...dossier.rules import RULES, merge, parse_influence, settings_for
from ...errors import FengqingError
from ...ledger.models import Petition
from ...org.models import Person, Unit
from ...report.render import html
from .base import VIA_WEB, allow, attachment, next_url, scope_of, unit_for
from .report import CONTENT_TYPES

PAGE_SIZE = 50
DOWNLOADS = (("docx", "Word"), ("pdf", "PDF"), ("json", "JSON"))
CONTENT_TYPES = {**CONTENT_TYPES, "json": "application/json; charset=utf-8"}


def _unit(request: HttpRequest, unit: int, reply: bool = False) -> tuple[Unit, Scope]:
    unit_obj = unit_for(request, unit)
    scope = scope_of(request)
    allow(scope.may_reply_opinion(unit) if reply else scope.may_see_dossier(unit))
    return unit_obj, scope


def _download(out: dict[str, bytes], fmt: str, title: str) -> HttpResponse:
    return attachment(HttpResponse(out[fmt], content_type=CONTENT_TYPES[fmt]), f"{title}.{fmt}")


def people(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj, _ = _unit(request, unit)
    q = request.GET.get("q", "").strip()
    qs = Person.objects.filter(unit=unit_obj).select_related("department").order_by("staff_no")
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(staff_no=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/dossier_people.html", {"unit": unit_obj, "section": "dossier", "page": page,
                                                       "q": q})


def person_file(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_obj, _ = _unit(request, unit)
    person = get_object_or_404(Person, unit=unit_obj, pk=pk)
    f, doc, _ = open_file(person, [], request.user.username, VIA_WEB)
    return render(request, "web/dossier_file.html", {
        "unit": unit_obj, "section": "dossier", "person": person, "preview": html.body(doc),
        "shared": f.shared, "formats": DOWNLOADS})


def person_file_download(request: HttpRequest, unit: int, pk: int, fmt: str) -> HttpResponse:
    unit_obj, _ = _unit(request, unit)
    person = get_object_or_404(Person, unit=unit_obj, pk=pk)
    if fmt not in dict(DOWNLOADS):
        raise Http404
    _, _, out = open_file(person, [fmt], request.user.username, VIA_WEB)
    return _download(out, fmt, f"{person.name}（{person.staff_no}）{FILE_KIND}")


def petition_links(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj, scope = _unit(request, unit)
    resolved = L.resolve(unit_obj).by_petition
    only_open = request.GET.get("show") != "all"
    if only_open:
        ids = [pid for pid, cs in resolved.items() if any(c.state == L.SHARED for c in cs)]
        qs = Petition.objects.filter(pk__in=ids)
    else:
        qs = Petition.objects.filter(unit=unit_obj)
    page = Paginator(qs.order_by("-received", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/dossier_links.html", {
        "unit": unit_obj, "section": "dossier", "page": page, "only_open": only_open,
        "rows": [(p, resolved.get(p.pk, [])) for p in page], "may_decide": scope.may_reply_opinion(unit),
        "people": Person.objects.filter(unit=unit_obj).order_by("name", "staff_no").only("id", "name", "staff_no")})


@require_POST
def petition_link(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj, _ = _unit(request, unit, reply=True)
    petition = Petition.objects.filter(unit=unit_obj, pk=_int(request.POST.get("petition"))).first()
    person = Person.objects.filter(unit=unit_obj, pk=_int(request.POST.get("person"))).first()
    if petition is None or person is None:
        messages.error(request, "请选择本单位的信访举报和人员")
    else:
        linked = request.POST.get("linked") == "1"
        L.decide(petition, person, linked, request.user.username, VIA_WEB)
        messages.success(request, f"已{'确认' if linked else '否定'}：{petition.number or '信访举报'}反映{person.name}")
    return redirect(next_url(request, reverse("web:petition_links", args=[unit])))


def _int(value) -> int:
    return int(value) if str(value or "").isdigit() else 0


def opinions(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj, _ = _unit(request, unit)
    state = request.GET.get("state", "")
    page = Paginator(register(unit_obj, state), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, days_taken(r)) for r in page]
    return render(request, "web/opinions.html", {
        "unit": unit_obj, "section": "dossier", "page": page, "rows": rows, "state": state,
        "states": (PENDING, REPLIED)})


def opinion(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_obj, scope = _unit(request, unit)
    find_request(unit_obj, pk)
    # the letter's figures link to its list of records (数据来源), shown under it
    batch, doc, _ = write_letter(unit_obj, pk, [], request.user.username, VIA_WEB, action="查阅")
    return render(request, "web/opinion.html", {
        "unit": unit_obj, "section": "dossier", "batch": batch,
        "preview": html.body(doc, html.anchor) + html.trace(doc),
        "may_reply": scope.may_reply_opinion(unit), "conclusions": C.OPINION_CONCLUSION, "formats": DOWNLOADS,
        "items": [(o, [r.text for r in RULES if r.code in o.checks.triggered]) for o in batch.opinions]})


@require_POST
def opinion_confirm(request: HttpRequest, unit: int, pk: int) -> HttpResponse:
    unit_obj, _ = _unit(request, unit, reply=True)
    target = request.POST.get("request") or pk
    try:
        reply = confirm(unit_obj, target, request.POST.get("conclusion", ""), request.POST.get("reason", ""),
                        request.user.username, VIA_WEB)
        messages.success(request, f"已确认{reply.request.subject.name}的结论：{reply.conclusion}")
    except FengqingError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("web:opinion", args=[unit, pk]))


def opinion_download(request: HttpRequest, unit: int, pk: int, fmt: str) -> HttpResponse:
    unit_obj, _ = _unit(request, unit)
    if fmt not in dict(DOWNLOADS):
        raise Http404
    find_request(unit_obj, pk)
    batch, _, out = write_letter(unit_obj, pk, [fmt], request.user.username, VIA_WEB)
    return _download(out, fmt, batch.title)


def opinion_rules(request: HttpRequest, unit: int) -> HttpResponse:
    unit_obj, scope = _unit(request, unit)
    settings = settings_for(unit_obj)
    may_change = scope.may_reply_opinion(unit)
    error = ""
    if request.method == "POST":
        allow(may_change)
        try:
            years = request.POST.get("window_years", "")
            if not years.strip().isdigit():
                raise FengqingError(f"查阅年限应为整数，而不是“{years}”")
            conclusions = {r.code: request.POST.get(f"rule_{r.code}", r.default) for r in RULES}
            influence = parse_influence(request.POST.get("influence", ""))
            checked = merge(int(years), conclusions, influence)
            stored = OpinionRules.objects.filter(unit=unit_obj).first() or OpinionRules(unit=unit_obj)
            _save_rules(request, unit_obj, stored, checked)
            messages.success(request, "规则已保存")
            return redirect(reverse("web:opinion_rules", args=[unit]))
        except FengqingError as exc:
            error = exc.message
    influence_text = "\n".join(f"{k}={'长期' if v is None else v}" for k, v in settings.influence.items())
    return render(request, "web/opinion_rules.html", {
        "unit": unit_obj, "section": "dossier", "settings": settings, "may_change": may_change, "error": error,
        "rules": [(r, settings.conclusions[r.code]) for r in RULES], "conclusions": C.OPINION_CONCLUSION,
        "influence_text": request.POST.get("influence", influence_text) if error else influence_text})


def _save_rules(request, unit_obj, stored: OpinionRules, checked) -> None:
    before = audit.snapshot(stored) if stored.pk else None
    stored.window_years, stored.conclusions, stored.influence = (checked.window_years, checked.conclusions,
                                                                 checked.influence)
    stored.changed_by = request.user.username
    with transaction.atomic():
        stored.save()
        audit.record(request.user.username, VIA_WEB, [audit.Change(
            AuditEntry.UPDATE if before else AuditEntry.CREATE, stored, before, audit.snapshot(stored))],
            {unit_obj.pk: unit_obj.name})
