"""The assessment's results as the report's appendix: the score table, the total and the trend figure."""

from __future__ import annotations

from pathlib import Path

from ..assess.catalogue import FLAG, METRICS
from ..assess.engine import assess
from ..assess.schemes import load_scheme
from ..assess.table import format_value
from ..org.models import Unit
from ..periods import Period
from .document import Appendix, Figure, Paragraph, Table
from .runs import Run

LIGHTS = {"green": "绿", "yellow": "黄", "red": "红"}
HEADER = ["评价维度", "指标", "数值", "目标值", "得分", "预警"]


def assessment_for(unit: Unit, period: Period, scheme: str | Path | None = None) -> dict:
    """The score object of DESIGN §8 for the unit."""
    return assess(period, units=[unit], scheme=load_scheme(scheme))[0].as_dict()


def appendix_block(assessment: dict, period: Period, figure: Figure | None = None) -> Appendix:
    """The score table, the total, then the trend figure when there is one."""
    rows = [[[Run(str(i.get("dimension", "")))], [Run(str(i.get("name", "")))],
             _figure(i["id"], i.get("value")), _figure(i["id"], i.get("target")), _score(i.get("score")),
             [Run(LIGHTS.get(i.get("light"), "—"))]]
            for i in assessment.get("indicators", [])]
    total = [Run("综合得分"), _score(assessment.get("total"))[0], Run("分，等次"),
             Run(str(assessment.get("grade") or "—")), Run("，数据完整度"),
             _percent(assessment.get("completeness")), Run("。")]
    return Appendix([Run(f"{period.label}政治生态分析研判指标评分表")],
                    [Table(HEADER, rows), Paragraph(total), *([figure] if figure else [])])


def _score(value) -> list[Run]:
    return [Run("—" if value is None else f"{value:.1f}", "fact" if value is not None else "text")]


def _percent(value) -> Run:
    return Run("—") if value is None else Run(f"{value * 100:.1f}%", "fact")


def _figure(indicator: str, value) -> list[Run]:
    """A value as the score table of the terminal and the web writes it (one formatting, three places)."""
    kind = METRICS[indicator].kind
    text = format_value(kind, value)
    return [Run(text, "fact" if value is not None and kind != FLAG else "text")]
