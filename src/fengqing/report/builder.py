"""Builds the report's document tree (DESIGN §6) from the facts, the leadership's texts and the sentence
templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import choices as C
from ..assess.engine import assess_unit
from ..assess.history import assess_with_trend
from ..assess.results import UnitAssessment
from ..assess.suggest import SOURCE, draft, suggestions
from ..assess.schemes import load_scheme
from ..assess.table import cap_reasons
from ..org.models import Unit
from ..periods import Period
from .appendix import appendix_block
from .basic import BASIC_KEYS
from .document import Closing, Document, Heading, Paragraph, Title
from .facts import compute_facts
from .gaps import gap_records
from .naming import unit_names
from .narrative import narratives_for
from .people import people_names
from .phrasing import Phrasing, cn_date
from .rectification import period_label, rectification_rows
from .runs import Run, clean, plain, text_width
from .tone import tones
from .trend import EARLIER_PERIODS, trend_figure

#: the four subsections of 二, each with its heading template, sentences template and leadership paragraphs
FEATURES = ("political", "duty", "discipline", "power")
_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (numbering of headings)."""
    tens, ones = divmod(n, 10)
    return ((_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "") + (_DIGITS[ones] if ones else "")) or "零"


def build_document(unit: Unit, period: Period, scheme: str | Path | None = None,
                   appendix: bool = False, on: date | None = None) -> Document:
    """``on``: the 成文日期 (default: the period's end)."""
    on = on or period.end
    facts = compute_facts(unit, period, on)
    # with the appendix, the trend's earlier periods are read in the same aggregate queries as the report's
    chosen = load_scheme(scheme)
    if appendix:
        assessed, totals = assess_with_trend(unit, period, chosen, EARLIER_PERIODS)
    else:
        assessed, totals = assess_unit(unit, period, chosen), []
    names = unit_names(unit)
    context = {
        "unit": {"name": unit.name, "short": unit.short_name, "party": unit.party_org_name,
                 "party_body": names.party_body, "leadership": unit.leadership_title, "organ": names.organ,
                 "discipline_group": names.discipline_group},
        "period": {"code": period.code, "label": period.label, "short": period.short_label, "year": period.year,
                   "start": period.start, "end": period.end, "previous_label": period.previous().label,
                   "year_ago_label": period.year_ago().label},
        "report": {"date": on},
        "tone": tones(assessed),
        **facts.tree(),
    }
    b = _Builder(unit, period, on, Phrasing(unit, context), narratives_for(unit, period), assessed)
    assessment = assessed.as_dict()
    blocks = [*b.intro(), b.basic(), b.features(), *b.rectification()]
    attached = None
    if appendix:
        figure = trend_figure(assessed.scheme, totals)
        attached = appendix_block(assessment, period, figure, cap_reasons(assessed.scheme, assessed.capped, "等次"))
    blocks.append(Closing(unit.party_org_name, cn_date(on), f"附件：{plain(attached.title)}" if attached else ""))
    if attached:
        blocks.append(attached)
    title = Title(title_runs(f"{unit.party_org_name}关于{period.label}", TITLE_REST))
    return Document(unit=unit.name, period=period.code, title=title, blocks=blocks,
                    facts=[f.as_dict() for f in facts.everything()],
                    basic={key: facts[fid].value for fid, key in BASIC_KEYS.items()}, assessment=assessment,
                    date=on)


TITLE_REST = "政治生态分析研判情况的报告"


TITLE_LINE_CHARS = 20  # 2号 characters on a line of the 156 mm text block


def title_runs(subject: str, rest: str) -> list[Run]:
    """The title, broken after its subject when it needs two lines and the subject fits on the first, so the
    line does not end in the middle of a word."""
    if text_width(subject + rest) <= TITLE_LINE_CHARS or text_width(subject) > TITLE_LINE_CHARS:
        return [Run(subject + rest)]
    return [Run(subject), Run("", "break"), Run(rest)]


def split_title(text: str) -> list[Run]:
    """The title's runs from its text (a signed report keeps the text only)."""
    if text.endswith(TITLE_REST):
        return title_runs(text.removesuffix(TITLE_REST), TITLE_REST)
    return [Run(text)]


def _heading(level: int, number: int, runs: list[Run], **kw) -> Heading:
    label = {1: f"{cn_number(number)}、", 2: f"（{cn_number(number)}）", 3: f"{number}．",
             4: f"（{number}）"}[level]
    if kw.get("inline") and runs and not plain(runs).endswith(STOPS):
        runs = [*runs, Run("。")]  # a run-in heading is a sentence of its paragraph
    return Heading(level, [Run(label, "label"), *runs], **kw)


STOPS = ("。", "！", "？", "；", "：")


class _Builder:
    def __init__(self, unit: Unit, period: Period, on: date, phrasing: Phrasing, texts: dict[str, list[str]],
                 assessed: UnitAssessment):
        self.unit, self.period, self.on, self.ph, self.texts = unit, period, on, phrasing, texts
        self.assessed = assessed

    def own(self, key: str, template: str | None = None) -> list[list[Run]]:
        """The leadership's paragraphs for a section; else the default template's, if it has one."""
        if key in self.texts:
            return [[Run(clean(p))] for p in self.texts[key]]
        if template is None:
            return []
        runs = self.ph.runs(template)
        return [runs] if runs else []

    def intro(self) -> list[Paragraph]:
        """The 导语: the unit's words, the summary from the records closing the last paragraph."""
        paragraphs = self.own("intro", "intro") or [[]]
        paragraphs[-1] = paragraphs[-1] + self.ph.runs("summary")
        return [Paragraph(p) for p in paragraphs]

    def basic(self) -> Heading:
        return _heading(1, 1, [Run("基本情况")], children=[Paragraph(self.ph.runs("basic"))])

    def features(self) -> Heading:
        children = [Paragraph(p) for p in self.own("features", "features")]
        for i, key in enumerate(FEATURES, 1):
            heading = self.own(f"{key}_heading", f"{key}_heading")
            own = [Paragraph(p) for p in self.own(key)]
            said = self.ph.runs(key) or ([] if own else self.ph.runs("features_none", key=key))
            children.append(_heading(2, i, heading[0] if heading else [], inline=said, children=own))
        return _heading(1, 2, [Run("政治生态主要特征")], children=children)

    def rectification(self) -> list[Heading]:
        register, measures, outstanding = rectification_rows(self.unit, self.period, self.on)
        problems = self._with_drafted(register)
        names = people_names(self.unit, [m["owner"] for m in measures + outstanding])
        for m in measures + outstanding:
            m["owner"] = names.get(m["owner"], m["owner"])
        return [self._problems(problems), self._measures(problems, measures, outstanding)]

    def _with_drafted(self, register: list[dict]) -> list[dict]:
        """The register's problems, then one drafted for every indicator the scheme flags (red; yellow where it
        says so) that no register problem covers: one accepted through ``fengqing suggest`` (its code), or
        one of the same 方面 registered from 指标预警. Each problem knows its indicator's 整改方向."""
        by_code = {d.code: d for d in (draft(self.assessed, r) for r in self.assessed.indicators)}
        covered = {p["aspect"] for p in register if p["source"] == SOURCE}
        problems = [{**_clean_row(p), "direction": by_code[p["code"]].direction if p["code"] in by_code else ""}
                    for p in register]
        codes = {p["code"] for p in register}
        for s in suggestions(self.assessed):
            if s.code in codes or s.aspect in covered:
                continue
            gap = gap_records(s.indicator, self.unit, self.period, self.on)
            problems.append({"pk": None, "code": s.code, "aspect": s.aspect, "title": clean(s.title),
                             "description": clean(s.description) + gap, "source": SOURCE,
                             "direction": clean(s.direction)})
        return problems

    def _problems(self, problems: list[dict]) -> Heading:
        if not problems:
            return _heading(1, 3, [Run("存在的问题")], children=[Paragraph(self.ph.runs("problems_none"))])
        children = [Paragraph(p) for p in self.own("problems", "problems")]
        for i, aspect in enumerate(_aspects(problems), 1):
            items = [_heading(3, j, [Run(_sentence(p["title"]))], inline=self.ph.runs("problem_item", item=_once(p)))
                     for j, p in enumerate((p for p in problems if p["aspect"] == aspect), 1)]
            children.append(_heading(2, i, self.ph.runs("problem_group", aspect=aspect), children=items))
        return _heading(1, 3, [Run("存在的问题")], children=children)

    def _measures(self, problems: list[dict], measures: list[dict], outstanding: list[dict]) -> Heading:
        """Every problem of 三 by 方面: its measures, or, with none yet, its indicator's 整改方向 (or that it
        has no measures yet); then the other periods' measures."""
        children = [Paragraph(p) for p in self.own("measures", "measures")] if problems else []
        by_problem: dict[int, list[dict]] = {}
        for m in measures:
            by_problem.setdefault(m["problem_id"], []).append(m)
        groups = _aspects(problems)
        for i, aspect in enumerate(groups, 1):
            lines = []
            for p in (p for p in problems if p["aspect"] == aspect):
                lines += ([self.ph.runs("measure_item", item=_measure(m)) for m in by_problem.get(p["pk"], [])]
                          or [self.ph.runs("direction_item", item={**p, "title": _bare(p["title"])})])
            items = [Paragraph([Run(f"{j}．", "label"), *runs]) for j, runs in enumerate(lines, 1)]
            children.append(_heading(2, i, self.ph.runs("measure_group", aspect=aspect), children=items))
        others = self.ph.runs("other_measures")
        if others:
            items = [Paragraph([Run(f"{j}．", "label"), *self.ph.runs("other_item", item=_other(m))])
                     for j, m in enumerate(outstanding, 1)]
            children.append(_heading(2, len(groups) + 1, self.ph.runs("other_heading"), inline=others,
                                     children=items))
        total = self.ph.runs("overdue_total")
        if total:
            children.append(Paragraph(total))
        if not children:
            children = [Paragraph(self.ph.runs("measures_none"))]
        return _heading(1, 4, [Run("整改方向")], children=children)


def _aspects(rows: list[dict]) -> list[str]:
    present = {r["aspect"] for r in rows}
    return [a for a in C.PROBLEM_ASPECT if a in present]


def _once(problem: dict) -> dict:
    """A problem whose description only repeats its title is said once, by its title."""
    if _bare(problem["description"]) == _bare(problem["title"]):
        return {**problem, "description": ""}
    return problem


def _bare(text: str) -> str:
    """A title to quote: without its closing punctuation, its own quotation marks turned into inner ones."""
    return clean(text).strip().rstrip("。！？；").replace("“", "‘").replace("”", "’")


def _sentence(text: str) -> str:
    text = clean(text).strip()
    return text if text.endswith(STOPS) else f"{text}。"


def _clean_row(row: dict) -> dict:
    return {k: clean(v) if isinstance(v, str) else v for k, v in row.items()}


def _measure(row: dict) -> dict:
    return {**_clean_row(row), "overdue": row["late"]}


def _other(row: dict) -> dict:
    return {**_measure(row), "period": period_label(row["problem__period"]), "problem": clean(row["problem__title"])}
