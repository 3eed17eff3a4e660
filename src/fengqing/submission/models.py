"""报送: a unit's report submitted to its supervisor for a period — its signed version (:class:`SignedReport`)
or a file it wrote outside fengqing — and the supervisor's deadline. Every submitted version is kept and
immutable; the supervisor may send one back with a comment (退回), which is the only change a version takes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..crypto.fields import SealedBinaryField, SealedTextField
from ..errors import SubmissionError
from ..org.models import UnitScoped
from ..report.models import SignedReport, person_name


class Deadline(models.Model):
    """The date by which every unit submits its report for the period."""

    period = models.CharField("期间", max_length=8, unique=True)
    due = models.DateField("报送截止日期")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="设置人")
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "报送截止日期"
        ordering = ["period"]

    def __str__(self) -> str:
        return f"{self.period} {self.due}"


class Submission(UnitScoped):
    SIGNED, UPLOAD = "signed", "upload"
    KINDS = [(SIGNED, "签发的报告"), (UPLOAD, "上传的文件")]

    period = models.CharField("期间", max_length=8)
    version = models.PositiveIntegerField("报送版本")
    kind = models.CharField("方式", max_length=8, choices=KINDS)
    # PROTECT: a submitted signed version must stay (SignedReport itself refuses deletion too)
    signed = models.ForeignKey(SignedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="签发版本")
    file_name = models.CharField("文件名", max_length=200, blank=True, default="")
    content = SealedBinaryField("文件内容", blank=True, default=b"")  # sealed at rest, like its text
    sha256 = models.CharField("SHA-256", max_length=64)
    text = SealedTextField("文字（供审读）", blank=True, default="")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="报送人")
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True, verbose_name="退回人")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    comment = models.TextField("退回意见", blank=True, default="")

    #: the only fields a stored version may change, once: its return
    RETURN = frozenset({"returned_by", "returned_at", "comment"})

    class Meta:
        verbose_name = verbose_name_plural = "报告报送"
        ordering = ["unit", "period", "version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "version"], name="submission_version"),
            models.UniqueConstraint(fields=["unit", "period"], condition=models.Q(returned_at__isnull=True),
                                    name="submission_one_in_force"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} 第{self.version}次报送"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.RETURN:
                raise SubmissionError("已报送的报告不能修改；被退回后可重新报送")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SubmissionError("已报送的报告不能删除")

    @property
    def in_force(self) -> bool:
        return self.returned_at is None

    @property
    def submitter_name(self) -> str:
        return person_name(self.submitted_by)

    @property
    def returner_name(self) -> str:
        return person_name(self.returned_by) if self.returned_by_id else ""
