"""Figures an uploaded report states that differ from the same facts computed from the unit's records: the
report says 开展廉洁纪律谈话98人（次） where the records give 61.

A fact is found in the text by its label followed by its figure (开展 廉洁纪律谈话 98 人（次）); longer labels are
tried first, so 警示教育大会1次 is not read as 警示教育1次. A label two facts share is ambiguous and skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..numbers import fixed, percent
from .findings import Finding, Source

MIN_LABEL = 3


@dataclass
class FactInput:
    id: str
    label: str  # 廉洁纪律谈话
    value: float | int | Decimal | None
    measure_word: str = ""  # 人（次）
    kind: str = "count"  # count, sum, money, ratio (a fraction the text gives as a percentage)
    records: list[str] = field(default_factory=list)


@dataclass
class StatedText:
    key: str
    label: str
    text: str
    unit: str | None = None
    period: str | None = None


_GAP = r"(?:共计|共|为|达|计)?"
_NUMBER = r"(\d+(?:\.\d+)?)\s*(%|％)?"


def _pattern(label: str) -> re.Pattern:
    return re.compile(re.escape(label) + _GAP + _NUMBER)


def _same(stated: Decimal, as_percent: bool, fact: FactInput) -> bool:
    """Whether the stated figure is the fact rounded as reports round (half up: 91.25% is 91.3%, 2.345 is 2.35)."""
    value = Decimal(str(fact.value))
    if as_percent or fact.kind == "ratio":
        return abs(stated - (value * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)) < Decimal("0.05")
    places = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0
    return stated == value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _display(fact: FactInput) -> str:
    if fact.kind == "ratio":
        return percent(Decimal(str(fact.value)))
    if fact.kind == "money":
        return f"{fixed(Decimal(str(fact.value)), 2)}{fact.measure_word}"
    return f"{fact.value}{fact.measure_word}"


#: a measure word as the records' facts write it, and as reports also write it (the report says 人次, many 人（次）)
SPELLINGS = {"人次": ("人次", "人（次）")}


def _spellings(measure_word: str) -> tuple[str, ...]:
    return SPELLINGS.get(measure_word, (measure_word,)) if measure_word else ()


def figure_findings(texts: list[StatedText], facts: list[FactInput]) -> list[Finding]:
    counts = Counter(f.label for f in facts)
    usable = sorted((f for f in facts if f.value is not None and len(f.label) >= MIN_LABEL and counts[f.label] == 1),
                    key=lambda f: -len(f.label))
    out = []
    for t in texts:
        taken: list[tuple[int, int]] = []
        for fact in usable:
            for m in _pattern(fact.label).finditer(t.text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                stated = Decimal(m.group(1))
                if _same(stated, bool(m.group(2)), fact):
                    continue
                end = m.end() + next((len(u) for u in _spellings(fact.measure_word) if t.text.startswith(u, m.end())), 0)
                said = t.text[m.start():end]
                out.append(Finding(
                    "figure", fact.kind,
                    f"{t.label}称“{said}”，台账记录为{fact.label}{_display(fact)}",
                    [Source(t.key, t.label, t.text, t.unit, t.period, [(m.start(), m.end())])],
                    detail={"fact": fact.id, "stated": float(stated), "recorded": float(fact.value),
                            "records": list(fact.records)}))
    return out
