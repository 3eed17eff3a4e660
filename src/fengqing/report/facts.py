"""All facts of one report, computed once: the basic situation, the period's work compared with the previous
period and the same period a year earlier, and the problems and measures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..org.models import Unit
from ..periods import Period
from .activity import activity_facts
from .basic import basic_facts
from .fact import Comparison, Fact, FactSet
from .rectification import rectification_facts

COMPARABLE = ("count", "sum", "money")


def compute_facts(unit: Unit, period: Period, on: date | None = None) -> FactSet:
    """``on``: the 成文日期, as of which the statuses (tasks, measures) are taken; figures are the period's."""
    facts = FactSet(basic_facts(unit, period.end))
    current, _ = activity_facts(unit, period, on)
    facts.extend(current)
    earlier: dict[str, tuple[dict[str, Fact], set[str]]] = {}
    for attr, other, against, suffix in (("yoy", period.year_ago(), "上年同期", "year_ago"),
                                         ("prev", period.previous(), "上期", "previous")):
        if other.code not in earlier:
            found, present = activity_facts(unit, other)
            earlier[other.code] = ({f.id: f for f in found}, present)
        by_id, present = earlier[other.code]
        for f in current:
            basis = by_id[f.id]
            if f.kind in COMPARABLE and f.source in present:
                basis = replace(basis, id=f"{f.id}.{suffix}", label=f"{other.label}{basis.label}")
                setattr(f, attr, Comparison(f, basis, against))
    facts.extend(rectification_facts(unit, period, on))
    return facts
