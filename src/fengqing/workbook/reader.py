"""Streaming read of an interchange workbook: every sheet's rows parsed cell by cell against the schema,
every problem collected (not just the first). References stay as text here; importer.py resolves them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import WorkbookError
from .cells import CellError, is_empty, parse
from .problems import Problem
from .schema import INSTRUCTION_SHEET, SHEETS_BY_NAME, Sheet


@dataclass
class Row:
    number: int  # Excel row number
    values: dict[str, Any]  # column header → parsed value (None when the cell is empty)


@dataclass
class ReadWorkbook:
    sheets: dict[str, list[Row]] = field(default_factory=dict)  # only the sheets present
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the known columns each sheet has
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_workbook(source: str | BinaryIO) -> ReadWorkbook:
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except FileNotFoundError:
        raise WorkbookError([Problem("", f"找不到文件“{source}”")]) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise WorkbookError([Problem("", "无法读取：不是有效的 .xlsx 工作簿（文件已损坏，或不是 Excel 保存的 .xlsx）")]) from None
    result = ReadWorkbook()
    try:
        for ws in book.worksheets:
            sheet = SHEETS_BY_NAME.get(ws.title.strip())
            if sheet is None:
                if ws.title != INSTRUCTION_SHEET:
                    result.warnings.append(f"忽略未知工作表“{ws.title}”")
                continue
            ws.reset_dimensions()  # some writers store a wrong dimension; read what is really there
            result.sheets[sheet.name] = _read_sheet(sheet, ws.iter_rows(values_only=True), result)
    finally:
        book.close()
    return result


def _read_sheet(sheet: Sheet, rows, result: ReadWorkbook) -> list[Row]:
    header = next(rows, None) or ()
    if all(is_empty(c) for c in header):
        if any(not all(is_empty(c) for c in cells) for cells in rows):
            result.problems.append(Problem(sheet.name, "第1行应为列名，却是空行", 1))
        return []  # a blank sheet: no records of this kind
    positions = _map_header(sheet, header, result)
    if positions is None:
        return []
    result.headers[sheet.name] = tuple(positions)
    # what each cell needs, worked out once per sheet rather than once per cell
    columns = [(index, sheet.column(name)) for name, index in positions.items()]
    columns = [(index, column, max_length(sheet, column)) for index, column in columns]
    parsed = []
    for number, cells in enumerate(rows, start=2):
        if all(is_empty(c) for c in cells):
            continue
        values = {}
        for index, column, limit in columns:
            raw = cells[index] if index < len(cells) else None
            values[column.header] = _cell(sheet.name, column, limit, raw, number, result.problems)
        parsed.append(Row(number, values))
    return parsed


def _map_header(sheet: Sheet, header, result: ReadWorkbook) -> dict[str, int] | None:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if is_empty(name):
            continue
        name = str(name).strip()
        if name not in sheet.headers:
            result.warnings.append(f"工作表“{sheet.name}”：忽略未知列“{name}”")
        elif name in positions:
            result.problems.append(Problem(sheet.name, "列名重复", 1, name))
        else:
            positions[name] = index
    missing = [c.header for c in sheet.columns if c.required and c.header not in positions]
    for name in missing:
        result.problems.append(Problem(sheet.name, "缺少必填列", 1, name))
    return None if missing else positions


def _cell(sheet_name: str, column, limit: int | None, raw, number: int, problems: list[Problem]):
    if is_empty(raw):
        if column.required:
            problems.append(Problem(sheet_name, "必填项为空", number, column.header))
        return None
    try:
        value = parse(column, raw)
    except CellError as exc:
        problems.append(Problem(sheet_name, str(exc), number, column.header, raw))
        return None
    if limit and isinstance(value, str) and len(value) > limit:
        problems.append(Problem(sheet_name, f"超过最大长度（{limit}个字，实有{len(value)}个字）", number,
                                column.header, value[:20] + "…"))
        return None
    return value


def max_length(sheet: Sheet, column) -> int | None:
    """The longest text the column's model field holds (references name rows of other sheets: no limit here)."""
    if column.kind not in ("text", "title"):
        return None
    return getattr(sheet.model._meta.get_field(column.field), "max_length", None)
