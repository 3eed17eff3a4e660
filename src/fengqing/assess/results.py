"""What an assessment returns: one ``UnitAssessment`` per unit, its ``as_dict()`` the DESIGN §8 JSON object."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..org.models import Unit
from ..periods import Period
from .schemes.model import Scheme


@dataclass
class IndicatorResult:
    id: str
    name: str
    dimension: str
    kind: str
    value: float | None
    target: float  # pro-rated for the period
    floor: float
    score: float | None
    light: str | None
    previous: float | None  # the value in the previous period of the same length
    year_ago: float | None  # the value in the same period a year earlier
    weight: float  # effective weight: the dimension's weight × the indicator's share of it
    deduction: float | None = None  # deduction style: the points this indicator took off

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "dimension": self.dimension, "value": self.value,
                "target": self.target, "floor": self.floor, "score": self.score, "light": self.light,
                "previous": self.previous, "year_ago": self.year_ago}


@dataclass
class UnitAssessment:
    unit: Unit
    period: Period
    scheme: Scheme
    total: float | None
    grade: str | None
    completeness: float
    dimensions: dict[str, float | None]
    indicators: list[IndicatorResult]
    #: the caps that lowered the grade, as ``(indicator id, grade before the cap)``
    capped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def light(self) -> str | None:
        """The light of the total (in a deduction scheme, the unit's 廉情码 colour)."""
        return self.scheme.lights.of(self.total)

    def indicator(self, metric_id: str) -> IndicatorResult:
        return next(i for i in self.indicators if i.id == metric_id)

    def as_dict(self) -> dict:
        return {"unit": self.unit.name, "period": self.period.code, "scheme": self.scheme.id,
                "total": self.total, "grade": self.grade, "completeness": self.completeness,
                "dimensions": dict(self.dimensions), "indicators": [i.as_dict() for i in self.indicators]}
