"""Sentences fengqing's own templates write: identical in every unit's report by design, so they are left out
of copy detection and of the 套话 share.

The fixed wording of a template is what lies outside its Jinja tags (and the quoted words inside them, such as
a ``seq(("党组会", …))`` item). A sentence counts as generated when at least :data:`COVERED` of its
characters, figures aside, lie in such fixed pieces.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from .text import normalise

# the report's built-in sentence templates (report.phrasing.BUILTIN), found without loading Django, so the
# reader also runs on texts outside any database (the benchmark)
BUILTIN = files("fengqing.report") / "templates" / "sentences"
COVERED = 0.6
MIN_PIECE = 4  # shorter fixed pieces (，其中、) occur in any text
_TAG = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_TITLES = re.compile(r"《[^》]*》")
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


@lru_cache(maxsize=1)
def template_pieces() -> tuple[str, ...]:
    pieces: set[str] = set()
    for path in sorted((p for p in BUILTIN.iterdir() if p.name.endswith(".j2")), key=lambda p: p.name):
        source = path.read_text(encoding="utf-8")
        for tag in _TAG.findall(source):
            if not tag.startswith("{#"):
                pieces.update(normalise(q) for q in _QUOTED.findall(tag))
        pieces.update(normalise(part) for part in _TAG.split(source))
    # longest first, so a long piece is tried before a short piece it contains
    return tuple(sorted((p for p in pieces if len(p) >= MIN_PIECE and not p.isascii()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _pieces_pattern() -> re.Pattern:
    return re.compile("|".join(re.escape(p) for p in template_pieces()))


@lru_cache(maxsize=1)
def _piece_bigrams() -> frozenset[str]:
    return frozenset(p[i:i + 2] for p in template_pieces() for i in range(len(p) - 1))


def is_generated(sentence: str) -> bool:
    # figures and the titles of documents (《…》) come from records, not from the template
    key = re.sub(r"\d+", "", normalise(_TITLES.sub("", sentence)))
    if len(key) < MIN_PIECE:
        return False
    # a quick no first: a covered piece of n ≥ MIN_PIECE characters holds n − 1 of the pieces' character pairs
    bigrams = _piece_bigrams()
    if sum(key[i:i + 2] in bigrams for i in range(len(key) - 1)) < COVERED * len(key) * (1 - 1 / MIN_PIECE):
        return False
    covered = sum(len(m.group()) for m in _pieces_pattern().finditer(key))
    return covered >= COVERED * len(key)
