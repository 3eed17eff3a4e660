"""纸面销号: different measures closed with the same completion note or the same evidence file (same SHA-256),
as discipline bodies find when rectification is closed on paper."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .findings import Finding, Source
from .text import normalise

MIN_NOTE = 6  # normalised characters; 已完成。 is no evidence of copying


@dataclass
class ClosureInput:
    """One measure with what was given as proof of its completion."""

    key: str
    label: str  # 水务局 2023H1 问题 P-01 的整改措施
    text: str
    unit: str | None = None
    period: str | None = None
    notes: list[str] = field(default_factory=list)  # completion notes (说明 of the evidence files)
    files: list[tuple[str, str]] = field(default_factory=list)  # (file name, SHA-256 of its content)


def closure_findings(measures: list[ClosureInput]) -> list[Finding]:
    by_note: dict[str, dict[str, tuple[ClosureInput, str]]] = defaultdict(dict)
    by_hash: dict[str, dict[str, tuple[ClosureInput, str]]] = defaultdict(dict)
    for m in measures:
        for note in m.notes:
            if len(normalise(note)) >= MIN_NOTE:
                by_note[normalise(note)].setdefault(m.key, (m, note))
        for name, digest in m.files:
            by_hash[digest].setdefault(m.key, (m, name))
    out = []
    for groups, subkind, what in ((by_note, "same_note", "完成说明完全相同"),
                                  (by_hash, "same_file", "佐证材料为同一文件（SHA-256 相同）")):
        for value, found in groups.items():
            if len(found) < 2:
                continue
            items = list(found.values())
            out.append(Finding(
                "paper_closure", subkind, f"{len(items)}项不同的整改措施{what}：“{items[0][1]}”",
                [Source(m.key, m.label, m.text, m.unit, m.period) for m, _ in items],
                # the shared note (normalised) or the file's SHA-256, and each measure's note or file name
                detail={"shared": value, "given": [v for _, v in items]}))
    return out
