"""签发: the leadership signs a report, which freezes it (DESIGN §6).

Signing stores the whole report as it reads at that moment (its JSON rendering and its .docx, each with its
SHA-256, the signer, the time and the 成文日期) as a new :class:`~.models.SignedReport` version. Downloads of a
signed period return that snapshot, not a report rebuilt from records changed since; :func:`differences` lists
the figures that now read otherwise. Withdrawing keeps the version (marked withdrawn); signing again adds the
next one. Submission (报送) and any other later use take :func:`current` — the version in force.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..accounts.audit import Change, record
from ..accounts.models import AuditEntry
from ..errors import ReportError
from ..org.models import Unit
from ..periods import Period
from .api import build_report, render_all
from .builder import split_title
from .document import Document
from .models import SignedReport
from .redact import redact as redact_document
from .render import docx, pdf
from .render import json as json_render

#: how many differing figures the report page lists (the rest are counted)
SHOWN_DIFFERENCES = 50


def current(unit: Unit, period: Period) -> SignedReport | None:
    """The signed version in force for the unit and period, or None when the report is not signed. Its document
    and Word file (decrypted, hundreds of kB with every record listed) are read when first used: most pages only
    say that the period is signed."""
    return (SignedReport.objects.select_related("signed_by").defer("document", "docx")
            .filter(unit=unit, period=period.code, withdrawn_at__isnull=True).first())


def versions(unit: Unit, period: Period) -> list[SignedReport]:
    """Every version ever signed for the unit and period, newest first (withdrawn ones included)."""
    return list(SignedReport.objects.select_related("signed_by", "withdrawn_by")
                .filter(unit=unit, period=period.code).order_by("-version")
                .defer("document", "docx"))


def version(unit: Unit, period: Period, number: int) -> SignedReport:
    found = SignedReport.objects.filter(unit=unit, period=period.code, version=number).first()
    if found is None:
        raise ReportError(f"{unit.name}{period.label}报告没有第{number}版签发记录")
    return found


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _audit(signed: SignedReport) -> dict:
    """What the audit log keeps of a version: not the document itself, but its fingerprints."""
    return {"period": signed.period, "version": signed.version, "date": signed.date.isoformat(),
            "document_sha256": signed.document_sha256, "docx_sha256": signed.docx_sha256,
            "signed_by": signed.signed_by_id, "withdrawn_by": signed.withdrawn_by_id,
            "withdrawn_at": signed.withdrawn_at.isoformat() if signed.withdrawn_at else None}


def sign(unit: Unit, period: Period, user, actor: str, via: str, on: date | None = None) -> SignedReport:
    """Freeze the report of ``period`` as of its 成文日期 ``on`` (default: the period's end) as the next
    version; refused while a version is in force, and for a 成文日期 still to come (a report signed today cannot
    be dated at the end of a period not yet over). ``actor``/``via`` name who did it in the audit log."""
    dated, today = on or period.end, timezone.localdate()
    if dated > today:
        wait = f"；{period.label}到期末当天起才能签发" if period.end > today else ""
        raise ReportError(f"成文日期{dated.year}年{dated.month}月{dated.day}日尚未到来，不能签发：报告按成文日期陈述"
                          f"情况，请在成文日期当天或之后签发{wait}")
    doc = build_report(unit, period, on=on)
    data = json_render.render(doc)
    word = docx.render(doc)
    try:
        with transaction.atomic():
            if current(unit, period) is not None:
                raise ReportError(f"{period.label}报告已签发；如需重新签发，请先撤回签发")
            number = (SignedReport.objects.filter(unit=unit, period=period.code)
                      .aggregate(n=Max("version"))["n"] or 0) + 1
            signed = SignedReport.objects.create(
                unit=unit, period=period.code, version=number, date=doc.date, document=data.decode("utf-8"),
                docx=word, document_sha256=sha256(data), docx_sha256=sha256(word), signed_by=user)
            record(actor, via, [Change(AuditEntry.CREATE, signed, None, _audit(signed), unit.pk)],
                   {unit.pk: unit.name})
    except IntegrityError:  # someone else signed the same period at the same moment
        raise ReportError(f"{period.label}报告已签发；如需重新签发，请先撤回签发") from None
    return signed


def withdraw(unit: Unit, period: Period, user, actor: str, via: str) -> SignedReport:
    """Withdraw the version in force; it stays stored and listed."""
    with transaction.atomic():
        signed = (SignedReport.objects.select_for_update()
                  .filter(unit=unit, period=period.code, withdrawn_at__isnull=True).first())
        if signed is None:
            raise ReportError(f"{period.label}报告尚未签发")
        before = _audit(signed)
        signed.withdrawn_by, signed.withdrawn_at = user, timezone.now()
        signed.save(update_fields=["withdrawn_by", "withdrawn_at"])
        record(actor, via, [Change(AuditEntry.UPDATE, signed, before, _audit(signed), unit.pk)],
               {unit.pk: unit.name})
    return signed


def stored_bytes(signed: SignedReport) -> bytes:
    """The JSON rendering exactly as signed (its SHA-256 is the stored one)."""
    return signed.document.encode("utf-8")


def document(signed: SignedReport) -> Document:
    """The signed report as a document model, for the renderings other than the stored .docx and JSON."""
    data = signed.data
    return json_render.load(data, split_title(data["title"]))


def files(signed: SignedReport, formats: list[str], redact: bool = False) -> dict[str, bytes]:
    """The signed report in each format: the stored .docx and JSON as they are (their PDF converted from the
    stored .docx); Markdown, HTML and every redacted rendering from the stored document."""
    if redact:
        return render_all(redact_document(document(signed), signed.unit), formats)
    out = {}
    word = bytes(signed.docx)
    for fmt in formats:
        if fmt == "docx":
            out[fmt] = word
        elif fmt == "json":
            out[fmt] = stored_bytes(signed)
        elif fmt == "pdf":
            out[fmt] = pdf.render(document(signed), docx_bytes=word)
        else:
            out[fmt] = render_all(document(signed), [fmt])[fmt]
    return out


def signed_figures(signed: SignedReport) -> dict[str, dict]:
    """Each figure as the signed version states it, by fact id: its text and value (not its records)."""
    return {f["id"]: {"text": f["text"], "value": f["value"]} for f in signed.data["facts"]}


@dataclass(frozen=True)
class Difference:
    fact: str  # the fact's id
    signed: str  # its text as signed ("" when the signed report did not state it)
    now: str  # its text now ("" when the report no longer states it)


def difference(fact: str, then: dict | None, now: dict | None) -> Difference | None:
    """How a figure as signed (``then``) and as computed now (``now``), each a fact's text and value or None where
    that version has none, read otherwise; None when they read alike. A fact only one version computed (a later
    version of fengqing counts more) is a difference only when it is not zero: a zero is never stated."""
    if (then is None or now is None) and (then or now or {}).get("value") in (0, None):
        return None
    texts = (then["text"] if then else "", now["text"] if now else "")
    return Difference(fact, *texts) if texts[0] != texts[1] else None


def differences(signed: SignedReport, now: Document, figures: dict[str, dict] | None = None) -> list[Difference]:
    """The figures of the report built now from the records (for the same 成文日期) that read otherwise than
    in the signed version (:func:`difference`), in the order the report states them; two facts that read alike
    (the indicator's and the register's count of overdue measures) are listed once. ``figures``: the signed
    version's :func:`signed_figures`, when already read."""
    before = figures if figures is not None else signed_figures(signed)
    after = {f["id"]: f for f in now.facts}
    found: dict[tuple[str, str], Difference] = {}
    for k in list(after) + [k for k in before if k not in after]:
        d = difference(k, before.get(k), after.get(k))
        if d is not None:
            found.setdefault((d.signed, d.now), d)
    return list(found.values())
