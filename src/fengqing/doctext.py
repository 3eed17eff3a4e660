"""The text of a document: a report a unit uploads, a model text the reader compares with (.txt, .docx, .pdf)."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import PurePath

from .errors import DocumentError

SUFFIXES = (".txt", ".docx", ".pdf")
_PAGE_NUMBER = re.compile(r"^[—－-]\s*\d+\s*[—－-]$")


def document_text(name: str, data: bytes) -> str:
    """Paragraphs separated by line breaks; a file that cannot be read is an :class:`DocumentError` naming it."""
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".txt":
            return _decode(data)
        if suffix == ".docx":
            return _docx(data)
        if suffix == ".pdf":
            return _pdf(data)
    except DocumentError:
        raise
    except Exception as exc:  # the libraries raise many kinds (zip, XML, PDF syntax) on a damaged file
        raise DocumentError(f"无法读取文件“{name}”：文件已损坏或不是有效的{suffix[1:]}文件（{type(exc).__name__}）") \
            from exc
    raise DocumentError(f"不支持的文件类型“{name}”：只能读取 {'、'.join(SUFFIXES)} 文件")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("文本文件既不是 UTF-8 也不是 GB18030 编码")


def _docx(data: bytes) -> str:
    from docx import Document

    doc = Document(BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    # a PDF breaks lines where the page is full, not where a paragraph ends: join lines that do not end a
    # sentence, so a sentence is not cut in two
    out: list[str] = []
    for page in reader.pages:
        for line in (page.extract_text() or "").splitlines():
            line = line.strip()
            if not line or _PAGE_NUMBER.match(line):
                continue
            if out and not out[-1].endswith(("。", "！", "？", "；", "：")) and not _is_heading(line):
                out[-1] += line
            else:
                out.append(line)
    return "\n".join(out)


def _is_heading(line: str) -> bool:
    return line.startswith(("一、", "二、", "三、", "四、", "五、", "六、", "（", "附件"))
