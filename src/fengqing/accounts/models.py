"""The audit log (DESIGN §7): every change to a record — who, when, what, before and after. Append-only."""

from __future__ import annotations

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志不可修改")

    def delete(self):
        raise PermissionError("审计日志不可删除")


class AuditEntry(models.Model):
    CREATE, UPDATE, DELETE = "新增", "修改", "删除"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.CharField("操作人", max_length=150, db_index=True)
    via = models.CharField("途径", max_length=20)  # 网页 / 导入 / 命令行
    action = models.CharField("操作", max_length=4, choices=[(a, a) for a in (CREATE, UPDATE, DELETE)])
    model = models.CharField("对象类型", max_length=60, db_index=True)  # the model's verbose name, e.g. 谈话
    object_id = models.CharField("对象编号", max_length=40)
    # No foreign key: the log must outlive the unit and the record it speaks of.
    unit_id = models.BigIntegerField("单位编号", null=True, db_index=True)
    unit_name = models.CharField("单位", max_length=100, blank=True, default="")
    before = models.JSONField("修改前", null=True)
    after = models.JSONField("修改后", null=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除")
