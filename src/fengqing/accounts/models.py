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


class Role(models.TextChoices):
    """The roles of DESIGN §7; each user holds exactly one."""

    CLERK = "clerk", "单位填报员"
    LEADERSHIP = "leadership", "单位领导"
    DISCIPLINE = "discipline", "纪检监察组"
    SUPERVISOR = "supervisor", "上级纪委"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "审计管理员"


#: roles that manage the system through the admin site and see no business records
ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN)


class Assignment(models.Model):
    """A user's role and the units it applies to (one unit for clerk/leadership, several for the others)."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="assignment",
                                verbose_name="用户")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name="单位")

    class Meta:
        verbose_name = verbose_name_plural = "角色分配"

    def __str__(self) -> str:
        return f"{self.user.username}：{self.get_role_display()}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # the admin site admits staff only; the two administrator roles are exactly the staff
        staff = self.role in ADMIN_ROLES
        if self.user.is_staff != staff:
            type(self.user).objects.filter(pk=self.user_id).update(is_staff=staff)
            self.user.is_staff = staff


class LoginThrottle(models.Model):
    """Failed log-ins per user name; five in a row lock the name for a while (等保 login failure handling)."""

    username = models.CharField("用户名", max_length=150, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录锁定"

    def __str__(self) -> str:
        return self.username
