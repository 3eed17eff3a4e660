"""The JSON rendering (DESIGN §8): the stable contract other tools read."""

from __future__ import annotations

import json
from datetime import date

from ..document import Appendix, Closing, Document, Figure, Heading, Paragraph, Point, Table, Title
from ..runs import Run, plain


def as_dict(doc: Document) -> dict:
    return {"unit": doc.unit, "period": doc.period, "title": doc.title_text,
            "date": _date(doc), "basic": doc.basic,
            "facts": doc.facts, "sections": [_block(b) for b in doc.blocks], "assessment": doc.assessment}


def render(doc: Document) -> bytes:
    # one line: indenting would take Python's pure-Python encoder, 4× slower on the records of every figure
    return json.dumps(as_dict(doc), ensure_ascii=False).encode("utf-8")


def _date(doc: Document) -> str | None:
    """The 成文日期; a redacted report keeps its year only (DESIGN §6)."""
    if doc.date is None:
        return None
    return f"{doc.date.year}年" if doc.redacted else doc.date.isoformat()


def _runs(runs: list[Run]) -> list[dict]:
    out = []
    for r in runs:
        d = {"text": r.text}
        if r.kind != "text":
            d["kind"] = r.kind
        if r.fact:
            d["fact"] = r.fact
        out.append(d)
    return out


def _block(b) -> dict:
    if isinstance(b, Heading):
        return {"type": "heading", "level": b.level, "text": plain(b.runs), "runs": _runs(b.runs),
                "inline": _runs(b.inline), "children": [_block(c) for c in b.children]}
    if isinstance(b, Paragraph):
        out = {"type": "paragraph", "text": plain(b.runs), "runs": _runs(b.runs)}
        return out if b.indent else {**out, "indent": False}
    if isinstance(b, Closing):
        out = {"type": "closing", "signer": b.signer, "date": b.date}
        return {**out, "attachment": b.attachment} if b.attachment else out
    if isinstance(b, Table):
        return {"type": "table", "header": b.header, "rows": [[plain(c) for c in row] for row in b.rows]}
    if isinstance(b, Figure):
        return {"type": "figure", "chart": b.chart, "caption": plain(b.caption), "note": b.note(),
                "points": [{"period": p.period, "label": p.label, "value": p.value, "grade": p.grade, "cap": p.cap}
                           for p in b.points],
                "grades": [{"min": low, "name": name} for low, name in b.grades]}
    if isinstance(b, Appendix):
        return {"type": "appendix", "label": b.label, "title": plain(b.title),
                "children": [_block(c) for c in b.children]}
    raise TypeError(f"unknown block {b!r}")


def load(data: dict, title: list[Run] | None = None) -> Document:
    """The document back from its JSON rendering (a signed snapshot is stored as JSON): every block, run kind
    and fact link the rendering keeps. ``title``: the title's runs (the JSON holds its text only, without the
    chosen line break)."""
    return Document(unit=data["unit"], period=data["period"], title=Title(title or [Run(data["title"])]),
                    blocks=[_load_block(b) for b in data["sections"]], facts=data["facts"], basic=data["basic"],
                    assessment=data.get("assessment"),
                    date=date.fromisoformat(data["date"]) if data.get("date") else None)  # not of a redacted one


def _load_runs(runs: list[dict]) -> list[Run]:
    return [Run(r["text"], r.get("kind", "text"), r.get("fact")) for r in runs]


def _load_block(b: dict):
    kind = b["type"]
    if kind == "heading":
        return Heading(b["level"], _load_runs(b["runs"]), _load_runs(b["inline"]),
                       [_load_block(c) for c in b["children"]])
    if kind == "paragraph":
        return Paragraph(_load_runs(b["runs"]), b.get("indent", True))
    if kind == "closing":
        return Closing(b["signer"], b["date"], b.get("attachment", ""))
    if kind == "table":
        return Table(b["header"], [[[Run(cell)] for cell in row] for row in b["rows"]])
    if kind == "figure":
        # versions signed before grades and caps were kept lack them: drawn as then, each total in its own band
        return Figure([Run(b["caption"])], [Point(p["period"], p["label"], p["value"], p.get("grade"),
                                                  p.get("cap", "")) for p in b["points"]],
                      [(g["min"], g["name"]) for g in b.get("grades", [])])
    if kind == "appendix":
        return Appendix([Run(b["title"])], [_load_block(c) for c in b["children"]], b["label"])
    raise ValueError(f"unknown block type {kind!r}")
