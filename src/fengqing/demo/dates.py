"""The demo's calendar: its four half-years and working-day dates drawn at random."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..periods import Period, parse_period

HALVES: tuple[Period, ...] = tuple(parse_period(code) for code in ("2022H1", "2022H2", "2023H1", "2023H2"))
YEARS = (2022, 2023)
#: the day the demo's records stand at: nothing is dated later, except deadlines still to come
AS_OF = date(2023, 12, 31)


def workday(d: date) -> date:
    """Saturday moves back to Friday, Sunday on to Monday: offices meet on working days."""
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


def between(rng: random.Random, start: date, end: date) -> date:
    """A random working day in [start, end] (start itself when the window holds no working day)."""
    span = (end - start).days
    for _ in range(8):
        d = workday(start + timedelta(days=rng.randint(0, max(span, 0))))
        if start <= d <= end:
            return d
    return start


def spread(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    """``n`` working days spread over [start, end]: one in each of n equal slices, sorted."""
    span = (end - start).days + 1
    out = []
    for i in range(n):
        lo = start + timedelta(days=span * i // n)
        hi = start + timedelta(days=max(span * (i + 1) // n - 1, span * i // n))
        out.append(between(rng, lo, hi))
    return sorted(out)
