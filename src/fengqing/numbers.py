"""Numbers as the report, the pages and ``score`` write them: rounded half up (四舍五入, 91.25% → 91.3%), as
readers of a 公文 round, not half to even as Python's formatting of binary floats does (91.25 → 91.2)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def fixed(value: float | Decimal, places: int, sign: bool = False) -> str:
    """``value`` with ``places`` decimals, rounded half up (away from zero); ``sign``: always with + or −."""
    # str() of a float is its shortest repr, so 0.9125 is the decimal 0.9125 and not 0.91249999…
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.0"
    return f"{rounded:+}" if sign else f"{rounded}"


def percent(fraction: float | Decimal, places: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: 0.9125 → 91.3%."""
    exact = fraction if isinstance(fraction, Decimal) else Decimal(str(fraction))
    return f"{fixed(exact * 100, places, sign)}%"
