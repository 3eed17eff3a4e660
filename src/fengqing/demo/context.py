"""What every builder of a demo unit's records needs: the unit, its profile and staff, the random source,
and the filling of text templates."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from ..org.models import Unit
from ..periods import half_year_of
from .profiles import Practice, UnitProfile
from .staff import Staff


@dataclass
class Context:
    unit: Unit
    profile: UnitProfile
    staff: Staff
    rng: random.Random
    #: the day of each year's 述责述廉 meeting, shared by the meeting and the duty reports
    duty_days: dict[int, date]

    @property
    def practice(self) -> Practice:
        return self.profile.practice

    def fill(self, template: str, when: date, **extra: str) -> str:
        """The template with the unit's words and those of the date (see vocabulary's docstring)."""
        p = self.profile
        words = {
            "unit": p.name, "short": p.short_name, "body": p.name + p.party_body, "party": p.party_short,
            "group": p.group, "field": p.field, "law": p.field_law, "field_study": p.field_study,
            "work": self.rng.choice(p.field_work), "year": when.year, "prev_year": when.year - 1,
            "next_year": when.year + 1, "prev": half_year_of(when).previous().label,
        }
        return template.format(**(words | extra))
