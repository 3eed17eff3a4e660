"""All facts of one report, computed once: the basic situation, the period's work compared with the previous
period and the same period a year earlier, and the problems and measures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..org.models import Unit
from ..periods import Period
from ..assess.history import with_records
from ..assess.catalogue import change_rate
from .activity import activity_facts, expense_rows
from .basic import basic_facts
from .fact import Comparison, Fact, FactSet
from .rectification import rectification_facts

COMPARABLE = ("count", "sum", "money")


def compute_facts(unit: Unit, period: Period, on: date | None = None) -> FactSet:
    """``on``: the 成文日期, as of which the statuses (tasks, measures) are taken; figures are the period's."""
    facts = FactSet(basic_facts(unit, period.end))
    # a year's 上年同期 is its previous period, 上年; compared only with a period in which the unit recorded its
    # regular work (the trend chart's rule): before that, its registers are not kept and a difference says nothing
    comparisons = [("yoy", period.year_ago(), "上年" if period.kind == "year" else "上年同期", "year_ago")]
    if period.kind != "year":
        comparisons.append(("prev", period.previous(), "上期", "previous"))
    recorded = set(with_records(unit, [other for _, other, _, _ in comparisons]))
    others = list(dict.fromkeys(other for _, other, _, _ in comparisons if other in recorded))
    (current, _), *earlier = activity_facts(unit, [period, *others], on)  # the registers read once for all
    facts.extend(current)
    by_period = {other: ({f.id: f for f in found}, present) for other, (found, present) in zip(others, earlier)}
    for attr, other, against, suffix in comparisons:
        if other not in recorded:
            continue
        by_id, present = by_period[other]
        for f in current:
            basis = by_id[f.id]
            if f.kind in COMPARABLE and f.source in present:
                basis = replace(basis, id=f"{f.id}.{suffix}", label=f"{other.label}{basis.label}")
                setattr(f, attr, Comparison(f, basis, against))
    facts.add(_expense_driver(unit, period, facts["expense.spent"]))
    facts.extend(rectification_facts(unit, period, on))
    return facts


#: a change of 三公经费 beyond this share names the category behind most of it
DRIVEN = 0.20


def _expense_driver(unit: Unit, period: Period, spent: Fact) -> Fact:
    """The 三公 category whose own change makes up more than half of a change of more than 20% against the
    year before (its amount, 万元; its label the category); 0 when there is none to name."""
    none = Fact("expense.driver", "", 0, kind="money", measure_word="万元", source="publicexpense")
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
