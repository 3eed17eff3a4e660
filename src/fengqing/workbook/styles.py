"""The look shared by the template and the export: header row, column widths, frozen header."""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .schema import Sheet

REQUIRED_FONT = Font(bold=True, color="9C0006")
OPTIONAL_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
_WIDTH = {"date": 14, "bool": 10, "count": 10, "money": 12, "year": 8}


def column_width(kind: str, header: str) -> int:
    return max(_WIDTH.get(kind, 22), 2 * len(header) + 4)


def style_header(ws, sheet: Sheet) -> list[WriteOnlyCell]:
    """Header cells for a write-only sheet; also sets widths and freezes the header row."""
    cells = []
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column_width(column.kind, column.header)
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    ws.freeze_panes = "A2"
    return cells
