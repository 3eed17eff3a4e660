"""Reading and writing one cell of the interchange workbook, by column kind (see schema.py)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..errors import PeriodError
from ..periods import parse_period
from .schema import Column

_DATE_TEXT = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
MAX_COUNT = 2**31 - 1  # an integer column of PostgreSQL
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


class CellError(ValueError):
    """The cell's value cannot be read; the message is the Chinese reason."""


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalize_enum(value: str) -> str:
    return value.strip().translate(_BRACKETS)


def parse(column: Column, value):
    """The Python value of a non-empty cell; raises CellError with the reason."""
    parser = _PARSERS[column.kind]
    return parser(column, value)


def _text(column, value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a 工号 typed as a number comes back as 1001.0
    if isinstance(value, (datetime, date)):
        raise CellError("应为文本，不应是日期")
    return str(value).strip()


def _title(column, value):
    text = _text(column, value)
    if "《" in text or "》" in text:
        raise CellError("标题不带书名号《》")
    return text


def _date(column, value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in _DATE_TEXT:
        m = pattern.match(text)
        if m:
            try:
                return date(*(int(g) for g in m.groups()))
            except ValueError:
                raise CellError("日期不存在") from None
    raise CellError("不是日期：应为 2023-06-30、2023/6/30 或 2023年6月30日")


def _bool(column, value):
    text = str(value).strip()
    if text == "是":
        return True
    if text == "否":
        return False
    raise CellError("应填“是”或“否”")


def _number(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError("不是数字")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError("不是数字") from None
    if not number.is_finite():
        raise CellError("不是数字")
    if number < 0:
        raise CellError("不能为负数")
    return number


def _count(column, value):
    number = _number(value)
    if number != number.to_integral_value():
        raise CellError("应为整数")
    if number > MAX_COUNT:
        raise CellError("数值过大")
    return int(number)


def _year(column, value):
    year = _count(column, value)
    if not 1949 <= year <= 2200:
        raise CellError("应为四位年份")
    return year


def _money(column, value):
    number = _number(value)  # str(12.3) is "12.3": the shortest repr, so no binary noise creeps in
    if number != number.quantize(Decimal("0.01")):
        raise CellError("金额最多两位小数")
    if number >= Decimal("10000000000"):
        raise CellError("金额过大")
    return number.quantize(Decimal("0.01"))


def _enum(column, value):
    text = normalize_enum(str(value))
    for choice in column.choices:
        if normalize_enum(choice) == text:
            return choice
    raise CellError("不是可选值之一（" + "、".join(column.choices) + "）")


def _period(column, value):
    try:
        return parse_period(str(value)).code
    except PeriodError:
        raise CellError("不是期间：应写作 2023H1、2023H2、2023 或 2023Q1") from None


def _reference(column, value):
    return _text(column, value)  # resolved against the people/departments/… later


_PARSERS = {
    "text": _text, "title": _title, "date": _date, "bool": _bool, "count": _count, "year": _year,
    "money": _money, "enum": _enum, "period": _period,
    "person": _reference, "department": _reference, "branch": _reference, "problem": _reference,
}


def to_cell(column: Column, value):
    """The cell value export writes for a stored value (references are resolved by the caller)."""
    if value is None or value == "":
        return None
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "money":
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in a workbook
    return value
