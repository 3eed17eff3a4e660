"""Redaction (``--redact``), as the seed report was published (DESIGN §6): the unit's names keep only their
organ word (河川市水务局 / 水务局 → **局), its domain word is masked wherever it appears (水务系统 → **系统),
people's names become ***, a count of one digit becomes *, of more **, and dates keep only the year. In the
JSON, identifiers (ids, period codes, the scheme's id) keep their digits.

It works on the document model, so every renderer is redacted alike; record ids are dropped from the facts.
Figures are left out: a chart shows its values by the height of its points, which no mask can hide.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..org.models import Person, Unit
from .document import Appendix, Closing, Document, Figure, Heading, Paragraph, Table, Title, block_runs, walk
from .naming import REGION_SUFFIXES, unit_names
from .runs import Run

_FULL_DATE = re.compile(r"(\d{4})\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-/.]\d{1,2}[-/.]\d{1,2})")
_SHORT_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: JSON keys whose values identify rather than state (indicator and fact ids, period codes, the scheme's id):
#: their digits are no figures, so only names are masked in them (a unit may name a scheme after itself)
IDENTIFIER_KEYS = frozenset({"id", "period", "scheme"})


def mask_number(text: str) -> str:
    return "*" if sum(c.isdigit() for c in text) == 1 else "**"


class Redactor:
    def __init__(self, unit: Unit, extra_names: set[str] = frozenset()):
        names = unit_names(unit)
        organ = f"**{names.organ}"
        words = {unit.name: organ, unit.short_name: organ}
        if names.region:
            suffix = next((s for s in REGION_SUFFIXES if names.region.endswith(s)), "")
            words[names.region] = f"**{suffix}"
        if len(names.domain) >= 2:
            words[names.domain] = "**"
        people = set(Person.objects.filter(unit=unit).values_list("name", flat=True)) | set(extra_names)
        words.update({p: "***" for p in people if len(p) >= 2 and p not in words})
        self._words = words
        self._pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))

    def names(self, text: str) -> str:
        return self._pattern.sub(lambda m: self._words[m.group()], text)

    def text(self, text: str) -> str:
        text = self.names(text)
        text = _FULL_DATE.sub(lambda m: f"{m.group(1)}年", text)
        text = _SHORT_DATE.sub("*月*日", text)
        return _NUMBER.sub(self._number, text)

    @staticmethod
    def _number(m: re.Match) -> str:
        after = m.string[m.end():m.end() + 1]
        if len(m.group()) == 4 and after == "年":
            return m.group()
        return mask_number(m.group())

    def run(self, run: Run) -> Run:
        if run.kind == "label":
            return run
        if run.kind == "name":
            return replace(run, text="***")
        if run.kind == "date":
            return replace(run, text=_FULL_DATE.sub(lambda m: f"{m.group(1)}年", run.text))
        return replace(run, text=self.text(run.text))

    def runs(self, runs: list[Run]) -> list[Run]:
        return [self.run(r) for r in runs]

    def blocks(self, blocks: list) -> list:
        return [self.block(b) for b in blocks if not isinstance(b, Figure)]

    def block(self, b):
        if isinstance(b, Heading):
            return replace(b, runs=self.runs(b.runs), inline=self.runs(b.inline), children=self.blocks(b.children))
        if isinstance(b, Table):
            return replace(b, rows=[[self.runs(cell) for cell in row] for row in b.rows])
        if isinstance(b, Appendix):
            return replace(b, title=self.runs(b.title), children=self.blocks(b.children))
        if isinstance(b, Closing):
            return replace(b, signer=self.text(b.signer), date=self.text(b.date), attachment=self.text(b.attachment))
        if isinstance(b, (Paragraph, Title)):
            return replace(b, runs=self.runs(b.runs))
        raise TypeError(f"unknown block {b!r}")

    def value(self, v, key: str | None = None):
        """Any JSON value: numbers masked, strings redacted as text (identifiers: names only), containers
        walked."""
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, (int, float)):
            return mask_number(f"{v:g}" if isinstance(v, float) else str(v))
        if isinstance(v, str):
            return self.names(v) if key in IDENTIFIER_KEYS else self.text(v)
        if isinstance(v, dict):
            return {k: self.value(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return self.text(str(v))

    def document(self, doc: Document) -> Document:
        facts = [{"id": f["id"], "text": self.text(f["text"]), "value": self.value(f["value"]), "records": []}
                 for f in doc.facts]
        # the grade and the lights are published only with the appendix that states them
        appended = any(isinstance(b, Appendix) for b in doc.blocks)
        return replace(doc, unit=self.text(doc.unit), title=self.block(doc.title),
                       blocks=self.blocks(doc.blocks), facts=facts,
                       basic={k: self.value(v) for k, v in doc.basic.items()},
                       assessment=self.value(doc.assessment) if appended else None, redacted=True)


def redact(doc: Document, unit: Unit) -> Document:
    named = {r.text for b in walk(doc.blocks) for runs in block_runs(b) for r in runs if r.kind == "name"}
    return Redactor(unit, named).document(doc)
