"""报告审读: the reader's findings over the reports of the units in the user's scope (supervisor and discipline
group), copied texts side by side with the copied spans marked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...analysis.findings import KINDS
from .. import shared
from .base import allow, current_period, period_choices, scope_of

SHOWN = 200  # findings of one kind listed on the page; the command line and its JSON give them all


def segments(text: str, spans) -> list[tuple[str, bool]]:
    """The text cut at the spans' edges: (piece, marked)."""
    out, pos = [], 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if a > pos:
            out.append((text[pos:a], False))
        if b > a:
            out.append((text[a:b], True))
        pos = max(pos, b)
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def reading(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    allow(scope.sees_reading)
    unit_ids = sorted(scope.unit_ids)
    period = current_period(request, unit_ids)
    # the reader compares every text with every other: read once per change of the data, not once per visit
    result = shared.reading(period, frozenset(unit_ids))
    groups = []
    for kind, found in result.by_kind().items():
        items = [{"f": f, "sources": [{"s": s, "segments": segments(s.text, s.spans)} for s in f.sources]}
                 for f in found[:SHOWN]]
        groups.append({"kind": kind, "name": KINDS[kind], "count": len(found), "items": items})
    return render(request, "web/reading.html", {
        "section": "reading", "period": period, "period_codes": period_choices(period), "groups": groups,
        "shares": sorted(result.shares, key=lambda s: -s.share), "counts": result.counts, "shown": SHOWN,
    })
