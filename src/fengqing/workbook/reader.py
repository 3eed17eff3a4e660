"""Streaming read of an interchange workbook: every sheet's rows parsed cell by cell against the schema as
they are iterated, every problem collected (the first MAX_PROBLEMS kept, all counted); no sheet is held in
memory. References stay as text here; importer.py resolves them. The file is checked as a package first
(package.py) and read within the limits of limits.py."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import load_workbook

from ..errors import WorkbookError
from .cells import CellError, is_empty, parse
from .limits import MAX_CELLS, MAX_PROBLEMS, MAX_ROWS_PER_SHEET
from .package import PackageRefused, formulas_without_value, inspect
from .problems import Problem
from .schema import INSTRUCTION_SHEET, SHEETS, SHEETS_BY_NAME, Column, Sheet


class ProblemList:
    """Problems as found: the first MAX_PROBLEMS kept, every one counted (three million bad cells cost a
    counter, not gigabytes)."""

    def __init__(self, problems=()):
        self.kept: list[Problem] = []
        self.total = 0
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)

    def extend(self, problems) -> None:
        for p in problems:
            self.append(p)

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self):
        return iter(self.kept)

    def error(self) -> WorkbookError:
        listed = sorted(self.kept, key=lambda p: p.sort_key)
        if self.total > len(listed):
            listed.append(Problem("", f"共发现 {self.total} 个问题，以上列出前 {len(listed)} 个；请改正后重新导入"))
        return WorkbookError(listed)


@dataclass
class Row:
    number: int  # Excel row number
    values: dict[str, Any]  # column header → parsed value (None when the cell is empty)


def _squeeze(name: str) -> str:
    """A sheet name without spaces of any width, full-width letters and digits made half-width."""
    return "".join(unicodedata.normalize("NFKC", name).split())


_SQUEEZED = {_squeeze(s.name): s for s in SHEETS}


def match_sheet(title: str) -> Sheet | None:
    return SHEETS_BY_NAME.get(title.strip()) or _SQUEEZED.get(_squeeze(title))


NOT_A_WORKBOOK = "无法读取：不是有效的 .xlsx 工作簿（文件已损坏，或不是 Excel 保存的 .xlsx）"
BROKEN_SHEET = "工作表内容已损坏，无法读取（XML 格式有误）"


def _refused(reason: str) -> WorkbookError:
    return WorkbookError([Problem("", reason)])


class OpenWorkbook:
    """A workbook opened for streaming: the sheets present, their headers, the problems and warnings found
    in the package and the headers are known on opening; rows are parsed as they are iterated
    (``rows``), so memory does not grow with the rows. Problems found in the rows join ``problems``."""

    def __init__(self, book) -> None:
        self._book = book
        self._sheets: dict[str, Any] = {}  # sheet name → its openpyxl worksheet, or None when it has no rows
        self._columns: dict[str, list[tuple[int, Column, int | None]]] = {}
        self.headers: dict[str, tuple[str, ...]] = {}  # the known columns each sheet has
        self.problems = ProblemList()
        self.warnings: list[str] = []
        self.cells = 0  # cells read so far, against MAX_CELLS

    def __contains__(self, sheet_name: str) -> bool:
        """Whether the workbook gives the sheet (a sheet with its header only counts: it empties its kind)."""
        return sheet_name in self._sheets

    def __enter__(self) -> OpenWorkbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._book.close()

    def rows(self, sheet_name: str) -> Iterator[Row]:
        """The sheet's data rows, parsed against the schema; each cell's problem is added to ``problems``
        (and the cell read as empty) before its row is yielded. Read once per sheet: the limits count rows as
        they are read."""
        ws = self._sheets.get(sheet_name)
        if ws is None:
            return
        sheet, columns = SHEETS_BY_NAME[sheet_name], self._columns[sheet_name]
        # only the columns that are read: a stray cell in column XFD does not make every row 16,384 wide
        rows = ws.iter_rows(min_row=2, max_col=max(i for i, _, _ in columns) + 1, values_only=True)
        count = 0
        try:
            for number, cells in enumerate(rows, start=2):
                if all(is_empty(c) for c in cells):
                    continue
                if count >= MAX_ROWS_PER_SHEET:
                    self.problems.append(Problem(sheet.name, f"数据超过 {MAX_ROWS_PER_SHEET} 行的上限，未再读取", number))
                    return
                self.cells += len(columns)
                if self.cells > MAX_CELLS:
                    self.problems.append(Problem(sheet.name, f"整个工作簿超过 {MAX_CELLS} 个单元格的上限，未再读取",
                                                 number))
                    return
                count += 1
                values = {}
                for index, column, limit in columns:
                    raw = cells[index] if index < len(cells) else None
                    values[column.header] = _cell(sheet.name, column, limit, raw, number, self.problems)
                yield Row(number, values)
        except Exception:  # noqa: BLE001 — malformed sheet XML and the like, from the parser
            self.problems.append(Problem(sheet.name, BROKEN_SHEET))

    def _open_sheet(self, sheet: Sheet, ws) -> None:
        ws.reset_dimensions()  # some writers store a wrong dimension; read what is really there
        header = next(ws.iter_rows(max_row=1, values_only=True), None) or ()
        if all(is_empty(c) for c in header):
            rows = ws.iter_rows(min_row=2, values_only=True)
            if any(not all(is_empty(c) for c in cells) for cells in rows):
                self.problems.append(Problem(sheet.name, "第1行应为列名，却是空行", 1))
            self._sheets[sheet.name] = None  # a blank sheet: no records of this kind
            return
        positions = _map_header(sheet, header, self)
        if positions is None:
            self._sheets[sheet.name] = None
            return
        self.headers[sheet.name] = tuple(positions)
        # what each cell needs, worked out once per sheet rather than once per cell
        self._columns[sheet.name] = [(index, sheet.column(name), max_length(sheet, sheet.column(name)))
                                     for name, index in positions.items()]
        self._sheets[sheet.name] = ws


def open_workbook(source: str | BinaryIO) -> OpenWorkbook:
    """Check the package (package.py), then open it for streaming; raises WorkbookError for a file that is
    not a workbook or is refused before parsing."""
    warnings: list[str] = []
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(source) as zf:
            for part in inspect(zf):
                sheet = match_sheet(part.title)
                if sheet is not None:
                    problems.extend(formulas_without_value(zf, part, sheet.name))
                if part.hidden:
                    warnings.append(f"工作表“{part.title}”是隐藏的：仍按正常工作表读取，请确认其中的内容")
    except FileNotFoundError:
        raise _refused(f"找不到文件“{source}”") from None
    except PackageRefused as exc:
        raise _refused(str(exc)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise _refused(NOT_A_WORKBOOK) from None
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except SyntaxError:  # the XML parsers' errors (ElementTree's and lxml's) derive from it
        raise _refused("无法读取：工作簿中的 XML 格式有误（文件已损坏）") from None
    except Exception:  # noqa: BLE001 — any failure of the parser on an untrusted file is a bad workbook
        raise _refused(NOT_A_WORKBOOK) from None
    result = OpenWorkbook(book)
    result.warnings, result.problems = warnings, ProblemList(problems)
    try:
        seen: dict[str, str] = {}
        for ws in book.worksheets:
            sheet = match_sheet(ws.title)
            if sheet is None:
                if ws.title != INSTRUCTION_SHEET:
                    result.warnings.append(f"忽略未知工作表“{ws.title}”")
                continue
            if sheet.name in seen:
                result.problems.append(Problem(sheet.name, f"工作表“{ws.title}”与“{seen[sheet.name]}”是同一类台账，"
                                               "只能保留一个"))
                continue
            seen[sheet.name] = ws.title
            if ws.title != sheet.name:
                result.warnings.append(f"工作表“{ws.title}”按“{sheet.name}”读取")
            try:
                result._open_sheet(sheet, ws)
            except Exception:  # noqa: BLE001 — malformed sheet XML and the like, from the parser
                result.problems.append(Problem(sheet.name, BROKEN_SHEET))
    except BaseException:
        book.close()
        raise
    return result


def _map_header(sheet: Sheet, header, result: OpenWorkbook) -> dict[str, int] | None:
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


def _cell(sheet_name: str, column, limit: int | None, raw, number: int, problems: ProblemList):
    if is_empty(raw):
        if column.required:
            problems.append(Problem(sheet_name, "必填项为空", number, column.header))
        return None
    try:
        value = parse(column, raw)
    except CellError as exc:
        shown = raw[:50] + "…" if isinstance(raw, str) and len(raw) > 50 else raw  # a huge cell is not copied
        problems.append(Problem(sheet_name, str(exc), number, column.header, shown))
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
