"""套话: sentences that occur, nearly unchanged (punctuation, spacing and figures aside), in many reports; a
report's 套话 share is the share of its written characters in such sentences."""

from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding, Source
from .sentences import Corpus

MIN_REPORTS = 5  # a sentence in at least this many reports is 套话 …
MIN_SHARE_OF_REPORTS = 0.02  # … or in 2 % of them, when there are more than 250 reports
FLAG_SHARE = 0.5  # a report whose 套话 share reaches this is a finding


def min_reports(n_reports: int) -> int:
    return max(MIN_REPORTS, round(MIN_SHARE_OF_REPORTS * n_reports))


def common_sentences(corpus: Corpus) -> set[int]:
    """Keys (:attr:`Sentence.key`) of the sentences found in at least :func:`min_reports` reports."""
    seen: dict[int, list] = {}  # key → [number of reports, last report counted]
    reports = set()
    # a report's texts together, so each report is counted once
    for t, written in sorted(corpus, key=lambda item: item[0].report):
        reports.add(t.report)
        for s in written:
            entry = seen.get(s.key)
            if entry is None:
                seen[s.key] = [1, t.report]
            elif entry[1] != t.report:
                entry[0] += 1
                entry[1] = t.report
    need = min_reports(len(reports))
    return {k for k, (n, _) in seen.items() if n >= need}


@dataclass
class Share:
    report: str
    label: str
    unit: str | None
    period: str | None
    sentences: int
    common: int
    chars: int
    common_chars: int
    examples: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.common_chars / self.chars if self.chars else 0.0

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%"

    def as_dict(self) -> dict:
        return {"report": self.report, "label": self.label, "unit": self.unit, "period": self.period,
                "sentences": self.sentences, "boilerplate_sentences": self.common, "share": round(self.share, 4)}


def shares(corpus: Corpus, common: set[int]) -> list[Share]:
    by_report: dict[str, Share] = {}
    for t, written in corpus:
        share = by_report.get(t.report)
        if share is None:
            share = by_report[t.report] = Share(t.report, t.report_label, t.unit, t.period, 0, 0, 0, 0)
        for s in written:
            share.sentences += 1
            share.chars += len(s.norm)
            if s.key in common:
                share.common += 1
                share.common_chars += len(s.norm)
                if len(share.examples) < 3:
                    share.examples.append(t.text[s.start:s.end])
    return list(by_report.values())


def boilerplate_findings(all_shares: list[Share]) -> list[Finding]:
    return [Finding("boilerplate", "share",
                    f"{s.label}：{s.common}/{s.sentences}句为多份报告共有的套话，占文字的{s.share * 100:.1f}%",
                    [Source(s.report, s.label, unit=s.unit, period=s.period)], score=s.share,
                    detail={"sentences": s.sentences, "boilerplate_sentences": s.common,
                            "examples": s.examples})
            for s in all_shares if s.sentences and s.share >= FLAG_SHARE]
