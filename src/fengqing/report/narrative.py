"""Reading and writing the leadership's texts (the web editor and ``fengqing narrative`` both use these)."""

from __future__ import annotations

from ..errors import ReportError
from ..org.models import Unit
from ..periods import Period, parse_period
from .models import Narrative, SignedReport
from .sections import BY_KEY, find_section


def set_narrative(unit: Unit, period: Period, section: str, text: str) -> Narrative | None:
    """Store one section's text; empty text removes it (the default or an earlier period's text then applies).
    A signed-off report's texts are frozen until the sign-off is withdrawn."""
    if SignedReport.objects.filter(unit=unit, period=period.code, withdrawn_at__isnull=True).exists():
        raise ReportError(f"{period.label}报告已签发，不能修改报告文字；如需修改，请先撤回签发")
    sec = find_section(section)
    text = text.strip()
    if sec.single_line:
        text = " ".join(text.split())
    if not text:
        Narrative.objects.filter(unit=unit, period=period.code, section=sec.key).delete()
        return None
    obj, _ = Narrative.objects.update_or_create(unit=unit, period=period.code, section=sec.key,
                                                defaults={"text": text})
    return obj


def narratives_for(unit: Unit, period: Period) -> dict[str, list[str]]:
    """Section key → paragraphs in force for the period: its own text, else (for boilerplate) the latest
    earlier period's."""
    found: dict[str, tuple[Period, list[str]]] = {}
    for n in Narrative.objects.filter(unit=unit).only("period", "section", "text"):
        p = parse_period(n.period)
        own = p == period
        if not own and (p.end >= period.end or not BY_KEY[n.section].carries_over):
            continue
        best = found.get(n.section)
        if best is None or best[0] != period and (own or p.end > best[0].end):
            found[n.section] = (p, n.paragraphs())
    return {key: paras for key, (_, paras) in found.items()}
