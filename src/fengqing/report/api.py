"""The report as a library: build the document once, render it in any of the formats, write the files.

``fengqing report`` and ``fengqing demo`` are thin shells over :func:`write_reports`."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path

from ..org.lookup import find_unit
from ..errors import ReportError
from ..files import atomic_write
from ..org.models import Unit
from ..periods import Period, parse_period
from .builder import build_document
from .document import Document
from .redact import redact as redact_document
from .tally import untraced
from .render import docx, html, json, markdown, pdf

FORMATS = ("docx", "md", "html", "pdf", "json")
RENDERERS = {"docx": docx.render, "md": markdown.render, "html": html.render, "json": json.render}


def build_report(unit: Unit | str, period: Period | str, redact: bool = False, scheme: str | Path | None = None,
                 appendix: bool = False, on: date | None = None, trace: bool = True) -> Document:
    """``on``: the 成文日期, as of which the report states every status (default: the period's end).
    ``trace=False``: the facts without the records behind them (the same document otherwise), for a preview that
    shows the figures only."""
    unit = unit if isinstance(unit, Unit) else find_unit(unit)
    period = period if isinstance(period, Period) else parse_period(period)
    with nullcontext() if trace else untraced():
        doc = build_document(unit, period, scheme=scheme, appendix=appendix, on=on)
    return redact_document(doc, unit) if redact else doc


def parse_formats(formats: str | list[str] | tuple[str, ...]) -> list[str]:
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen = []
    for f in (i.strip().lower().lstrip(".") for i in items):
        f = {"markdown": "md", "word": "docx"}.get(f, f)
        if f not in FORMATS:
            raise ReportError(f"不支持的报告格式“{f}”：可选 {', '.join(FORMATS)}")
        if f not in chosen:
            chosen.append(f)
    if not chosen:
        raise ReportError(f"请指定报告格式：{', '.join(FORMATS)}")
    return chosen


def render_all(doc: Document, formats: list[str]) -> dict[str, bytes]:
    """Each format's bytes; the PDF is converted from the .docx already rendered when both are asked for."""
    out = {f: RENDERERS[f](doc) for f in formats if f != "pdf"}
    if "pdf" in formats:
        out["pdf"] = pdf.render(doc, docx_bytes=out.get("docx"))
    return {f: out[f] for f in formats}


def file_name(unit: Unit, period: Period, fmt: str, redact: bool = False) -> str:
    if redact:
        return f"{period.code}-政治生态分析研判报告-脱敏-{unit.pk}.{fmt}"
    return f"{unit.short_name}-{period.code}-政治生态分析研判报告.{fmt}"


def write_reports(unit: Unit | str, period: Period | str, formats, out_dir: str | Path, redact: bool = False,
                  scheme: str | Path | None = None, appendix: bool = False, on: date | None = None) -> list[Path]:
    """Write the report in each format into ``out_dir`` (created if needed); returns the files written."""
    unit = unit if isinstance(unit, Unit) else find_unit(unit)
    period = period if isinstance(period, Period) else parse_period(period)
    chosen = parse_formats(formats)
    doc = build_report(unit, period, redact=redact, scheme=scheme, appendix=appendix, on=on)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt, data in render_all(doc, chosen).items():
        path = out_dir / file_name(unit, period, fmt, redact)
        atomic_write(path, data)
        paths.append(path)
    return paths
