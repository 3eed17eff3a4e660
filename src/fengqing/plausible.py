"""Plausible values (等保 入侵防范: validity of input from people and interfaces): the same rule for import and
forms. A date before the founding of the People's Republic, or more than a year ahead, is a typing error
(0001-01-01, 9999-12-31) that would otherwise move periods, trends and the default period."""

from __future__ import annotations

from datetime import date, timedelta

EARLIEST = date(1949, 10, 1)


def latest(today: date) -> date:
    return today + timedelta(days=365)


def date_problem(value: date, today: date) -> str | None:
    """Why ``value`` is not a plausible date on ``today``, in Chinese; None when it is."""
    if value < EARLIEST:
        return "日期早于1949年10月1日，请检查"
    if value > latest(today):
        return "日期晚于今天一年以上，请检查"
    return None
