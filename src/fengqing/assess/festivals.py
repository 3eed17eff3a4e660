"""The festival days of the holiday integrity reminders (DESIGN §5 ``holiday_reminders``), from ``holidays``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from ..periods import Period

# The seven festivals, by the exact English name `holidays.China` gives the festival's own day. Asking in
# English with observed=False keeps out the "(observed)" and "Day off (substituted …)" entries; a festival
# of several days (春节, 国庆) is represented by its first day.
FESTIVALS = (
    ("元旦", "New Year's Day"),
    ("春节", "Chinese New Year (Spring Festival)"),
    ("清明", "Tomb-Sweeping Day"),
    ("劳动节", "Labor Day"),
    ("端午", "Dragon Boat Festival"),
    ("中秋", "Mid-Autumn Festival"),
    ("国庆", "National Day"),
)


@lru_cache(maxsize=64)
def festival_days(year: int) -> tuple[tuple[str, date], ...]:
    """(Chinese name, day) of each festival of ``year``, in calendar order."""
    calendar = holidays.China(years=year, observed=False, language="en_US")
    days = []
    for chinese, english in FESTIVALS:
        found = calendar.get_named(english, lookup="exact")
        if found:
            days.append((chinese, min(found)))
    return tuple(sorted(days, key=lambda item: item[1]))


def festivals_in(period: Period) -> tuple[tuple[str, date], ...]:
    """The festivals whose day falls in the period (both ends included)."""
    years = range(period.start.year, period.end.year + 1)
    return tuple(f for y in years for f in festival_days(y) if period.contains(f[1]))
