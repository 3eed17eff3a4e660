"""The texts the reader compares, and how it cuts them into sentences and character n-grams.

A :class:`Text` is one paragraph a person wrote (a leadership paragraph, a problem, a measure, a paragraph of an
uploaded report or of a model text), with where it came from. Texts of one unit and period belong to one
report (:attr:`Text.report`); copying is looked for between reports, never inside one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: kinds of text; unit texts carry a unit and a period, model texts (范文) a file name
KINDS = {"narrative": "领导班子撰写", "problem": "问题", "measure": "整改措施", "upload": "上传报告",
         "corpus": "范文"}

#: a sentence: from its first non-blank character to its end mark (or the line's last non-blank character)
_SENTENCE = re.compile(r"[^。！？；!?;\s](?:[^。！？；!?;\n]*[。！？；!?;]|[^。！？；!?;\n]*[^。！？；!?;\s])?")
#: what normalisation drops: everything that is not a letter, a digit or a CJK character
_NOISE = re.compile(r"[\W_]+")
#: full-width letters and digits (Ａ１) to half-width ones, one character for one (unlike NFKC, which is also
#: five times slower on these texts); full-width punctuation needs no folding, normalisation drops it
_FULL_WIDTH = re.compile("[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]")
_WIDTH = {c: c - 0xFEE0 for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


def fold_width(text: str) -> str:
    # translate() maps character by character in Python: only when there is something to fold
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Text:
    key: str  # stable: "narrative:12:0", "problem:5", "upload:3:7", "corpus:范文.docx:2"
    kind: str
    text: str
    unit: str | None = None  # the unit's name; None for a model text
    period: str | None = None  # the period's code
    label: str = ""  # where a reader finds it: 水务局 2023H1 纪律作风（领导班子撰写）

    @property
    def report(self) -> str:
        """The report this text is part of: one unit and period, or one model-text file."""
        if self.unit is not None:
            return f"{self.unit}|{self.period or ''}"
        return self.key.rsplit(":", 1)[0]

    @property
    def report_label(self) -> str:
        if self.unit is not None:
            return f"{self.unit} {self.period or ''}".strip()
        return self.report.split(":", 1)[-1]


def normalise(text: str) -> str:
    """Full-width forms folded (ＡＢ１ → AB1), punctuation and spaces dropped: what n-grams and sentence keys
    are taken of, so a changed comma or a space does not hide a copy."""
    return _NOISE.sub("", fold_width(text))


def sentence_key(sentence: str) -> str:
    """Normalised, with every number replaced by 0: the same sentence with another figure is the same 套话."""
    return _DIGITS.sub("0", normalise(sentence))


def sentences(text: str) -> list[tuple[int, int]]:
    """The spans (start, end) of the text's sentences, each ending after its 。！？；, blanks trimmed."""
    return [m.span() for m in _SENTENCE.finditer(text)]


def paragraphs(text: str) -> list[str]:
    """Non-empty lines: how a plain text, a Word document or an extracted PDF is cut into paragraphs."""
    return [p.strip() for p in text.splitlines() if p.strip()]
