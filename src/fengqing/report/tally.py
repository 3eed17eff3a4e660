"""Turning querysets into facts: the figures by SQL aggregates, the record ids by ``values_list``. The two are
separate queries on purpose: a test checks that they agree.

A report states a hundred figures of a few tables; what costs is not the database but Django compiling each
filtered aggregate and flag column. So the counts of an enumeration's values (``by_choice``: 谈话 by kind,
会议 by kind…) come from one ``GROUP BY`` of the field, and the rows carry the field itself, instead of one
``COUNT … FILTER`` and one flag per value; and the periods a report compares (its own, the one before, the same
one a year earlier) are read from a dated register in the same two queries, each row marked with its period
(:func:`tally_each`). And the report's tallies are prepared (:func:`prepared_tally`, :mod:`fengqing.prepared`):
their two queries are built and compiled once per process, then run with each unit's id and each period's dates
as parameters, so a report costs about what running its SQL costs."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import reduce
from types import SimpleNamespace

from django.db.models import (BooleanField, Case, Count, ExpressionWrapper, IntegerField, Q, QuerySet, Sum, Value,
                              When)

from .. import prepared
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


def traced() -> bool:
    """Whether facts list their records here (not within :func:`untraced`)."""
    return _TRACE.get()


@dataclass(frozen=True)
class Spec:
    id: str
    label: str
    q: Q | None = None  # None: every row of the queryset
    measure_word: str = ""
    total_of: str | None = None  # a field to sum instead of counting rows
    kind: str = "count"
    #: (field, value): the rows whose field holds the value, counted in one GROUP BY with the spec's siblings
    #: (``q`` says the same condition, for whoever reads the spec)
    choice: tuple[str, str] | None = None


def tally(qs: QuerySet, specs: list[Spec]) -> tuple[list[Fact], int]:
    """Facts for the specs, and the number of rows in ``qs`` (0 means the table holds nothing for the period,
    so there is nothing to compare with). Two queries whatever the number of specs: the aggregate (grouped by
    the field of the ``choice`` specs, if any), and the ids with one flag per other condition."""
    return _tally(qs, specs, 0)[0]


def tally_each(qs: QuerySet, specs: list[Spec], periods: int) -> list[tuple[list[Fact], int]]:
    """:func:`tally` of each of several periods in the same two queries: ``qs`` holds the rows of all of them,
    each annotated ``in_period`` with the index of its period (:func:`in_periods`)."""
    return _tally(qs, specs, periods)


def in_periods(qs: QuerySet, field: str, periods: list) -> QuerySet:
    """The rows of ``qs`` whose date ``field`` falls in one of the ``periods`` (which do not overlap), each
    annotated ``in_period`` with the index of its period."""
    ranges = [Q(**{f"{field}__range": (p.start, p.end)}) for p in periods]
    return qs.filter(reduce(operator.or_, ranges)).annotate(
        in_period=Case(*(When(r, then=Value(i)) for i, r in enumerate(ranges)), output_field=IntegerField()))


#: the specs of a prepared tally: a list, or a function of the inputs when their conditions depend on them
Specs = list[Spec] | Callable[[SimpleNamespace], list[Spec]]


def prepared_tally(source: prepared.Build, specs: Specs, **inputs: prepared.Input) -> tuple[list[Fact], int]:
    """:func:`tally` of the queryset ``source(v)``, its two queries prepared (:mod:`fengqing.prepared`): built
    and compiled once, then run with each call's ``inputs``. ``v`` holds the inputs; so must every value of
    ``source`` and ``specs`` that changes from one call to the next."""
    return _prepared(source, specs, 0, inputs)[0]


def prepared_tally_each(source: prepared.Build, specs: Specs, periods: list, field: str = "date",
                        **inputs: prepared.Input) -> list[tuple[list[Fact], int]]:
    """:func:`tally_each` of ``source(v)``'s rows whose date ``field`` falls in one of the ``periods``, the
    periods' dates bound as the input ``spans`` (the queries depend on their number only)."""
    def dated(v):
        return in_periods(source(v), field, v.spans)

    return _prepared(dated, specs, len(periods), {**inputs, "spans": prepared.spans(periods)})


def _prepared(source: prepared.Build, specs: Specs, periods: int, inputs: dict) -> list[tuple[list[Fact], int]]:
    listed = traced()
    mine = specs(SimpleNamespace(**inputs)) if callable(specs) else specs
    # the queries depend on the specs' conditions, not on their ids and labels: those are left out of the key
    bare = specs if callable(specs) else [Spec("", "", s.q, total_of=s.total_of, choice=s.choice) for s in specs]

    def plan(v) -> _Plan:
        return _Plan(bare(v) if callable(bare) else bare, periods, listed)

    def grouped(v):
        return plan(v).groups(source(v))

    def flagged(v):
        return plan(v).rows(source(v))

    key = (prepared.key_of(source), prepared.key_of(bare), periods, listed)  # what the two queries depend on
    groups = prepared.run_keyed(("groups", *key), grouped, **inputs)
    rows = prepared.run_keyed(("rows", *key), flagged, **inputs) if listed else []
    return _Plan(mine, periods, listed).facts(groups, rows, groups.model._meta.model_name)


def _tally(qs: QuerySet, specs: list[Spec], periods: int) -> list[tuple[list[Fact], int]]:
    plan = _Plan(specs, periods, traced())
    rows = list(plan.rows(qs)) if plan.listed else []
    return plan.facts(list(plan.groups(qs)), rows, qs.model._meta.model_name)


class _Plan:
    """The two queries of a tally and the facts from their rows."""

    def __init__(self, specs: list[Spec], periods: int, listed: bool):
        fields = {s.choice[0] for s in specs if s.choice is not None}
        if len(fields) > 1:
            raise ValueError(f"one choice field per tally: {sorted(fields)}")
        self.specs, self.periods, self.listed = specs, periods, listed
        self.field = next(iter(fields), None)
        self.group = (["in_period"] if periods else []) + ([self.field] if self.field else [])
        self.others = {i: s for i, s in enumerate(specs) if s.choice is None}
        #: the flag columns of the listed rows, after the id and the group fields
        self.flagged = {i: s.q for i, s in self.others.items() if s.q is not None}
        self.position = {i: n for n, i in enumerate(self.flagged, 1 + len(self.group))}
        #: the aggregates by name: (function, field, condition)
        self.wanted: dict[str, tuple] = {"all_rows": (Count, "pk", None)}
        for i, s in self.others.items():
            if s.total_of or s.q is not None:
                self.wanted[f"v{i}"] = (Sum, s.total_of, s.q) if s.total_of else (Count, "pk", s.q)
            if s.total_of and s.q is not None and not listed:
                self.wanted[f"n{i}"] = (Count, "pk", s.q)  # how many rows the sum is of

    def aggregates(self) -> dict:
        return {key: function(field, filter=q) for key, (function, field, q) in self.wanted.items()}

    def groups(self, qs: QuerySet) -> QuerySet:
        """The aggregates, one row per group (grouped, the whole's figures are the sums of its groups'); one row
        in all when nothing is grouped (``Value``: no GROUP BY)."""
        qs = qs.order_by()
        return (qs.values(*self.group) if self.group else qs.values(whole=Value(0))).annotate(**self.aggregates())

    def rows(self, qs: QuerySet) -> QuerySet:
        flags = {f"c{i}": ExpressionWrapper(q, output_field=BooleanField()) for i, q in self.flagged.items()}
        return qs.annotate(**flags).order_by("pk").values_list("pk", *self.group, *flags)

    def facts(self, groups: list[dict], rows: list[tuple], name: str) -> list[tuple[list[Fact], int]]:
        specs, periods, field, listed = self.specs, self.periods, self.field, self.listed
        at = 2 if periods else 1  # the choice field's column in a row
        out = []
        for period in range(max(periods, 1)):
            mine = [g for g in groups if not periods or g["in_period"] == period]
            own = [r for r in rows if not periods or r[1] == period]
            values = {key: _sum(g[key] for g in mine) for key in self.wanted}
            counts = {g[field]: g["all_rows"] for g in mine} if field else {}
            chosen: dict = {}
            for r in own if field else ():
                chosen.setdefault(r[at], []).append(r[0])
            facts = []
            for i, s in enumerate(specs):
                if s.choice is not None:
                    value = number = counts.get(s.choice[1], 0)
                    ids = chosen.get(s.choice[1], [])
                else:
                    value = values.get(f"v{i}", values["all_rows"])
                    number = values[f"n{i}"] if f"n{i}" in values else values["all_rows"] if s.total_of else value
                    col = self.position.get(i)
                    ids = [r[0] for r in own if col is None or r[col]]
                kind = "sum" if s.total_of and s.kind == "count" else s.kind
                facts.append(Fact(s.id, s.label, value or 0, [f"{name}:{pk}" for pk in ids], s.measure_word, kind,
                                  source=name, unlisted=None if listed else number or 0))
            out.append((facts, values["all_rows"] or 0))
        return out


def _sum(values):
    """A sum of groups' aggregates, None when every group's is (as SQL's SUM of no value)."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def by_choice(prefix: str, field: str, keys: dict[str, str], measure_word: str, label_fmt: str = "{}") -> list[Spec]:
    """One count spec per enumeration value: ``keys`` maps the Chinese value to the fact id's last part."""
    return [Spec(f"{prefix}.{key}", label_fmt.format(value), Q(**{field: value}), measure_word,
                 choice=(field, value))
            for value, key in keys.items()]


def ratio_fact(fact_id: str, label: str, part: Fact, whole: Fact) -> Fact:
    """part / whole, unknown (None) when whole is 0; its records are those of the part."""
    value = part.value / whole.value if whole.value else None
    return Fact(fact_id, label, float(value) if value is not None else None, list(part.records), kind="ratio",
                source=part.source)
