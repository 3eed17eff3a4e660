"""Facts: every figure the report states, with the records it was computed from.

A fact renders itself (in a sentence template) as a marked run, so the document knows which figure a piece of
text is; it is false when its value is zero or unknown, so a template's ``{% if %}`` drops a sentence that
would say "开展…0次".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..assess.catalogue import change_rate
from ..numbers import fixed, percent
from .runs import mark

@dataclass(eq=False)
class Fact:
    id: str
    label: str
    value: int | float | Decimal | None
    records: list[str] = field(default_factory=list)
    measure_word: str = ""  # 次, 人, 个 … after the figure
    #: count: a number of records; sum: a total over records; money: 万元; ratio: a fraction shown as a
    #: percentage; titles: documents named in 《》 (the value is their number)
    kind: str = "count"
    titles: tuple[str, ...] = ()
    #: the model whose records this fact counts: a comparison is made only where that table has records
    source: str = ""
    #: how many records the figure is computed from when they are not listed (``tally.untraced``)
    unlisted: int | None = None
    yoy: Comparison | None = None
    prev: Comparison | None = None

    @property
    def counted(self) -> int:
        """How many records the figure is computed from, listed or not."""
        return len(self.records) if self.unlisted is None else self.unlisted

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.kind == "money":
            return fixed(self.value, 2)
        if self.kind == "ratio":
            return percent(self.value)
        if self.kind == "titles":
            return "".join(f"《{t}》" for t in self.titles)
        return str(self.value)

    @property
    def text(self) -> str:
        if self.kind == "titles":
            return f"{self.label}：{self.display}" if self.titles else f"{self.label}：无"
        return f"{self.label}{self.display}{self.measure_word if self.value is not None else ''}"

    def as_dict(self) -> dict:
        value = float(round(self.value, 2)) if isinstance(self.value, Decimal) else self.value
        if isinstance(value, float) and self.kind == "ratio":
            # only float noise goes: a rate the assessment also computes must read the same in both JSONs
            value = round(value, 9)
        return {"id": self.id, "text": self.text, "value": value, "records": list(self.records)}

    def __str__(self) -> str:
        return mark(self.display, "fact", self.id)

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(eq=False)
class Comparison:
    """This period's fact against the same fact of an earlier period; the words come from the numbers only."""

    current: Fact
    basis: Fact
    against: str  # 上年同期 / 上期

    @property
    def delta(self):
        return self.current.value - self.basis.value

    @property
    def word(self) -> str:
        if self.delta == 0:
            return "持平"
        if self.current.kind == "money":
            return "增长" if self.delta > 0 else "下降"
        return "增加" if self.delta > 0 else "减少"

    @property
    def phrase(self) -> str:
        if self.delta == 0:
            return f"与{self.against}持平"
        if self.current.kind == "money":
            rate = change_rate(self.current.value, self.basis.value)
            if rate is not None:
                return f"较{self.against}{self.word}{percent(abs(rate))}"
            return f"较{self.against}{self.word}{fixed(abs(self.delta), 2)}万元"
        return f"较{self.against}{self.word}{abs(self.delta)}{self.current.measure_word}"

    def __str__(self) -> str:
        return mark(self.phrase, "fact", self.basis.id)

    def __bool__(self) -> bool:
        return True


class FactSet:
    """The facts of one report, by id, in the order they were computed."""

    def __init__(self, facts: list[Fact] = ()):
        self._facts: dict[str, Fact] = {}
        for f in facts:
            self.add(f)

    def add(self, fact: Fact) -> Fact:
        self._facts[fact.id] = fact
        return fact

    def extend(self, facts) -> None:
        for f in facts:
            self.add(f)

    def __getitem__(self, fact_id: str) -> Fact:
        return self._facts[fact_id]

    def __iter__(self):
        return iter(self._facts.values())

    def everything(self) -> list[Fact]:
        """Every fact, each followed by the earlier-period facts it is compared with."""
        out = []
        for f in self._facts.values():
            out.append(f)
            out.extend(c.basis for c in (f.prev, f.yoy) if c is not None)
        return out

    def tree(self) -> dict:
        """Facts nested by their dotted ids (``talk.integrity`` → tree["talk"]["integrity"]) for templates."""
        root: dict = {}
        for f in self._facts.values():
            *path, leaf = f.id.split(".")
            node = root
            for part in path:
                node = node.setdefault(part, {})
            node[leaf] = f
        return root
