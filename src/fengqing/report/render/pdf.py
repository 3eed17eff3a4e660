"""The PDF rendering: LibreOffice from the .docx when ``soffice`` is installed (the PDF then matches the
editable file page for page), else WeasyPrint from the HTML. Either way the official font names are mapped to
free CJK fonts by the fontconfig file beside this package (fonts.conf), whether or not the caller set
FONTCONFIG_FILE."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import ReportError
from ..document import Document
from . import docx, html

FONTS_CONF = Path(__file__).resolve().parent.parent / "fonts.conf"
SOFFICE_TIMEOUT = 180
# the filter's options as JSON (LibreOffice ≥ 7.4): pictures kept lossless, as JPEG would blur the chart's lines
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseLosslessCompression":{"type":"boolean","value":"true"}}'


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render(doc: Document, docx_bytes: bytes | None = None, engine: str | None = None) -> bytes:
    """``engine``: "soffice" or "weasyprint"; by default soffice when it is installed."""
    engine = engine or ("soffice" if soffice() else "weasyprint")
    if engine == "soffice":
        return from_docx(docx_bytes if docx_bytes is not None else docx.render(doc))
    return from_html(html.render(doc, for_print=True))


def from_docx(docx_bytes: bytes, workdir: Path | None = None) -> bytes:
    """``workdir``: where the conversion and its LibreOffice profile live (a new temporary folder if None)."""
    exe = soffice()
    if exe is None:
        raise ReportError("未安装 LibreOffice（soffice），无法由 Word 文件生成 PDF")
    with tempfile.TemporaryDirectory(prefix="fengqing-pdf-", dir=workdir) as tmp:
        tmp = Path(tmp)
        (tmp / "report.docx").write_bytes(docx_bytes)
        # a profile of its own: parallel conversions sharing one silently drop files (notes/stack.md)
        cmd = [exe, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", PDF_FILTER, "--outdir", str(tmp), str(tmp / "report.docx")]
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
        try:
            result = subprocess.run(cmd, env=env, capture_output=True, timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice 转换 PDF 超时（{SOFFICE_TIMEOUT} 秒）") from None
        pdf = tmp / "report.pdf"
        if not pdf.exists():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()
            raise ReportError(f"LibreOffice 未能生成 PDF：{detail[-1] if detail else '无输出'}")
        return pdf.read_bytes()


def from_html(html_bytes: bytes) -> bytes:
    # fontconfig reads FONTCONFIG_FILE when WeasyPrint's Pango first loads fonts in this process
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
    from weasyprint import HTML

    return HTML(string=html_bytes.decode("utf-8")).write_pdf()
