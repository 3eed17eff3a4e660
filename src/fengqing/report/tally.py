"""Turning querysets into facts: the figures by SQL aggregates, the record ids by ``values_list``. The two are
separate queries on purpose: a test checks that they agree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum

from .fact import Fact


#: whether :func:`tally` lists the records behind each figure; the web preview shows the figures only (each links
#: to its own page, which lists them), and with 50,000 records that list was half of the preview's work
_TRACE: ContextVar[bool] = ContextVar("fengqing_report_trace", default=True)


@contextmanager
def untraced() -> Iterator[None]:
    """Within it, facts come without their records (``Fact.records`` empty); values and texts are the same."""
    token = _TRACE.set(False)
    try:
        yield
    finally:
        _TRACE.reset(token)


@dataclass(frozen=True)
class Spec:
    id: str
    label: str
    q: Q | None = None  # None: every row of the queryset
    measure_word: str = ""
    total_of: str | None = None  # a field to sum instead of counting rows
    kind: str = "count"


def tally(qs: QuerySet, specs: list[Spec]) -> tuple[list[Fact], int]:
    """Facts for the specs, and the number of rows in ``qs`` (0 means the table holds nothing for the period,
    so there is nothing to compare with). Two queries whatever the number of specs: the aggregate, and the ids
    with one flag per condition."""
    traced = _TRACE.get()
    aggregates = {"all_rows": Count("pk")}
    flags = {}
    for i, s in enumerate(specs):
        aggregates[f"v{i}"] = Sum(s.total_of, filter=s.q) if s.total_of else Count("pk", filter=s.q)
        if s.q is not None:
            flags[f"c{i}"] = ExpressionWrapper(s.q, output_field=BooleanField())
            if s.total_of and not traced:
                aggregates[f"n{i}"] = Count("pk", filter=s.q)
    values = qs.aggregate(**aggregates)
    rows = list(qs.annotate(**flags).order_by("pk").values_list("pk", *flags)) if traced else []
    name = qs.model._meta.model_name
    columns = {key: n for n, key in enumerate(flags, 1)}
    facts = []
    for i, s in enumerate(specs):
        col = columns.get(f"c{i}")
        ids = [row[0] for row in rows if col is None or row[col]]
        kind = "sum" if s.total_of and s.kind == "count" else s.kind
        unlisted = None if traced else (
            values["all_rows"] if s.q is None else values[f"n{i}"] if s.total_of else values[f"v{i}"])
        facts.append(Fact(s.id, s.label, values[f"v{i}"] or 0, [f"{name}:{pk}" for pk in ids], s.measure_word, kind,
                          source=name, unlisted=unlisted))
    return facts, values["all_rows"]


def by_choice(prefix: str, field: str, keys: dict[str, str], measure_word: str, label_fmt: str = "{}") -> list[Spec]:
    """One count spec per enumeration value: ``keys`` maps the Chinese value to the fact id's last part."""
    return [Spec(f"{prefix}.{key}", label_fmt.format(value), Q(**{field: value}), measure_word)
            for value, key in keys.items()]


def ratio_fact(fact_id: str, label: str, part: Fact, whole: Fact) -> Fact:
    """part / whole, unknown (None) when whole is 0; its records are those of the part."""
    value = part.value / whole.value if whole.value else None
    return Fact(fact_id, label, float(value) if value is not None else None, list(part.records), kind="ratio",
                source=part.source)
