"""All facts of one report, computed once: the basic situation, the period's work compared with the previous
period and the same period a year earlier, and the problems and measures; or one of them, computing only the
part of the report it belongs to (a fact page lists the records behind one figure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import NamedTuple

from ..org.models import Unit
from ..periods import Period
from ..assess.history import with_records
from ..assess.catalogue import change_rate
from .activity import PARTS, activity_facts, expense_rows
from .basic import basic_facts
from .fact import Comparison, Fact, FactSet
from .rectification import PREFIXES as RECTIFICATION_PREFIXES, rectification_facts

COMPARABLE = ("count", "sum", "money")
#: the fact that names the 三公 category behind most of a change against the year before
DRIVER = "expense.driver"


class Against(NamedTuple):
    """An earlier period a figure is compared with: the Fact attribute the comparison goes in, the words for it,
    and the suffix of its basis fact's id (``talk.total.year_ago``)."""

    attr: str
    period: Period
    words: str
    suffix: str


def comparisons(period: Period) -> list[Against]:
    """The periods the report compares with, if recorded (:func:`recorded`): a year's 上年同期 is its previous
    period, 上年, so a year has only that one."""
    out = [Against("yoy", period.year_ago(), "上年" if period.kind == "year" else "上年同期", "year_ago")]
    if period.kind != "year":
        out.append(Against("prev", period.previous(), "上期", "previous"))
    return out


def recorded(unit: Unit, against: list[Against]) -> list[Against]:
    """Those of ``against`` in which the unit recorded its regular work (the trend chart's rule): before that, its
    registers are not kept and a difference says nothing. No query for none."""
    found = set(with_records(unit, [a.period for a in against])) if against else set()
    return [a for a in against if a.period in found]


def compute_facts(unit: Unit, period: Period, on: date | None = None) -> FactSet:
    """``on``: the 成文日期, as of which the statuses (tasks, measures) are taken; figures are the period's."""
    facts = FactSet(basic_facts(unit, period.end))
    facts.extend(_section_two(unit, period, on, comparisons(period)))
    facts.extend(rectification_facts(unit, period, on))
    return facts


def compute_fact(unit: Unit, period: Period, fact_id: str, on: date | None = None) -> Fact | None:
    """The fact that ``compute_facts(unit, period, on).everything()`` holds under ``fact_id`` (None: none), computing
    only the section it belongs to: of section 二, only its register's part (``activity.PARTS``), and only in the
    earlier period when it is the basis of a comparison (both for the 三公 driver, which needs the year before)."""
    prefix = fact_id.split(".", 1)[0]
    if prefix == "basic":
        found = basic_facts(unit, period.end)
    elif prefix in RECTIFICATION_PREFIXES:
        found = rectification_facts(unit, period, on)
    elif prefix in PARTS:
        basis_of = [a for a in comparisons(period) if fact_id.endswith(f".{a.suffix}")]
        if basis_of:
            found = _bases(unit, recorded(unit, basis_of), prefix)
        else:
            driver = [a for a in comparisons(period) if fact_id == DRIVER and a.attr == "yoy"]
            found = _section_two(unit, period, on, driver, [prefix])
    else:
        return None
    return next((f for f in FactSet(found).everything() if f.id == fact_id), None)


def _section_two(unit: Unit, period: Period, on: date | None, against: list[Against],
                 prefixes: list[str] | None = None) -> list[Fact]:
    """The facts of the period's work (of the parts of ``prefixes``, default all), each compared with those of
    ``against`` periods that were recorded, where that register holds records of the earlier period."""
    against = recorded(unit, against)
    others = list(dict.fromkeys(a.period for a in against))
    (current, _), *earlier = activity_facts(unit, [period, *others], on, prefixes)  # the registers read once for all
    by_period = {other: ({f.id: f for f in found}, present) for other, (found, present) in zip(others, earlier)}
    for a in against:
        by_id, present = by_period[a.period]
        for f in current:
            basis = _basis(by_id[f.id], a, present)
            if basis is not None:
                setattr(f, a.attr, Comparison(f, basis, a.words))
    if prefixes is None or "expense" in prefixes:
        current.append(_expense_driver(unit, period, next(f for f in current if f.id == "expense.spent")))
    return current


def _bases(unit: Unit, against: list[Against], prefix: str) -> list[Fact]:
    """The facts of the part ``prefix`` that this period's are compared with in the recorded earlier periods
    ``against``, without reading this period's rows (a comparison's basis does not depend on them)."""
    out = []
    for a in against:
        # alone, the earlier period comes first: no 成文日期, so its tasks are taken at its end, as beside this one
        [(found, present)] = activity_facts(unit, [a.period], None, [prefix])
        out.extend(basis for basis in (_basis(f, a, present) for f in found) if basis is not None)
    return out


def _basis(earlier: Fact, a: Against, present: set[str]) -> Fact | None:
    """The fact of the earlier period of ``a`` as the basis of a comparison, None when there is none: only counts,
    sums and amounts are compared, and only where their register holds records of that period."""
    if earlier.kind not in COMPARABLE or earlier.source not in present:
        return None
    return replace(earlier, id=f"{earlier.id}.{a.suffix}", label=f"{a.period.label}{earlier.label}")


#: a change of 三公经费 beyond this share names the category behind most of it
DRIVEN = 0.20


def _expense_driver(unit: Unit, period: Period, spent: Fact) -> Fact:
    """The 三公 category whose own change makes up more than half of a change of more than 20% against the
    year before (its amount, 万元; its label the category); 0 when there is none to name."""
    none = Fact(DRIVER, "", 0, kind="money", measure_word="万元", source="publicexpense")
    rate = change_rate(spent.value, spent.yoy.basis.value) if spent.yoy else None
    if rate is None or abs(rate) <= DRIVEN:
        return none
    sums = [{c: (total or 0, ids) for c, total, ids in _by_category(rows)}
            for rows in (expense_rows(unit, period), expense_rows(unit, period.year_ago()))]
    total = spent.value - spent.yoy.basis.value
    deltas = {c: sums[0].get(c, (0, []))[0] - sums[1].get(c, (0, []))[0] for c in {*sums[0], *sums[1]}}
    category = max(sorted(deltas), key=lambda c: deltas[c] if total > 0 else -deltas[c])
    if deltas[category] / total <= 0.5:
        return none
    records = [f"publicexpense:{pk}" for part in sums for pk in part.get(category, (0, []))[1]]
    return replace(none, label=category, value=abs(deltas[category]), records=records)


def _by_category(rows):
    found: dict[str, tuple] = {}
    for pk, category, amount in rows.order_by("pk").values_list("pk", "category", "spent"):
        total, ids = found.get(category, (0, []))
        found[category] = (total + amount, [*ids, pk])
    return [(c, t, ids) for c, (t, ids) in found.items()]
