"""The audit log (DESIGN §7): every change to a record — who, when, what, before and after. Append-only."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ..crypto.fields import SealedTextField


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志不可修改")

    def delete(self):
        raise PermissionError("审计日志不可删除")


class AuditEntry(models.Model):
    """One entry of the audit log. Every entry carries the SHA-256 of its content and of the previous entry's
    hash (``prev_hash``), so that changing, removing or inserting an entry breaks the chain (accounts.chain)."""

    # record changes
    CREATE, UPDATE, DELETE = "新增", "修改", "删除"
    # security events (DESIGN §7)
    LOGIN, LOGIN_FAILED, LOGOUT = "登录", "登录失败", "退出"
    LOCKOUT, UNLOCK = "锁定", "解锁"
    PASSWORD_CHANGE, PASSWORD_RESET = "修改密码", "重设密码"
    TOTP_ENROL, TOTP_RESET = "绑定动态口令", "解绑动态口令"
    DENIED = "拒绝访问"
    ASSIGN, POLICY = "分配角色", "修改安全策略"
    ADMIN_CREATE = "创建管理员"
    IMPORT, EXPORT, DOWNLOAD, REPORT = "导入", "导出", "下载", "生成报告"
    KEY_ROTATE = "轮换密钥"
    # outcomes
    SUCCESS, FAILURE, REFUSED = "成功", "失败", "拒绝"

    at = models.DateTimeField("时间", db_index=True)
    actor = models.CharField("账号", max_length=150, db_index=True)
    role = models.CharField("角色", max_length=20, blank=True, default="")
    address = models.CharField("客户端地址", max_length=45, blank=True, default="")
    via = models.CharField("途径", max_length=20)  # 网页 / 管理后台 / 导入 / 命令行（OS user）
    action = models.CharField("操作", max_length=20, db_index=True)
    model = models.CharField("对象类型", max_length=60, db_index=True)  # the model's verbose name, e.g. 谈话
    object_id = models.CharField("对象", max_length=200)
    # No foreign key: the log must outlive the unit and the record it speaks of.
    unit_id = models.BigIntegerField("单位编号", null=True, db_index=True)
    unit_name = models.CharField("单位", max_length=100, blank=True, default="")
    outcome = models.CharField("结果", max_length=10, default=SUCCESS)
    before = models.JSONField("修改前", null=True)
    after = models.JSONField("修改后/详情", null=True)
    prev_hash = models.CharField("前一条哈希", max_length=64, default="")
    hash = models.CharField("本条哈希", max_length=64, default="")
    # the log-in store's entry it came from (accounts.audit), so none is chained twice; not part of the hash
    ref = models.CharField("登录库条目", max_length=32, null=True, blank=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        raise PermissionError("审计日志只能经 accounts.audit 追加")

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除")


class ChainHead(models.Model):
    """The hash of the last audit entry and how many there are: the end of the chain, so that entries removed
    from the end are noticed too. One row; writers lock it, which serialises them (no fork of the chain)."""

    hash = models.CharField(max_length=64)
    entries = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "审计链头"


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
#: the three administrators (三员), created and reset only on the command line
THREE_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)


class Assignment(models.Model):
    """A user's role and the units it applies to (one unit for clerk/leadership, several for the others)."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="assignment",
                                verbose_name="用户")
    role = models.CharField("角色", max_length=12, choices=Role.choices)
    units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name="单位")
    # set when the sysadmin resets the user's password: no access until the secadmin confirms the assignment
    suspended = models.BooleanField("待安全管理员确认", default=False)

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
    """Failed log-ins per user name and client address (等保 login failure handling). The counter is raised
    atomically *before* the password is checked, so simultaneous attempts cannot pass the limit."""

    username = models.CharField("用户名", max_length=150)
    address = models.CharField("客户端地址", max_length=45, default="")
    failures = models.PositiveIntegerField("失败次数", default=0)
    last_attempt = models.DateTimeField("最近尝试", default=timezone.now, db_index=True)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录锁定"
        constraints = [models.UniqueConstraint(fields=["username", "address"], name="throttle_user_address")]

    def __str__(self) -> str:
        return f"{self.username}（{self.address}）"


class PendingEntry(models.Model):
    """An audit entry of the log-in path waiting, in the log-in store (accounts.loginstore), to join the chain:
    logging in never waits for a long import's hold on the chain, and is still audited, durably."""

    uid = models.CharField(max_length=32, unique=True)  # becomes the chained entry's ``ref``
    at = models.DateTimeField()
    entry = models.JSONField()  # AuditEntry's columns, as accounts.audit writes them

    class Meta:
        verbose_name = verbose_name_plural = "待记入的审计条目"


class TotpUse(models.Model):
    """The last TOTP time step accepted per user, in the log-in store: a code is used once, and checking it
    writes nothing to the main database."""

    user_id = models.BigIntegerField(unique=True)  # no foreign key: another database on SQLite
    step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "动态口令使用记录"


class SecurityPolicy(models.Model):
    """The security policy the secadmin sets (one row)."""

    idle_minutes = models.PositiveIntegerField("空闲超时（分钟）", default=30,
                                               validators=[MinValueValidator(1), MaxValueValidator(480)])
    password_max_age_days = models.PositiveIntegerField(
        "密码有效期（天，0 为不过期）", default=0, validators=[MaxValueValidator(3650)])
    max_failures = models.PositiveIntegerField("连续登录失败锁定次数", default=5,
                                               validators=[MinValueValidator(3), MaxValueValidator(10)])
    lock_minutes = models.PositiveIntegerField("锁定时长（分钟）", default=15,
                                               validators=[MinValueValidator(1), MaxValueValidator(1440)])
    totp_roles = models.JSONField("另须动态口令的业务角色", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.get_or_create(pk=1)[0]


class Credential(models.Model):
    """A user's authentication state beyond Django's password hash: must they change the password, when was it
    last changed, their TOTP secret."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="credential",
                                verbose_name="用户")
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # sealed like sensitive records (等保 数据保密性: authentication data): the secret alone yields every code
    totp_secret = SealedTextField("动态口令密钥", max_length=64, blank=True, default="")
    totp_confirmed = models.BooleanField("已绑定动态口令", default=False)
    # the last step accepted before the log-in store kept it (TotpUse); still honoured, no longer written
    totp_last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "登录凭据"

    @classmethod
    def of(cls, user) -> Credential:
        return cls.objects.get_or_create(user=user)[0]

    @classmethod
    def read(cls, user) -> Credential:
        """The stored row, or the defaults unsaved: every request reads it, and reading must not write (a
        long import may hold the main database)."""
        return cls.objects.filter(user=user).first() or cls(user=user)


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords (none of the last five may be used again)."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-at", "-id"]
