"""The score table as text: values formatted for people (ratios as 75.0%), for the terminal, the report's
appendix and the web. Only here are numbers rounded (half up, ``fengqing.numbers``); the JSON keeps them whole."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from ..numbers import fixed, percent
from .catalogue import CHANGE, COUNT, FLAG, METRICS, PER_100, RATIO
from .results import IndicatorResult, UnitAssessment
from .schemes.model import Scheme

INDICATOR_HEADERS = ["维度", "指标", "本期", "目标", "底线", "得分", "灯", "上期", "去年同期"]
LIGHTS = {"green": "绿", "yellow": "黄", "red": "红", None: "—"}
NA = "—"


def format_value(kind: str, value: float | None, measure_word: str = "") -> str:
    """A value as the report writes it; ``measure_word`` (次, 项 …) is appended to counts when given."""
    if value is None:
        return NA
    if kind == RATIO:
        return percent(value)
    if kind == CHANGE:
        return percent(value, sign=True)
    if kind == FLAG:
        return "是" if value >= 1 else "否"
    if kind == PER_100:
        return fixed(value, 2)
    if kind == COUNT:
        text = f"{value:.0f}" if float(value).is_integer() else fixed(value, 2)
        return text + measure_word
    return f"{value:g}"


def format_score(score: float | None) -> str:
    return NA if score is None else fixed(score, 1)


def indicator_row(result: IndicatorResult) -> list[str]:
    def fmt(value):
        return format_value(result.kind, value)

    return [result.dimension, result.name, fmt(result.value), fmt(result.target), fmt(result.floor),
            format_score(result.score), LIGHTS[result.light], fmt(result.previous), fmt(result.year_ago)]


def indicator_rows(assessment: UnitAssessment) -> list[list[str]]:
    """One row per indicator under ``INDICATOR_HEADERS`` (the report's appendix table)."""
    return [indicator_row(r) for r in assessment.indicators]


def summary(assessment: UnitAssessment) -> str:
    """总分 72.5，等级 一般，数据完整度 85.7%, with the reason when a cap lowered the grade."""
    text = (f"总分 {format_score(assessment.total)}，等级 {assessment.grade or NA}，"
            f"数据完整度 {percent(assessment.completeness)}")
    return text + "".join(f"（{reason}）" for reason in cap_reasons(assessment.scheme, assessment.capped))


def cap_reasons(scheme: Scheme, capped: Sequence[tuple[str, str]], grade_word: str = "等级") -> list[str]:
    """Why caps lowered a grade (``UnitAssessment.capped``): 民主测评满意率低于90%，等级由好降为一般 (the report
    says 等次). The bound is written as the scheme states it, without decimals it does not have."""
    reasons = []
    for metric_id, before in capped:
        cap = next(c for c in scheme.caps if c.indicator == metric_id)
        metric = METRICS[metric_id]
        bound = cap.below if cap.below is not None else cap.above
        limit = percent(bound, _places(Decimal(str(bound)) * 100)) if metric.kind == RATIO \
            else format_value(metric.kind, bound)
        reasons.append(f"{metric.name}{'低于' if cap.below is not None else '高于'}{limit}，"
                       f"{grade_word}由{before}降为{cap.grade_at_most}")
    return reasons


def _places(value: Decimal) -> int:
    """The decimals a number has: 90 → 0, 87.5 → 1."""
    return max(0, -value.normalize().as_tuple().exponent)


def ranking_headers(assessments: Sequence[UnitAssessment]) -> list[str]:
    dims = list(assessments[0].dimensions) if assessments else []
    return ["排名", "单位", "总分", "等级", "完整度", *dims]


def ranking_rows(ranked: Sequence[UnitAssessment]) -> list[list[str]]:
    """Rows under ``ranking_headers``; units without a total share no rank."""
    rows = []
    for place, a in enumerate(ranked, 1):
        rows.append([str(place) if a.total is not None else NA, a.unit.name, format_score(a.total),
                     a.grade or NA, percent(a.completeness),
                     *(format_score(s) for s in a.dimensions.values())])
    return rows


def assessment_text(assessment: UnitAssessment) -> str:
    """The whole terminal rendering of one unit's assessment (what ``fengqing score`` prints)."""
    scheme = assessment.scheme
    dims = "，".join(f"{name} {format_score(s)}" for name, s in assessment.dimensions.items())
    return "\n".join([f"{assessment.unit.name}　{assessment.period.label}研判评估",
                      f"指标方案：{scheme.name}（{scheme.id}）", summary(assessment), f"维度得分：{dims}", "",
                      render(INDICATOR_HEADERS, indicator_rows(assessment))])


def ranking_text(ranked: Sequence[UnitAssessment], mine: int | None = None) -> str:
    """The ranking of ``fengqing score --all-units``; the unit whose id is ``mine`` is marked （本单位）."""
    if not ranked:
        return "没有单位可以评估。"
    first = ranked[0]
    rows = ranking_rows(ranked)
    for a, row in zip(ranked, rows):
        if a.unit.pk == mine:
            row[1] += "（本单位）"
    return "\n".join([f"全部单位{first.period.label}研判评估排名（{first.scheme.name}，共 {len(ranked)} 个单位）",
                      render(ranking_headers(ranked), rows)])


def width(text: str) -> int:
    """Columns the text takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned table: text columns to the left, numbers to the right."""
    widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    numeric = [all(_numeric(r[i]) for r in rows) and bool(rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        out = []
        for cell, w, right in zip(cells, widths, numeric):
            pad = " " * (w - width(cell))
            out.append(pad + cell if right else cell + pad)
        return "  ".join(out).rstrip()

    rule = "  ".join("─" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _numeric(cell: str) -> bool:
    return cell == NA or cell.lstrip("+-").replace(".", "", 1).rstrip("%").isdigit()
