"""One problem found in a workbook, located by sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from .schema import SHEETS

SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


@dataclass(frozen=True)
class Problem:
    sheet: str
    reason: str
    row: int | None = None  # the Excel row number (data starts at row 2)
    column: str = ""
    value: object = None

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”" if self.sheet else "工作簿"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        shown = "" if self.value is None or self.value == "" else f"（值：{self.value}）"
        return f"{where}{shown}：{self.reason}"

    @property
    def sort_key(self):
        order = SHEET_ORDER.get(self.sheet, -1)
        return (order, self.row or 0, self.column)
