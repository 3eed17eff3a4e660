"""The .xlsx file checked as a zip package before openpyxl parses it: unpacked sizes and ratios (a zip bomb is
refused from its directory, before anything is unpacked), hidden sheets, formulas that have no cached value
(openpyxl would read them as empty cells). Parts are read in bounded chunks or streamed."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from .limits import MAX_PART_BYTES, MAX_PARTS, MAX_PROBLEMS, MAX_RATIO, MAX_UNPACKED_BYTES
from .problems import Problem

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MB = 1024 * 1024


class PackageRefused(Exception):
    """The file may not be parsed at all; the message is the Chinese reason."""


@dataclass
class SheetPart:
    title: str
    path: str  # the part inside the zip
    hidden: bool


def check_sizes(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise PackageRefused(f"工作簿由 {len(infos)} 个部件组成，超过上限 {MAX_PARTS} 个")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED_BYTES:
        raise PackageRefused(f"工作簿解压后共 {total / MB:.0f} MB，超过上限 {MAX_UNPACKED_BYTES // MB} MB")
    for info in infos:
        if info.file_size > MAX_PART_BYTES:
            raise PackageRefused(f"工作簿中的“{info.filename}”解压后 {info.file_size / MB:.0f} MB，"
                                 f"超过单个部件的上限 {MAX_PART_BYTES // MB} MB")
        if info.file_size > MB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageRefused(f"工作簿中的“{info.filename}”压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
                                 "疑似压缩炸弹，拒绝读取")


def _parse(zf: zipfile.ZipFile, name: str):
    with zf.open(name) as stream:
        for _, elem in iterparse(stream, events=("end",)):
            yield elem


def sheet_parts(zf: zipfile.ZipFile) -> list[SheetPart]:
    """The worksheets in workbook order, with their part names and visibility."""
    try:
        targets = {e.get("Id"): e.get("Target", "") for e in _parse(zf, "xl/_rels/workbook.xml.rels")
                   if e.tag == f"{PKG_REL}Relationship"}
        sheets = [e for e in _parse(zf, "xl/workbook.xml") if e.tag == f"{MAIN}sheet"]
    except KeyError:
        return []  # not a workbook at all: openpyxl says so
    parts = []
    for e in sheets:
        target = targets.get(e.get(f"{DOC_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        parts.append(SheetPart(e.get("name", ""), path, e.get("state", "visible") != "visible"))
    return parts


def _may_have_formulas(zf: zipfile.ZipFile, path: str) -> bool:
    """A cheap scan for a formula element (with or without a namespace prefix) in bounded chunks."""
    tail = b""
    with zf.open(path) as stream:
        for chunk in iter(lambda: stream.read(MB), b""):
            data = tail + chunk
            if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                return True
            tail = data[-4:]
    return False


def formulas_without_value(zf: zipfile.ZipFile, part: SheetPart, sheet_name: str) -> list[Problem]:
    """Cells holding a formula whose result was never calculated (saved by a program that does not compute)."""
    if part.path not in zf.namelist() or not _may_have_formulas(zf, part.path):
        return []
    problems = []
    for elem in _parse(zf, part.path):
        if elem.tag == f"{MAIN}c":
            formula, value = elem.find(f"{MAIN}f"), elem.find(f"{MAIN}v")
            if formula is not None and (value is None or not (value.text or "").strip()):
                ref = elem.get("r", "")
                row = int("".join(ch for ch in ref if ch.isdigit()) or 0) or None
                problems.append(Problem(sheet_name, f"单元格 {ref} 是公式但没有计算结果：请在 Excel/WPS 中打开"
                                        "并保存一次（或把公式改为数值）后再导入", row))
                if len(problems) >= MAX_PROBLEMS:
                    break
        elif elem.tag == f"{MAIN}row":
            elem.clear()  # memory stays bounded by one row
    return problems


def inspect(zf: zipfile.ZipFile) -> list[SheetPart]:
    """Refuse what must not be parsed (PackageRefused); return the sheets for the checks that need them."""
    check_sizes(zf)
    try:
        return sheet_parts(zf)
    except ParseError as exc:
        raise PackageRefused(f"工作簿的目录（workbook.xml）不是有效的 XML：{exc}") from None
