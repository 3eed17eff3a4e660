"""The 廉政档案 and the 党风廉政意见回复 as a library: build, render in the report's formats, log the access.
``fengqing dossier``, ``fengqing opinion`` and the web pages are thin shells over these functions."""

from __future__ import annotations

import json
from datetime import date

from ..accounts import audit
from ..errors import DossierError
from ..org.models import Person, Unit
from ..report.document import Document
from ..report.render import docx, html, markdown, pdf
from ..report.render.json import as_dict
from .file import PersonFile, build_file, file_document, file_json
from .letter import Batch, draft, letter_document

FORMATS = ("docx", "pdf", "json", "html", "md")
FILE_KIND, LETTER_KIND = "廉政档案", "党风廉政意见回复"
ON_PAGE = "网页"  # what the audit log names when no file is written: the document was shown on a page


def parse_formats(text: str) -> list[str]:
    chosen = list(dict.fromkeys(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()))
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise DossierError(f"不支持的格式“{'、'.join(bad) or text}”：可选 {', '.join(FORMATS)}")
    return chosen


def render(doc: Document, extra: dict, formats: list[str]) -> dict[str, bytes]:
    """Each format's bytes; the JSON is the document's (title, sections, facts) with ``extra`` beside it."""
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "json":
            data = {k: v for k, v in as_dict(doc).items() if k in ("unit", "title", "facts", "sections")}
            out[fmt] = json.dumps({**extra, **data}, ensure_ascii=False, indent=1).encode("utf-8")
        elif fmt == "pdf":
            out[fmt] = pdf.render(doc, docx_bytes=out.get("docx"))
        else:
            out[fmt] = {"docx": docx.render, "html": html.render, "md": markdown.render}[fmt](doc)
    return out


def open_file(person: Person, formats: list[str], actor: str,
              via: str) -> tuple[PersonFile, Document, dict[str, bytes]]:
    """The person's file, its document and its renderings; the opening is written to the audit log."""
    f = build_file(person)
    doc = file_document(f)
    out = render(doc, {"kind": FILE_KIND, **file_json(f)}, formats)
    audit.event(actor, via, "查阅", FILE_KIND, person.pk, person.unit,
                {"person": person.name, "staff_no": person.staff_no, "formats": formats or [ON_PAGE]})
    return f, doc, out


def write_letter(unit: Unit, request_id, formats: list[str], actor: str, via: str,
                 letter_date: date | None = None,
                 action: str = "生成") -> tuple[Batch, Document, dict[str, bytes]]:
    """The batch's letter, its document and its renderings; writing it is logged (``action`` 查阅 when it is
    only shown on a page)."""
    batch = draft(unit, request_id)
    letter_date = letter_date or date.today()
    doc, persons = letter_document(batch, letter_date)
    extra = {"kind": LETTER_KIND, "date": letter_date.isoformat(), "request_date": batch.date.isoformat(),
             "matter": batch.matter, "requests": batch.request_ids,
             "window": {"years": batch.settings.window_years, "start": batch.opinions[0].checks.start.isoformat(),
                        "end": batch.date.isoformat()}, "persons": persons}
    out = render(doc, extra, formats)
    audit.event(actor, via, action, LETTER_KIND, ",".join(map(str, batch.request_ids)), unit,
                {"title": batch.title, "formats": formats or [ON_PAGE]})
    return batch, doc, out


def file_name(title: str, fmt: str) -> str:
    return f"{title}.{fmt}"
