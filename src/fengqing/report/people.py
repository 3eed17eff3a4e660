"""People as the report prints them: by name, never by 工号 (DESIGN §6). A 责任人 may be recorded as a name, a
工号 or several of either ("P00012、李四"); each 工号 of the unit's people becomes that person's name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..org.models import Person, Unit

_SEPARATORS = re.compile(r"([、，,；;／/\s]+)")


def people_names(unit: Unit, texts: Iterable[str]) -> dict[str, str]:
    """Each text that names someone by 工号 → the same text with names instead (one query)."""
    texts = {t for t in texts if t}
    parts = {p for t in texts for p in _SEPARATORS.split(t) if p and not _SEPARATORS.fullmatch(p)}
    by_no = dict(Person.objects.filter(unit=unit, staff_no__in=parts).values_list("staff_no", "name"))
    if not by_no:
        return {}
    return {t: "".join(by_no.get(p, p) for p in _SEPARATORS.split(t)) for t in texts}
