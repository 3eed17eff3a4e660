"""The sentences of a text the reader compares: generated sentences (:mod:`.generated`) and very short ones
left out, each with its span, its normalised form and the key under which the same sentence is counted
across reports (numbers folded, so only the figure changed is still the same sentence)."""

from __future__ import annotations

import gc
from typing import NamedTuple

from .generated import is_generated
from .text import _DIGITS, _NOISE, Text, fold_width, sentences

MIN_SENTENCE = 6  # normalised characters; shorter ones (加强学习。) say too little to count as copied


class Sentence(NamedTuple):  # a tuple: millions are made, and a tuple is the cheapest object to make
    start: int
    end: int
    norm: str
    key: int  # hash of the normalised sentence with its numbers folded


#: texts that may hold sentences fengqing generated: a report written (or edited) outside fengqing, a model text
#: made from one. Paragraphs typed into fengqing (leadership texts, problems, measures) are the writer's own.
MAY_HOLD_GENERATED = ("upload", "corpus")


def written_sentences(text: str, may_hold_generated: bool = True) -> list[Sentence]:
    out = []
    folded = fold_width(text)  # normalise() of each sentence, the width folding done once for all
    for start, end in sentences(text):
        norm = _NOISE.sub("", folded[start:end])
        if len(norm) >= MIN_SENTENCE and not (may_hold_generated and is_generated(text[start:end])):
            out.append(Sentence(start, end, norm, hash(_DIGITS.sub("0", norm))))
    return out


class Corpus:
    """The texts with their written sentences, cut once for every check that reads them."""

    def __init__(self, texts: list[Text]):
        self.texts = texts
        # millions of small objects that live as long as the corpus: the cyclic garbage collector would walk
        # them again and again while they are made (it doubled the time at 10,000 reports)
        enabled = gc.isenabled()
        gc.disable()
        try:
            self.sentences = [written_sentences(t.text, t.kind in MAY_HOLD_GENERATED) for t in texts]
        finally:
            if enabled:
                gc.enable()

    def __iter__(self):
        return zip(self.texts, self.sentences)
