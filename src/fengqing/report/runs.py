"""Runs: the pieces of text a paragraph is made of, and how sentence templates mark them.

A template's output is plain text in which a figure, a person's name, a date or a list label is wrapped in
private-use characters naming its kind and, for a figure, the fact it states. :func:`to_runs` turns that text
back into runs, so every renderer can tell a figure (and the records behind it) from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN, _REF, _TEXT, _CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
_MARK = re.compile(f"{_OPEN}(\\w+){_REF}([^{_TEXT}]*){_TEXT}([^{_CLOSE}]*){_CLOSE}")
_MARK_CHARS = re.compile(f"[{_OPEN}{_REF}{_TEXT}{_CLOSE}]")

#: fact: a figure (``fact`` names it); name: a person's name; date: a calendar date; label: list numbering;
#: break: a line break chosen for the title (its text is empty)
KINDS = ("text", "fact", "name", "date", "label", "break")


@dataclass(frozen=True)
class Run:
    text: str
    kind: str = "text"
    fact: str | None = None


def mark(text: str, kind: str, ref: str = "") -> str:
    return f"{_OPEN}{kind}{_REF}{ref}{_TEXT}{clean(text)}{_CLOSE}"


def clean(text: str) -> str:
    """Text from records or users, stripped of the marker characters so it cannot forge a figure."""
    return _MARK_CHARS.sub("", str(text))


def to_runs(marked: str) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for m in _MARK.finditer(marked):
        if m.start() > pos:
            runs.append(Run(marked[pos:m.start()]))
        kind, ref, text = m.groups()
        runs.append(Run(text, kind, ref or None))
        pos = m.end()
    if pos < len(marked):
        runs.append(Run(marked[pos:]))
    return runs


def plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs)


def text_width(text: str) -> float:
    """The text's width in full-width characters: an ASCII character takes half of one."""
    return sum(0.5 if c.isascii() else 1 for c in text)
