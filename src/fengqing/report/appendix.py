"""The assessment's results as the report's appendix: the score table, the total and the trend figure."""

from __future__ import annotations

from ..assess.catalogue import FLAG, METRICS, RATIO
from ..assess.table import LIGHTS, NA, format_score, format_value
from ..periods import Period
from .document import Appendix, Figure, Paragraph, Table
from .runs import Run

HEADER = ["评价维度", "指标", "数值", "目标值", "得分", "预警"]


def appendix_block(assessment: dict, period: Period, figure: Figure | None = None,
                   capped: list[str] = ()) -> Appendix:
    """The score table, the total (with the reasons a cap lowered its grade), then the trend figure when there
    is one."""
    rows = [[[Run(str(i.get("dimension", "")))], [Run(str(i.get("name", "")))],
             _figure(i["id"], i.get("value")), _figure(i["id"], i.get("target")), _score(i.get("score")),
             [Run(LIGHTS.get(i.get("light"), NA))]]
            for i in assessment.get("indicators", [])]
    grade = assessment.get("grade")
    total = [Run("综合得分"), _score(assessment.get("total"))[0], Run("分，等次为"),
             Run(f"“{grade}”" if grade else NA), *([Run(f"（{'；'.join(capped)}）")] if capped else []),
             Run("，数据完整度"),
             _percent(assessment.get("completeness")), Run("。")]
    return Appendix([Run(f"{period.label}政治生态分析研判指标评分表")],
                    [Table(HEADER, rows), Paragraph(total), *([figure] if figure else [])])


def _score(value) -> list[Run]:
    return [Run(format_score(value), _kind(value))]


def _percent(value) -> Run:
    return Run(format_value(RATIO, value), _kind(value))


def _kind(value) -> str:
    return "text" if value is None else "fact"


def _figure(indicator: str, value) -> list[Run]:
    """A value as the score table of the terminal and the web writes it (one formatting, three places)."""
    kind = METRICS[indicator].kind
    text = format_value(kind, value)
    return [Run(text, "fact" if value is not None and kind != FLAG else "text")]
