"""What the web application keeps: evidence of rectification (佐证材料) attached to a measure, and the
leadership's sign-off (签发) of a unit's report for a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..org.models import UnitScoped
from ..rectify.models import Measure


class Evidence(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence", verbose_name="整改措施")
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    uploaded_by = models.CharField("上传人", max_length=150)
    at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["measure", "-at"]

    def __str__(self) -> str:
        return self.name


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
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="web_reportsignoff_unique_key")]

    def __str__(self) -> str:
        return f"{self.unit} {self.period}"

    @property
    def signer_name(self) -> str:
        user = self.signed_by
        return f"{user.last_name}{user.first_name}" or user.username  # Chinese order: family name first
