"""The HTML rendering: the same content as the .docx, with a print stylesheet in the same layout (WeasyPrint
makes the PDF from it when LibreOffice is absent). Every figure links to the list of its records at the end
of the page; the list is not printed."""

from __future__ import annotations

import base64
from collections.abc import Callable
from html import escape

from django.apps import apps

from ..document import Appendix, Closing, Document, Figure, Heading, Paragraph, Table
from ..runs import Run

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt "宋体", "Noto Serif CJK SC", serif;
  margin-right: 1em; vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt "宋体", "Noto Serif CJK SC", serif;
  margin-left: 1em; vertical-align: top; padding-top: 7mm; } }
html { font-family: "仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", serif; font-size: 16pt;
  line-height: 28.95pt; letter-spacing: -0.25pt; color: #000; background: #fff; }  /* 28 a line, as the .docx */
body { margin: 0; }
h1.title { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-size: 22pt; line-height: 35pt;
  text-align: center; margin: 0 0 28.95pt; }
p, .h1, .h2, .h3, .h4 { text-indent: 2em; text-align: justify; margin: 0; font-size: 16pt; font-weight: normal; }
.h1 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; break-after: avoid; }
.h2 > .h { font-family: "楷体_GB2312", "楷体", "KaiTi", "AR PL KaitiM GB", serif; }
.h3 > .h, .h4 > .h { font-weight: bold; }
.keep { break-after: avoid; }
p.closing.signer { break-after: avoid; }
a.fact { color: inherit; text-decoration: none; border-bottom: 1px dotted #777; }
.attachment { margin-top: 28.95pt; }
.appendix { break-before: page; }
.appendix .label { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; text-indent: 0;
  margin-bottom: 28.95pt; }
.appendix h2 { font-family: "方正小标宋简体", "Noto Serif CJK SC", serif; font-size: 22pt; line-height: 35pt;
  text-align: center; margin: 0 0 28.95pt; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; line-height: 18pt; margin-bottom: 1em; }
th, td { border: 0.75pt solid #000; padding: 2pt 3pt; text-align: center; font-weight: normal; }
th { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; }
thead { display: table-header-group; }
figure { margin: 28.95pt 0 0; text-align: center; break-inside: avoid; }
figure svg, figure img { width: 150mm; max-width: 100%; height: auto; }
figcaption { text-align: center; }
figure p.note { text-indent: 0; font-size: 14pt; line-height: 1.5; }
.trace { margin-top: 3em; font-size: 11pt; line-height: 1.6; border-top: 1px solid #999; }
.trace h2 { font-size: 12pt; }
.trace li:target { background: #ffe; }
@media screen { body { max-width: 156mm; margin: 2em auto; padding: 0 1em; } }
@media print { .trace { display: none; } a.fact { border: 0; } }
"""


def render(doc: Document, for_print: bool = False) -> bytes:
    """``for_print``: without the links and the list of records (the PDF made from it has no use for them)."""
    out = ['<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{escape(doc.title_text)}</title><style>{CSS}</style></head><body>",
           body(doc, None if for_print else anchor)]
    if not for_print:
        out.append(trace(doc))
    out.append("</body></html>\n")
    return "".join(out).encode("utf-8")


def body(doc: Document, link: Callable[[str], str] | None = None) -> str:
    """The report's title and blocks, without the page around them or the list of records (a web page shows it
    inside its own); each figure links to ``link(fact id)`` when given."""
    out = [f'<h1 class="title">{_runs(doc.title.runs, link)}</h1>']
    for b in doc.blocks:
        _block(b, out, link)
    return "".join(out)


def anchor(fact: str) -> str:
    """A figure's link within the file: its entry in the list of records."""
    return f"#f-{fact}"


def _runs(runs: list[Run], link: Callable[[str], str] | None) -> str:
    parts = []
    for r in runs:
        text = escape(r.text)
        if r.kind == "break":
            parts.append("<br>")
        elif r.fact and link is not None:
            parts.append(f'<a class="fact" href="{escape(link(r.fact))}" data-fact="{escape(r.fact)}">{text}</a>')
        else:
            parts.append(text)
    return "".join(parts)


def _block(b, out: list[str], link: Callable[[str], str] | None) -> None:
    if isinstance(b, Heading):
        if b.level == 1:
            out.append(f'<h2 class="h1">{_runs(b.runs, link)}</h2>')
        else:
            keep = "" if b.inline else " keep"
            out.append(f'<p class="h{b.level}{keep}" role="heading" aria-level="{b.level + 1}">'
                       f'<span class="h">{_runs(b.runs, link)}</span>{_runs(b.inline, link)}</p>')
        for c in b.children:
            _block(c, out, link)
    elif isinstance(b, Paragraph):
        # inline, so a page that shows the body without this stylesheet still lays it out (also the closing)
        style = "" if b.indent else ' style="text-indent: 0"'
        out.append(f"<p{style}>{_runs(b.runs, link)}</p>")
    elif isinstance(b, Closing):
        if b.attachment:
            out.append(f'<p class="attachment">{escape(b.attachment)}</p>')
        for text, chars, cls in zip((b.signer, b.date), b.right_indents(), ("signer", "date")):
            space = "margin-top: 28.95pt; " if cls == "signer" else ""
            out.append(f'<p class="closing {cls}" style="{space}text-indent: 0; text-align: right; '
                       f'padding-right: {chars:g}em">{escape(text)}</p>')
    elif isinstance(b, Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in b.header)
        body = "".join("<tr>" + "".join(f"<td>{_runs(c, link)}</td>" for c in row) + "</tr>" for row in b.rows)
        out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    elif isinstance(b, Figure):
        from ... import charts  # Pillow loads only when a report has a figure

        chart = charts.inline_svg(b.image("svg")) if link is not None else _svg_image(b.image("svg"))
        note = f'<p class="note">{escape(b.note())}</p>' if b.note() else ""
        out.append(f"<figure>{chart}<figcaption>{_runs(b.caption, link)}</figcaption>{note}</figure>")
    elif isinstance(b, Appendix):
        out.append(f'<section class="appendix"><p class="label">{escape(b.label)}</p>'
                   f"<h2>{_runs(b.title, link)}</h2>")
        for c in b.children:
            _block(c, out, link)
        out.append("</section>")
    else:
        raise TypeError(f"unknown block {b!r}")


def _svg_image(data: bytes) -> str:
    """The chart as an image, for print: WeasyPrint draws it the same, but an SVG inline in the page would have
    its drawing properties read as page CSS, each logged as an unknown property."""
    return f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(data).decode("ascii")}">'


def trace(doc: Document) -> str:
    """The list of records (数据来源) each figure of the body links to with ``anchor``."""
    names = {m._meta.model_name: str(m._meta.verbose_name) for m in apps.get_models()}
    items = []
    for f in doc.facts:
        records = "、".join(_record(r, names) for r in f["records"]) or "—"
        items.append(f'<li id="f-{escape(f["id"])}">{escape(f["text"])}'
                     + ("" if doc.redacted else f"：{escape(records)}") + "</li>")
    return f'<section class="trace"><h2>数据来源</h2><ol>{"".join(items)}</ol></section>'


def _record(ref: str, names: dict[str, str]) -> str:
    model, _, pk = ref.partition(":")
    return f"{names.get(model, model)}#{pk}"
