"""The one honest-wording rule of the sentence templates (DESIGN §6): a sentence that reports a figure with an
indicator words it by that indicator's light — green positively, yellow (or no light) neutrally, red by stating
the shortfall — so a shortfall is never praised. Templates read ``tone.<indicator id>``."""

from __future__ import annotations

from ..assess.results import UnitAssessment

POSITIVE, NEUTRAL, SHORTFALL = "positive", "neutral", "shortfall"
_BY_LIGHT = {"green": POSITIVE, "yellow": NEUTRAL, "red": SHORTFALL}


class Tones(dict):
    """Indicator id → tone; an indicator the scheme does not assess is worded neutrally."""

    def __missing__(self, key: str) -> str:
        return NEUTRAL


def tones(assessed: UnitAssessment) -> Tones:
    return Tones({i.id: _BY_LIGHT.get(i.light or "", NEUTRAL) for i in assessed.indicators})
