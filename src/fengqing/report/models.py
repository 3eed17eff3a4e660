"""The leadership's own texts of a report, per unit, period and section (see :mod:`.sections`)."""

from __future__ import annotations

from django.db import models

from ..org.models import UnitScoped
from .sections import SECTIONS


class Narrative(UnitScoped):
    period = models.CharField("期间", max_length=8)
    section = models.CharField("段落", max_length=32, choices=[(s.key, s.name) for s in SECTIONS])
    text = models.TextField("内容")
    updated = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告文字"
        ordering = ["unit", "period", "section"]
        constraints = [models.UniqueConstraint(fields=["unit", "period", "section"],
                                               name="report_narrative_unique_key")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.get_section_display()}"

    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]
