"""What the web application keeps: evidence of rectification (佐证材料) attached to a measure."""

from __future__ import annotations

from django.db import models

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
