"""What the reader reports: one :class:`Finding` per thing a supervisor should look at, with the texts'
sources and, where text was copied, the spans (character offsets into each text)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: finding kinds, in the order the page and the JSON list them, with their Chinese names
KINDS = {
    "copy": "雷同段落",
    "boilerplate": "套话占比",
    "measure": "问题与措施",
    "paper_closure": "纸面销号",
    "figure": "数字与台账不符",
}
#: the kinds of copy (``Finding.subkind`` of a copy)
COPY_KINDS = {"cross_period": "跨时抄", "cross_unit": "跨地抄", "model_text": "抄范文"}


@dataclass
class Source:
    """One text a finding is about: where it is from, its text and the spans that matter in it."""

    key: str
    label: str
    text: str = ""
    unit: str | None = None
    period: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "unit": self.unit, "period": self.period,
                "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass
class Finding:
    kind: str  # a key of KINDS
    subkind: str  # copy: a key of COPY_KINDS; measure: irrelevant/vague/no_owner/no_deadline/restates; …
    message: str  # one Chinese sentence saying what was found
    sources: list[Source]
    score: float | None = None  # similarity, share or relevance in [0, 1], where the finding has one
    detail: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return COPY_KINDS[self.subkind] if self.kind == "copy" else KINDS[self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "subkind": self.subkind, "label": self.kind_label, "message": self.message,
                "score": None if self.score is None else round(self.score, 4),
                "sources": [s.as_dict() for s in self.sources], "detail": self.detail}
