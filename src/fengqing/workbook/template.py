"""The blank interchange workbook: every sheet with its header row, drop-down lists for every enumeration and
yes/no column, and a 填表说明 sheet generated from the schema."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..files import atomic_write
from .limits import MAX_CELLS, MAX_PART_BYTES, MAX_PROBLEMS, MAX_RATIO, MAX_ROWS_PER_SHEET, MAX_UNPACKED_BYTES
from .schema import INSTRUCTION_SHEET, SHEETS, Column, Sheet
from .styles import HEADER_FILL, OPTIONAL_FONT, REQUIRED_FONT, column_width

#: rows that carry the drop-down lists
TEMPLATE_ROWS = 5000
YES_NO = ("是", "否")


def dropdown_values(column: Column) -> tuple[str, ...]:
    if column.kind == "bool":
        return YES_NO
    return column.choices


def write_template(target: str | Path | BinaryIO) -> None:
    if isinstance(target, (str, Path)):
        buffer = BytesIO()
        write_template(buffer)
        atomic_write(target, buffer.getvalue())
        return
    book = Workbook()
    _instructions(book.active)
    for sheet in SHEETS:
        _data_sheet(book.create_sheet(sheet.name), sheet)
    book.save(target)


def _data_sheet(ws, sheet: Sheet) -> None:
    last_row = 2 if sheet.single_row else TEMPLATE_ROWS
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = REQUIRED_FONT if column.required else OPTIONAL_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(("必填。" if column.required else "选填。") + column.help, "风清")
        ws.column_dimensions[letter].width = column_width(column.kind, column.header)
        values = dropdown_values(column)
        if values:
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="输入有误",
                                error=f"“{column.header}”只能填：" + "、".join(values))
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)
        if column.kind == "date":
            for row in range(2, min(last_row, 200) + 1):
                ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"


def instruction_rows() -> list[tuple[str, str, str, str]]:
    """(sheet, column, 必填/选填, how to fill it) for every column: the 填表说明 sheet and docs/workbook.md."""
    rows = []
    for sheet in SHEETS:
        for column in sheet.columns:
            rows.append((sheet.name, column.header, "必填" if column.required else "选填", column.help))
    return rows


def _instructions(ws) -> None:
    ws.title = INSTRUCTION_SHEET
    ws.append(["风清 交换格式（第1版）填表说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in GENERAL_RULES:
        ws.append([line])
    ws.append([])
    ws.append(["工作表", "列", "必填", "填写要求"])
    for cell in ws[ws.max_row]:
        cell.font = OPTIONAL_FONT
        cell.fill = HEADER_FILL
    for row in instruction_rows():
        ws.append(list(row))
    for letter, width in zip("ABCD", (14, 16, 8, 80)):
        ws.column_dimensions[letter].width = width


GENERAL_RULES = (
    "1. 每类台账一个工作表，表名、列名须与本模板一致；没有记录的工作表可以删除。红色列名为必填列。",
    "2. 第1行为列名，数据从第2行开始；整行空白会被跳过。可以只保留部分选填列：缺少的列不会清空已有数据，新增记录取默认值。",
    "3. 日期可填 Excel 日期，或 2023-06-30、2023/6/30、2023年6月30日。是/否列填“是”或“否”，空白视为“否”。",
    "4. 金额单位为万元，最多两位小数；人数、票数为不小于0的整数。",
    "5. 人员可填工号，或本单位唯一的姓名。",
    "6. 导入是“全部或全不”：有任何错误时不导入任何数据，并逐条列出工作表、行、列、值和原因。",
    "7. 重复导入同一工作簿不会产生重复记录；使用“替换”导入时，工作簿中给出的各类台账将与工作簿完全一致，"
    "没有给出的工作表不受影响（要清空某类台账，请保留该表的列名行、删去数据行）。",
    "8. 日期须在1949年10月1日至导入之日后一年之内；问题的期间写作 2023H1、2023H2、2023 或 2023Q1。"
    "公式须有计算结果（在 Excel/WPS 中保存过）；隐藏的工作表照常读取并给出提示；表名中多余的空格、全角字母会被忽略。",
    f"9. 上限：每个工作表 {MAX_ROWS_PER_SHEET:,} 行数据，整个工作簿 {MAX_CELLS:,} 个单元格，解压后 "
    f"{MAX_UNPACKED_BYTES // 2**20} MB（单个部件 {MAX_PART_BYTES // 2**20} MB），压缩比不超过 {MAX_RATIO} 倍（1 MB 以上的部件）；"
    f"错误超过 {MAX_PROBLEMS} 条时只列出前 {MAX_PROBLEMS} 条和总数。",
)
