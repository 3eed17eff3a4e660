"""Near-duplicate paragraphs between reports: candidates by MinHash-LSH over character n-grams
(:mod:`.signature`), then each candidate pair aligned sentence by sentence with rapidfuzz, which marks the
copied spans in both texts and gives the similarity.

Sentence alignment finds a copy whose sentences were reordered or had a few words changed. 套话 sentences
(:mod:`.boilerplate`) are left out of both the n-grams and the similarity: sharing them is 套话, not copying.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from .findings import COPY_KINDS, Finding, Source
from .sentences import Corpus, Sentence
from .signature import candidate_pairs, ngram_hashes, signatures
from .text import Text

MIN_CHARS = 30  # normalised characters a paragraph needs to be compared at all
SENTENCE_MATCH = 80  # rapidfuzz ratio (0–100) above which two sentences are the same sentence
SIMILAR = 0.6  # share of the pair's compared characters in matched sentences that makes a copy


def copy_kind(a: Text, b: Text) -> str | None:
    """跨时抄 within one unit, 跨地抄 between units, 抄范文 against a model text; None for a pair the reader
    does not compare (one report with itself, two model texts)."""
    if a.report == b.report or (a.unit is None and b.unit is None):
        return None
    if a.unit is None or b.unit is None:
        return "model_text"
    return "cross_period" if a.unit == b.unit else "cross_unit"


def _compared(written: list[Sentence], common: set[int]) -> list[Sentence]:
    return [s for s in written if s.key not in common]


def find_copies(corpus: Corpus, common: set[int] = frozenset(), similar: float = SIMILAR) -> list[Finding]:
    texts = corpus.texts
    kept: list[int] = []

    def contents():
        for i, written in enumerate(corpus.sentences):
            content = "".join(s.norm for s in _compared(written, common))
            if len(content) >= MIN_CHARS:
                kept.append(i)
                yield ngram_hashes(content)

    sigs = signatures(contents())
    if len(kept) < 2:
        return []
    pairs = candidate_pairs(sigs)
    findings = []
    for x, y in pairs:
        a, b = texts[kept[x]], texts[kept[y]]
        kind = copy_kind(a, b)
        if kind is None:
            continue
        found = align(_compared(corpus.sentences[kept[x]], common), _compared(corpus.sentences[kept[y]], common))
        if found is not None and found[0] >= similar:
            findings.append(_finding(kind, a, b, *found))
    findings.sort(key=lambda f: -f.score)
    return findings


def align(sa: list[Sentence], sb: list[Sentence]) -> tuple[float, list, list] | None:
    """Each sentence of one text matched to its most similar sentence of the other (in any order); the share
    of both texts' characters in matched sentences, and the matched spans of each."""
    if not sa or not sb:
        return None
    choices = [s.norm for s in sb]
    spans_a, matched_b = [], {}
    covered_a = 0
    for s in sa:
        best = process.extractOne(s.norm, choices, scorer=fuzz.ratio, score_cutoff=SENTENCE_MATCH)
        if best is None:
            continue
        _, ratio, j = best
        spans_a.append((s.start, s.end))
        covered_a += len(s.norm)
        matched_b[j] = max(matched_b.get(j, 0), ratio)
    covered_b = sum(len(sb[j].norm) for j in matched_b)
    total = sum(len(s.norm) for s in sa) + sum(len(s.norm) for s in sb)
    spans_b = sorted((sb[j].start, sb[j].end) for j in matched_b)
    return (covered_a + covered_b) / total, spans_a, spans_b


def _finding(kind: str, a: Text, b: Text, score: float, spans_a, spans_b) -> Finding:
    # the earlier text first: the later one is the copy (a model text is always the source)
    order = ((a, spans_a), (b, spans_b))
    if (b.unit is None) or (a.unit is not None and (b.period or "") < (a.period or "")):
        order = order[::-1]
    (first, first_spans), (second, second_spans) = order
    message = f"{COPY_KINDS[kind]}：{second.label}与{first.label}雷同，相似度{score * 100:.0f}%"
    return Finding("copy", kind, message,
                   [Source(t.key, t.label, t.text, t.unit, t.period, spans)
                    for t, spans in ((first, first_spans), (second, second_spans))],
                   score=score)
