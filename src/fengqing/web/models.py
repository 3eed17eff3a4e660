"""What the web application keeps: evidence of rectification (佐证材料) attached to a measure."""

from __future__ import annotations

import hashlib

from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from ..rectify.models import Measure


class Evidence(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence", verbose_name="整改措施")
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    # of the file as uploaded (not as sealed on disk): the audit log keeps it when the file goes (issue 10 item 6)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, default="")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    uploaded_by = models.CharField("上传人", max_length=150)
    at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["measure", "-at"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.sha256 and self.file and not self.file._committed:  # a new upload, on every path
            self.sha256 = file_sha256(self.file)
        super().save(*args, **kwargs)


def file_sha256(f) -> str:
    digest = hashlib.sha256()
    f.seek(0)
    for chunk in iter(lambda: f.read(1 << 16), b""):
        digest.update(chunk)
    f.seek(0)
    return digest.hexdigest()


@receiver(post_delete, sender=Evidence)
def _remove_file(sender, instance: Evidence, **kwargs) -> None:
    """An evidence row deleted, on its own or with its measure or problem, by whichever path (page, import
    with replacement, admin): its file leaves the disk once the deletion is committed, never before, so a
    rolled-back deletion keeps it."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class DataStamp(models.Model):
    """One row whose ``version`` changes with every committed change of the records (``web.datastamp``)."""

    version = models.BigIntegerField("版本")

    class Meta:
        verbose_name = verbose_name_plural = "数据版本"
