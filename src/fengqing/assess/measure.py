"""Indicator values of many units at once: one aggregate query per table needed, for all periods together.

Building a query through the ORM costs far more than running it for one unit (the filters of a hundred-odd
conditional aggregates are resolved one by one: about 90 % of a unit's assessment). The SQL of a table's query
depends only on the periods and on how many units are asked for, so it is compiled once per (table, periods,
number of units) with stand-in unit ids, and each later call runs the same SQL with its own ids in their place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection
from django.db.models import QuerySet

from ..periods import Period
from ..prepared import Compiled
from .catalogue import METRICS
from .sources import SOURCES, split_alias

Values = dict[str, float | None]
#: the stand-in for the i-th unit id is STAND_IN - i: far outside any primary key, year or count in the SQL
STAND_IN = -(10**15)


def source_names(metric_ids: Iterable[str]) -> list[str]:
    return sorted({s for m in metric_ids for s in METRICS[m].sources})


def queries(metric_ids: Iterable[str], periods: list[Period], unit_ids: list[int] | None) -> list[QuerySet]:
    """The aggregate queries behind ``metric_ids`` (``unit_ids`` None: every unit)."""
    return [SOURCES[name].queryset(periods, unit_ids) for name in source_names(metric_ids)]


@lru_cache(maxsize=512)
def _compiled(name: str, periods: tuple[Period, ...], n_units: int | None, alias: str, vendor: str) -> Compiled:
    """One table's query, with stand-in unit ids. ``alias`` and ``vendor`` are part of the key only: the SQL is
    the database's own."""
    stand_ins = None if n_units is None else [STAND_IN - i for i in range(n_units)]
    return Compiled.of(SOURCES[name].queryset(list(periods), stand_ins))


def _with_ids(param, ids: dict[int, int]):
    if type(param) is int:
        return ids.get(param, param)
    if isinstance(param, (list, tuple)):  # a backend may pass an IN list as one array parameter
        return type(param)(_with_ids(p, ids) for p in param)
    return param


def _rows(name: str, periods: list[Period], unit_ids: list[int] | None) -> list[dict]:
    compiled = _compiled(name, tuple(periods), None if unit_ids is None else len(unit_ids), connection.alias,
                         connection.vendor)
    params = compiled.params
    if unit_ids is not None:
        ids = {STAND_IN - i: uid for i, uid in enumerate(unit_ids)}
        params = tuple(_with_ids(p, ids) for p in params)
    return compiled.execute(params)


def measure(metric_ids: Iterable[str], periods: list[Period],
            unit_ids: list[int] | None = None) -> dict[int, list[Values]]:
    """``{unit id: [values of period 0, values of period 1, …]}``; units without any record are absent
    (their parts are all 0: use ``values_for``)."""
    metric_ids = list(metric_ids)
    parts: dict[int, list[dict]] = defaultdict(lambda: [defaultdict(int) for _ in periods])
    for name in source_names(metric_ids):
        for row in _rows(name, periods, unit_ids):
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
