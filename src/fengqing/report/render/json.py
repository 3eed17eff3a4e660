"""The JSON rendering (DESIGN §8): the stable contract other tools read."""

from __future__ import annotations

import json

from ..document import Appendix, Document, Figure, Heading, Paragraph, Table
from ..runs import Run, plain


def as_dict(doc: Document) -> dict:
    return {"unit": doc.unit, "period": doc.period, "title": doc.title_text, "basic": doc.basic,
            "facts": doc.facts, "sections": [_block(b) for b in doc.blocks], "assessment": doc.assessment}


def render(doc: Document) -> bytes:
    return json.dumps(as_dict(doc), ensure_ascii=False, indent=1).encode("utf-8")


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
        return {"type": "paragraph", "text": plain(b.runs), "runs": _runs(b.runs)}
    if isinstance(b, Table):
        return {"type": "table", "header": b.header, "rows": [[plain(c) for c in row] for row in b.rows]}
    if isinstance(b, Figure):
        return {"type": "figure", "chart": b.chart, "caption": plain(b.caption),
                "points": [{"period": p.period, "label": p.label, "value": p.value} for p in b.points]}
    if isinstance(b, Appendix):
        return {"type": "appendix", "label": b.label, "title": plain(b.title),
                "children": [_block(c) for c in b.children]}
    raise TypeError(f"unknown block {b!r}")
