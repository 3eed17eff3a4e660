"""Periods: ``2023H1``, ``2023H2``, ``2023`` (the year) and ``2023Q1``…``2023Q4`` (DESIGN §4)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .errors import PeriodError

_PATTERN = re.compile(r"^(\d{4})(?:(H[12])|(Q[1-4]))?$")
_QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    code: str

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def kind(self) -> str:
        """``year``, ``half`` or ``quarter``."""
        return {12: "year", 6: "half", 3: "quarter"}[self.months]

    @property
    def label(self) -> str:
        """The Chinese name used in report titles: 2023年上半年, 2023年度, 2023年第一季度."""
        y = self.start.year
        if self.kind == "year":
            return f"{y}年度"
        if self.kind == "half":
            return f"{y}年上半年" if self.start.month == 1 else f"{y}年下半年"
        return f"{y}年{_QUARTER_NAMES[(self.start.month - 1) // 3 + 1]}"

    @property
    def short_label(self) -> str:
        """上半年 / 下半年 / 全年 / 第一季度: how the report's sentences name the period."""
        if self.kind == "year":
            return "全年"
        if self.kind == "half":
            return "上半年" if self.start.month == 1 else "下半年"
        return _QUARTER_NAMES[(self.start.month - 1) // 3 + 1]

    @property
    def year_start(self) -> date:
        return date(self.end.year, 1, 1)

    def contains(self, d: date | None) -> bool:
        return d is not None and self.start <= d <= self.end

    def previous(self) -> Period:
        """The previous period of the same length (2023H1 → 2022H2, 2023Q1 → 2022Q4, 2023 → 2022)."""
        return _shift(self, -self.months)

    def year_ago(self) -> Period:
        return _shift(self, -12)

    def __str__(self) -> str:
        return self.code


def _make(year: int, first_month: int, months: int) -> Period:
    last_month = first_month + months - 1
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    if months == 12:
        code = f"{year}"
    elif months == 6:
        code = f"{year}H{1 if first_month == 1 else 2}"
    else:
        code = f"{year}Q{(first_month - 1) // 3 + 1}"
    return Period(date(year, first_month, 1), end, code)


def _shift(p: Period, months: int) -> Period:
    index = p.start.year * 12 + (p.start.month - 1) + months
    return _make(index // 12, index % 12 + 1, p.months)


def parse_period(text: str) -> Period:
    """Parse a period code; raises :class:`PeriodError` with a Chinese message when it is not one."""
    m = _PATTERN.match((text or "").strip().upper())
    if not m:
        raise PeriodError(f"期间“{text}”无法识别：应写作 2023H1、2023H2、2023 或 2023Q1～2023Q4")
    year = int(m.group(1))
    if m.group(2):
        return _make(year, 1 if m.group(2) == "H1" else 7, 6)
    if m.group(3):
        return _make(year, (int(m.group(3)[1]) - 1) * 3 + 1, 3)
    return _make(year, 1, 12)


def half_year_of(d: date) -> Period:
    """The half-year (H1 or H2) a date falls in."""
    return _make(d.year, 1 if d.month <= 6 else 7, 6)
