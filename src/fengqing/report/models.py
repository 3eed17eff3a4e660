"""The leadership's own texts of a report, per unit, period and section (see :mod:`.sections`), and the
signed versions of the report (see :mod:`.signoff`)."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..crypto.fields import SealedBinaryField, SealedTextField
from ..errors import ReportError
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


class SignedReport(UnitScoped):
    """One signed version of a unit's report for a period (签发, DESIGN §6, §7): an immutable snapshot of the
    whole report as signed (its JSON rendering and its .docx, with their SHA-256), who signed it, when, and its
    成文日期. Withdrawing marks the version withdrawn; signing again adds the next version, so every version
    signed stays. At most one version of a unit and period is in force (not withdrawn)."""

    period = models.CharField("期间", max_length=8)
    version = models.PositiveIntegerField("版本")
    date = models.DateField("成文日期")
    # the rendering's exact text, so its SHA-256 (of the plaintext) can be checked; both sealed at rest: the
    # report states sensitive findings
    document = SealedTextField("报告（JSON）")
    docx = SealedBinaryField("报告（Word）")
    document_sha256 = models.CharField("JSON 的 SHA-256", max_length=64)
    docx_sha256 = models.CharField("Word 的 SHA-256", max_length=64)
    # PROTECT: who signed must stay known; an account that signed is deactivated, not deleted
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="签发人")
    signed_at = models.DateTimeField("签发时间", default=timezone.now)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name="撤回人")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    #: the only fields a stored version may change, once: its withdrawal
    WITHDRAWAL = frozenset({"withdrawn_by", "withdrawn_at"})

    class Meta:
        verbose_name = verbose_name_plural = "报告签发"
        ordering = ["unit", "period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "version"], name="report_signedreport_version"),
            models.UniqueConstraint(fields=["unit", "period"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="report_signedreport_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} 第{self.version}版"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.WITHDRAWAL:
                raise ReportError("已签发的报告不能修改；如需修改，请撤回签发后重新签发")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ReportError("已签发的报告不能删除；撤回签发后仍保留原版本")

    @property
    def data(self) -> dict:
        """The signed JSON rendering, parsed."""
        return json.loads(self.document)

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    @property
    def signer_name(self) -> str:
        return person_name(self.signed_by)

    @property
    def withdrawer_name(self) -> str:
        return person_name(self.withdrawn_by) if self.withdrawn_by_id else ""


def person_name(user) -> str:
    return f"{user.last_name}{user.first_name}" or user.username  # Chinese order: family name first
