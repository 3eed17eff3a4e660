"""Indicator values of many units at once: one aggregate query per table needed, for all periods together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from ..periods import Period
from .catalogue import METRICS
from .sources import SOURCES, split_alias

Values = dict[str, float | None]


def queries(metric_ids: Iterable[str], periods: list[Period], unit_ids: list[int] | None) -> list[QuerySet]:
    """The aggregate queries behind ``metric_ids`` (``unit_ids`` None: every unit)."""
    names = sorted({s for m in metric_ids for s in METRICS[m].sources})
    return [SOURCES[name].queryset(periods, unit_ids) for name in names]


def measure(metric_ids: Iterable[str], periods: list[Period],
            unit_ids: list[int] | None = None) -> dict[int, list[Values]]:
    """``{unit id: [values of period 0, values of period 1, …]}``; units without any record are absent
    (their parts are all 0: use ``values_for``)."""
    metric_ids = list(metric_ids)
    parts: dict[int, list[dict]] = defaultdict(lambda: [defaultdict(int) for _ in periods])
    for qs in queries(metric_ids, periods, unit_ids):
        for row in qs:
            unit_parts = parts[row.pop("uid")]
            for key, value in row.items():
                index, part = split_alias(key)
                unit_parts[index][part] = value
    return {uid: _compute(metric_ids, periods, unit_parts) for uid, unit_parts in parts.items()}


def values_for(measured: dict[int, list[Values]], unit_id: int, metric_ids: Iterable[str],
               periods: list[Period]) -> list[Values]:
    if unit_id in measured:
        return measured[unit_id]
    return _compute(list(metric_ids), periods, [defaultdict(int) for _ in periods])


def _compute(metric_ids: list[str], periods: list[Period], parts: list[dict]) -> list[Values]:
    return [{m: METRICS[m].compute(parts[i], p) for m in metric_ids} for i, p in enumerate(periods)]
