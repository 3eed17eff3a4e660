"""The 综合研判报告 as a library: ``fengqing report --overview`` and the supervisor's page are shells over
:func:`build_overview_report` and the report's renderers."""

from __future__ import annotations

from ..analysis.api import analyze
from ..org.models import Unit
from ..periods import Period, parse_period
from ..report.document import Document
from .builder import DROP, build_overview, gather


def build_overview_report(period: Period | str, units: list[Unit] | None = None, org: str = "",
                          scheme=None, drop: float = DROP, reading: bool = True) -> Document:
    period = parse_period(period) if isinstance(period, str) else period
    units = list(Unit.objects.order_by("name")) if units is None else list(units)
    found = analyze(period, unit_ids=[u.pk for u in units]) if reading else None
    return build_overview(gather(units, period, org, scheme, found, drop))


def overview_file_name(period: Period, fmt: str) -> str:
    return f"{period.code}-所属单位政治生态综合研判报告.{fmt}"
