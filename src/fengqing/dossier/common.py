"""Small shared pieces: dates as the documents write them, record references as the JSON lists them, and a
person found the way users name one."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from ..errors import DossierError
from ..org.models import Person, Unit


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (numbering of the file's years; the report's builder is not a public API)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return ((digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")) or "零"


def ref(obj: models.Model) -> str:
    """The record as the report's JSON names records: ``talk:12``."""
    return f"{obj._meta.model_name}:{obj.pk}"


def percent(part: int, whole: int) -> str:
    """A share rounded half up to one decimal: 15/16 → 93.8%."""
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def find_person(unit: Unit, ref_text: str) -> Person:
    """The person of the unit with this 工号, else with this name when only one person has it."""
    text = (ref_text or "").strip()
    by_no = Person.objects.filter(unit=unit, staff_no=text).first()
    if by_no:
        return by_no
    same = list(Person.objects.filter(unit=unit, name=text))
    if len(same) == 1:
        return same[0]
    if same:
        raise DossierError(f"{unit.short_name}有{len(same)}人名为“{text}”（工号 "
                           f"{'、'.join(p.staff_no for p in same)}），请改用工号")
    raise DossierError(f"{unit.short_name}没有工号或姓名为“{text}”的人员")


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day: 8月31日 + 6 → 2月28/29日)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
