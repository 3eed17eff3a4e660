"""The leadership's own texts of a report, per unit, period and section (see :mod:`.sections`), and its
sign-off of the report."""

from __future__ import annotations

from django.conf import settings
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


class ReportSignoff(UnitScoped):
    """The unit leadership's sign-off of the unit's report for one period (DESIGN §7). Withdrawing it deletes
    the row; the audit log keeps every sign-off and withdrawal."""

    period = models.CharField("期间", max_length=8)
    # PROTECT: who signed must stay known; an account that signed is deactivated, not deleted
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="签发人")
    signed_at = models.DateTimeField("签发时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告签发"
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="report_reportsignoff_unique_key")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def signer_name(self) -> str:
        user = self.signed_by
        return f"{user.last_name}{user.first_name}" or user.username  # Chinese order: family name first
