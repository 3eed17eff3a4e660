"""A validated indicator scheme (DESIGN §5), as immutable data. ``validate.parse_scheme`` builds it."""

from __future__ import annotations

from dataclasses import dataclass

from ...periods import Period

LINEAR, DEDUCTION = "linear", "deduction"


@dataclass(frozen=True)
class Template:
    """How a red indicator becomes a suggested problem; the texts are ``str.format`` templates."""

    title: str
    description: str
    aspect: str | None = None
    direction: str = ""  # 整改方向 the report gives a drafted problem that has no measures yet


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    weight: float = 1.0
    target: float = 0.0
    floor: float = 0.0
    per: str | None = None  # "year": target and floor are per year; "ytd": year to date
    deduct: float = 0.0  # deduction style: points per event …
    max: float = 0.0  # … up to this many points
    suggest: Template | None = None

    def scale(self, period: Period) -> float:
        """DESIGN §5 pro-rating: per year × months/12; year to date × (month of E)/12."""
        if self.per == "year":
            return period.months / 12
        if self.per == "ytd":
            return period.end.month / 12
        return 1.0

    def target_for(self, period: Period) -> float:
        return self.target * self.scale(period)

    def floor_for(self, period: Period) -> float:
        return self.floor * self.scale(period)


@dataclass(frozen=True)
class DimensionSpec:
    name: str
    weight: float
    aspect: str  # 方面 of the problems its indicators suggest
    indicators: tuple[IndicatorSpec, ...]

    def share(self, spec: IndicatorSpec) -> float:
        """The indicator's share of the dimension's indicator weights."""
        return spec.weight / sum(i.weight for i in self.indicators)


@dataclass(frozen=True)
class Grade:
    name: str
    min: float


@dataclass(frozen=True)
class Cap:
    indicator: str
    grade_at_most: str
    below: float | None = None
    above: float | None = None

    def applies(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.below is not None and value < self.below) or (self.above is not None and value > self.above)


@dataclass(frozen=True)
class Lights:
    green: float
    yellow: float

    def of(self, score: float | None) -> str | None:
        if score is None:
            return None
        return "green" if score >= self.green else "yellow" if score >= self.yellow else "red"


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    style: str
    grades: tuple[Grade, ...]  # best first
    lights: Lights
    caps: tuple[Cap, ...]
    dimensions: tuple[DimensionSpec, ...]
    suggestion: Template
    #: the lights whose indicators draft a problem (report 三, ``fengqing suggest``): red, optionally yellow
    suggest_lights: tuple[str, ...] = ("red",)
    base: float = 100.0  # deduction style: the score before any deduction
    source: str = ""  # the file it was read from

    @property
    def metric_ids(self) -> list[str]:
        return [spec.id for _, spec in self.indicators()]

    def indicators(self):
        """(dimension, indicator) pairs in the scheme's order."""
        return [(d, spec) for d in self.dimensions for spec in d.indicators]

    def grade_for(self, total: float | None) -> str | None:
        if total is None:
            return None
        return next((g.name for g in self.grades if total >= g.min), None)

    def grade_rank(self, name: str) -> int:
        """0 for the best grade."""
        return [g.name for g in self.grades].index(name)
