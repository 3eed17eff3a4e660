"""The reader as a library: :func:`read` takes plain inputs and returns every finding; :func:`analyze` gathers
those inputs from the database (and a folder of model texts) for ``fengqing analyze`` and the web page."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..errors import PeriodError
from ..periods import Period, parse_period
from .boilerplate import Share, boilerplate_findings, common_sentences, shares
from .closure import ClosureInput, closure_findings
from .copies import find_copies
from .figures import FactInput, StatedText, figure_findings
from .findings import KINDS, Finding
from .measures import ProblemInput, measure_findings
from .sentences import Corpus
from .text import Text


@dataclass
class Analysis:
    findings: list[Finding]
    shares: list[Share]
    period: str | None = None
    counts: dict = field(default_factory=dict)  # texts, reports, model texts read

    def by_kind(self) -> dict[str, list[Finding]]:
        return {k: [f for f in self.findings if f.kind == k] for k in KINDS}

    def as_dict(self) -> dict:
        return {"period": self.period, "counts": self.counts,
                "summary": {k: len(v) for k, v in self.by_kind().items()},
                "findings": [f.as_dict() for f in self.findings],
                "boilerplate_shares": [s.as_dict() for s in self.shares]}


def read(texts: list[Text], problems: list[ProblemInput] = (), closures: list[ClosureInput] = (),
         stated: list[tuple[list[StatedText], list[FactInput]]] = ()) -> tuple[list[Finding], list[Share]]:
    """All checks over plain inputs: copies and 套话 over the texts, problem↔measure checks, 纸面销号, and each
    uploaded report's figures (its paragraphs with the facts of its unit and period)."""
    corpus = Corpus(texts)
    common = common_sentences(corpus)
    report_shares = shares(corpus, common)
    findings = [*find_copies(corpus, common), *boilerplate_findings(report_shares),
                *measure_findings(list(problems)), *closure_findings(list(closures))]
    for paragraphs, facts in stated:
        findings.extend(figure_findings(paragraphs, facts))
    return findings, report_shares


def _period_of(code: str | None) -> Period | None:
    try:
        return parse_period(code) if code else None
    except PeriodError:  # a period code stored before codes were checked: such a text has no period
        return None


def _in(period: Period, code: str | None) -> bool:
    other = _period_of(code)
    return other is not None and period.start <= other.start and other.end <= period.end


def _not_after(period: Period, code: str | None) -> bool:
    other = _period_of(code)
    return other is None or other.end <= period.end


def analyze(period: str | Period | None = None, corpus: str | Path | None = None, unit_ids=None) -> Analysis:
    """The reader over the units' texts (all periods: copying is found across them), and the model texts in
    ``corpus``; with a period, the texts of later periods are left out and only the findings that concern a
    text of that period (or of a period within it) are kept."""
    from . import sources

    period = parse_period(period) if isinstance(period, str) else period
    until = None if period is None else partial(_not_after, period)
    texts = sources.unit_texts(unit_ids) + sources.upload_texts(unit_ids, until)
    problems = sources.problem_inputs(unit_ids)
    closures = sources.closure_inputs(unit_ids)
    if until is not None:  # the cut-off: what was written after the period is not read for it
        texts = [t for t in texts if until(t.period)]
        problems = [p for p in problems if until(p.period)]
        closures = [c for c in closures if until(c.period)]
    # figures are checked for the uploaded reports of the period only (each costs the unit's facts)
    stated = sources.upload_figures(unit_ids, None if period is None else partial(_in, period))
    models = sources.corpus_texts(corpus) if corpus else []
    findings, report_shares = read(texts + models, problems, closures, stated)
    if period is not None:
        findings = [f for f in findings if any(_in(period, s.period) for s in f.sources)]
        report_shares = [s for s in report_shares if _in(period, s.period)]
    order = list(KINDS)
    findings.sort(key=lambda f: order.index(f.kind))  # stable: each kind keeps its own order
    counts = {"texts": len(texts), "reports": len({t.report for t in texts}),
              "model_texts": len({t.report for t in models})}
    return Analysis(findings, [s for s in report_shares if s.unit is not None], period and period.code, counts)
