"""The Markdown rendering: the same content as plain text with headings and pipe tables.

A figure becomes its caption and a table of its values: Markdown is read as text, where an embedded image
(tens of kilobytes of base64) would be unreadable, and many viewers refuse data: images anyway."""

from __future__ import annotations

from ..document import CAPPED, Appendix, Closing, Document, Figure, Heading, Paragraph, Table
from ...numbers import fixed
from ..runs import plain


def render(doc: Document) -> bytes:
    lines = [f"# {_escape(doc.title_text)}", ""]
    for b in doc.blocks:
        _block(b, lines)
    return "\n".join(lines).rstrip("\n").encode("utf-8") + b"\n"


#: CommonMark's backslash escapes for what users type that a viewer would otherwise read as markup: raw HTML
#: (which a viewer renders, or runs), entities, emphasis, code spans and table cells
_MARKUP = str.maketrans({c: "\\" + c for c in "\\<>&*|`"})


def _escape(text: str) -> str:
    return text.translate(_MARKUP)


def _block(b, lines: list[str]) -> None:
    if isinstance(b, Heading):
        lines += ["#" * (b.level + 1) + " " + _escape(plain(b.runs)), ""]
        if b.inline:
            lines += [_escape(plain(b.inline)), ""]
        for c in b.children:
            _block(c, lines)
    elif isinstance(b, Paragraph):
        lines += [_escape(plain(b.runs)), ""]
    elif isinstance(b, Closing):
        if b.attachment:
            lines += [_escape(b.attachment), ""]
        lines += [f"<p align=\"right\">{_escape(b.signer)}<br>{_escape(b.date)}</p>", ""]
    elif isinstance(b, Table):
        lines += ["| " + " | ".join(b.header) + " |", "|" + "---|" * len(b.header)]
        lines += ["| " + " | ".join(_escape(plain(c)) for c in row) + " |" for row in b.rows]
        lines.append("")
    elif isinstance(b, Figure):
        lines += [_escape(plain(b.caption)), "", "| 期间 | 综合得分 |", "|---|---|"]
        lines += [f"| {p.label} | {fixed(p.value, 1)}{CAPPED if p.cap else ''} |" for p in b.points]
        lines.append("")
        if b.note():
            lines += [_escape(b.note()), ""]
    elif isinstance(b, Appendix):
        lines += [f"## {b.label}：{_escape(plain(b.title))}", ""]
        for c in b.children:
            _block(c, lines)
    else:
        raise TypeError(f"unknown block {b!r}")
