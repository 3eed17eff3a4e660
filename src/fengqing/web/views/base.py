"""What every page needs: the user's scope, the unit of the URL (checked against the scope), the period
being looked at, and writing changes to the audit log."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone

from ...accounts import audit
from ...accounts.scope import Scope
from ...errors import PeriodError
from ...ledger import models as L
from ...org.models import Unit
from ...periods import Period, half_year_of, parse_period

VIA_WEB = "网页"
#: the longest search text: longer text is cut (a pattern of tens of thousands of characters is more than
#: SQLite's LIKE accepts, and no record is found by a paragraph anyway)
SEARCH_MAX = 50


def scope_of(request) -> Scope:
    if not hasattr(request, "_fengqing_scope"):
        request._fengqing_scope = Scope.of(request.user)
    return request._fengqing_scope


def allow(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("您的角色无权进行此操作")


def unit_for(request, unit_id: int) -> Unit:
    """The unit of the URL, when the user's scope covers it."""
    allow(scope_of(request).has_unit(unit_id))
    return Unit.objects.get(pk=unit_id)


def default_period(unit_ids) -> Period:
    """The half-year of the latest study, meeting or education record up to today (a record dated ahead never
    moves everyone's default into the future), else the current half-year."""
    today = timezone.localdate()
    latest = [m.objects.filter(unit_id__in=unit_ids, date__lte=today).aggregate(d=Max("date"))["d"]
              for m in (L.Study, L.Meeting, L.Education)]
    latest = [d for d in latest if d]
    return half_year_of(max(latest) if latest else today)


def current_period(request, unit_ids) -> Period:
    """The period asked for in ?period=, remembered for the session; one not yet begun is not (there is nothing
    to show of 2099年上半年 but a 较差 made of empty registers), and the page says so."""
    code = request.GET.get("period") or request.session.get("period")
    if code:
        try:
            period = parse_period(code)
        except PeriodError:
            pass
        else:
            if period.start <= timezone.localdate():
                request.session["period"] = period.code
                return period
            request.session.pop("period", None)
            shown = default_period(unit_ids)
            messages.warning(request, f"{period.label}尚未开始，显示的是{shown.label}")
            return shown
    return default_period(unit_ids)


def period_choices(selected: Period) -> list[Period]:
    """The periods a period menu offers, newest first (the pages show their names: 2023年上半年)."""
    today = timezone.localdate()
    year = max(today.year, selected.year)
    offered = [parse_period(f"{y}{p}") for y in range(year, year - 5, -1) for p in ("H2", "H1", "")]
    periods = [p for p in offered if p.start <= today]  # one not yet begun is not shown (current_period)
    return periods if selected in periods else [selected, *periods]


def search_text(request) -> str:
    """The ?q= search text, cut to SEARCH_MAX characters with a message saying so."""
    text = request.GET.get("q", "").strip()
    if len(text) > SEARCH_MAX:
        messages.warning(request, f"查找内容过长（{len(text)} 个字），只按前 {SEARCH_MAX} 个字查找")
        text = text[:SEARCH_MAX]
    return text


def log(request, unit: Unit, changes: list[audit.Change]) -> None:
    audit.record(request.user.username, VIA_WEB, changes, unit_names={unit.id: unit.name})


def activity(request, action: str, model: str, object_id="", unit: Unit | None = None,
             outcome: str = audit.AuditEntry.SUCCESS, **detail) -> None:
    """Log an import, export, download or report (DESIGN §7: which unit, period, format, sensitive or not)."""
    audit.event(request.user.username, VIA_WEB, action, model, object_id, unit=unit, outcome=outcome,
                detail=detail or None)


def next_url(request, default: str) -> str:
    """The ?next= / posted next address when it stays on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(filename: str, write) -> HttpResponse:
    """A workbook written by ``write(target)`` into memory, as a download."""
    buffer = BytesIO()
    write(buffer)
    return attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), filename)


def attachment(response: HttpResponse, name: str) -> HttpResponse:
    """The response as a download named ``name`` (Chinese names percent-encoded, RFC 6266)."""
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
