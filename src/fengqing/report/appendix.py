"""The assessment's results, when the assessment engine is installed (fengqing.assess), as the report's
appendix table. Without the engine the report is complete, only without the appendix."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..org.models import Unit
from ..periods import Period
from .document import Appendix, Figure, Paragraph, Table
from .runs import Run

PERCENT_INDICATORS = {
    "task_completion", "public_expense_change", "public_expense_execution", "integrity_talk_coverage",
    "holiday_reminders", "first_form_share", "four_musts_rate", "risk_point_coverage", "high_risk_controlled",
    "risk_review_recency", "duty_report_coverage", "democratic_rating", "rectification_completion",
}
YES_NO_INDICATORS = {"study_plan_issued"}
LIGHTS = {"green": "绿", "yellow": "黄", "red": "红"}
HEADER = ["评价维度", "指标", "数值", "目标值", "得分", "预警"]


def engine_available() -> bool:
    return importlib.util.find_spec("fengqing.assess.engine") is not None


def assessment_for(unit: Unit, period: Period, scheme: str | Path | None = None) -> dict | None:
    """The score object of DESIGN §8 for the unit, or None when the assessment engine is not installed."""
    if not engine_available():
        return None
    from ..assess.engine import assess
    from ..assess.schemes import load_scheme

    results = assess(period, units=[unit], scheme=load_scheme(scheme))
    return results[0].as_dict() if results else None


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
    if value is None:
        return [Run("—")]
    if indicator in YES_NO_INDICATORS:
        return [Run("是" if value else "否")]
    if indicator in PERCENT_INDICATORS:
        return [_percent(value)]
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return [Run(text, "fact")]
