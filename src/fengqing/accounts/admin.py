"""The admin site is the sysadmin's and secadmin's tool (DESIGN §7, 三员): business users and units for the
first; roles and assignments, the security policy and unlocking for the second. Neither sees or touches the
three administrator accounts (only ``fengqing admins`` does). The audit log is the auditor's, in the web
application; here it is shown read-only to superusers and can be changed by nobody. Log-in and password
changes go through the web application's pages, which hold every rule (lock-out, second factor, history)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.text import format_lazy

from ..org.models import Unit
from . import audit, passwords
from .models import Assignment, AuditEntry, Credential, LoginThrottle, Role, SecurityPolicy, THREE_ROLES
from .scope import RECORD_ROLES, Scope

VIA_ADMIN = "管理后台"


class RoleAdmin(admin.ModelAdmin):
    """Admits superusers and the listed roles; writes every change to the audit log."""

    roles: tuple[str, ...] = ()

    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or Scope.of(user).role in self.roles)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(request.user.username, VIA_ADMIN, [audit.Change(
            audit.AuditEntry.UPDATE if change else audit.AuditEntry.CREATE, obj, before, audit.snapshot(obj))])

    def delete_model(self, request, obj):
        audit.delete(request.user.username, VIA_ADMIN, [obj])

    def delete_queryset(self, request, queryset):
        audit.delete(request.user.username, VIA_ADMIN, list(queryset))


admin.site.unregister(User)
admin.site.unregister(Group)


@login_not_required
def _login(request, extra_context=None):
    """The admin site's log-in page is the application's (one page: lock-out, second factor, forced change).
    The admin site sends here whoever may not use it: someone signed in already would be sent back and forth
    between the two log-in pages, so they are told they may not."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):  # an administrator already signed in: on to the admin site
            return redirect("admin:index")
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or "/admin/")


def _own_password_change(request, extra_context=None):
    return redirect("web:password")


admin.site.login = _login
admin.site.password_change = _own_password_change


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning in English, outside its translation catalogue
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text, "停用后，该用户的现有密码将失效。")
    # a lost phone: unbinding goes with a password reset, so the role stays suspended until the secadmin
    # confirms it and nobody holding only the old password can enrol a phone of their own meanwhile
    reset_totp = forms.BooleanField(label="同时解绑动态口令", required=False,
                                    help_text="用户更换或遗失手机时勾选：下次登录须重新绑定。")


@admin.register(User)
class FengqingUserAdmin(RoleAdmin, UserAdmin):
    """The sysadmin's business users: create, deactivate, reset the password. The three administrators and
    superusers are not listed and cannot be opened; a new or reset account has no access until the secadmin
    assigns (or confirms) its role, and must change its password at first log-in."""

    roles = (Role.SYSADMIN,)
    change_password_form = PasswordChangeForm
    change_user_password_template = "admin/auth/user/reset_password.html"
    list_display = ("username", "first_name", "is_active", "last_login")
    list_filter = ("is_active",)
    # privileges come from the role assignment, not from Django's flags and groups
    fieldsets = ((None, {"fields": ("username", "password")}),
                 ("个人信息", {"fields": ("first_name", "last_name", "email")}),
                 ("状态", {"fields": ("is_active", "last_login", "date_joined")}))
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.exclude(is_superuser=True).exclude(assignment__role__in=THREE_ROLES).exclude(pk=request.user.pk)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            passwords.must_change(obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))  # None: not one the sysadmin may see; Django answers
        if user is None:
            return super().user_change_password(request, id, form_url)
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if User.objects.filter(pk=user.pk).values_list("password", flat=True).get() != user.password:
                passwords.must_change(user)
                suspended = Assignment.objects.filter(user=user).update(suspended=True)
                detail = {"下次登录须修改密码": True, "角色": "已暂停，待安全管理员确认" if suspended else "未分配"}
                if request.POST.get("reset_totp") == "on":
                    Credential.objects.filter(user=user).update(totp_secret="", totp_confirmed=False,
                                                                totp_last_step=0)
                    detail["动态口令"] = "已解绑，下次登录须重新绑定"
                audit.event(request.user.username, VIA_ADMIN, AuditEntry.PASSWORD_RESET, "用户", user.username,
                            detail=detail)
        return response


def _has_records(unit: Unit) -> bool:
    """Whether anything belongs to the unit (people, ledger, problems, report texts…), the role assignments
    that name it aside."""
    return any(rel.related_model._base_manager.filter(**{rel.field.name: unit}).exists()
               for rel in Unit._meta.related_objects if rel.one_to_many)


@admin.register(Unit)
class UnitAdmin(RoleAdmin):
    roles = (Role.SYSADMIN,)
    list_display = ("name", "short_name", "code", "parent_name")
    search_fields = ("name", "short_name", "code")

    def has_delete_permission(self, request, obj=None):
        # deleting a unit takes its whole ledger with it, and the confirmation page would list the records,
        # which the sysadmin may not see: only a unit without records, one at a time, may be deleted
        return super().has_delete_permission(request, obj) and obj is not None and not _has_records(obj)


@admin.register(Assignment)
class AssignmentAdmin(RoleAdmin):
    """The secadmin assigns the business roles. The three administrators (三员) check each other, so none of
    their assignments, the secadmin's own included, is the secadmin's to give, change or remove."""

    roles = (Role.SECADMIN,)
    list_display = ("user", "role", "suspended")
    list_filter = ("role", "suspended")
    filter_horizontal = ("units",)

    def _may_touch(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return obj.user_id != request.user.pk and obj.role in RECORD_ROLES

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.exclude(pk=request.user.pk).exclude(
                assignment__role__in=[r for r in Role if r not in RECORD_ROLES])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(r.value, r.label) for r in Role if r in RECORD_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "suspended":
            return None  # cleared by saving: saving is the secadmin's confirmation
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # logged once, with its units, in save_related
        request._fengqing_before = _assignment_state(type(obj).objects.get(pk=obj.pk)) if change else None
        obj.suspended = False
        admin.ModelAdmin.save_model(self, request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        a = form.instance
        audit.event(request.user.username, VIA_ADMIN, AuditEntry.ASSIGN, "角色分配", a.user.username,
                    before=request._fengqing_before, detail=_assignment_state(a))


def _assignment_state(a: Assignment) -> dict:
    return {"角色": a.get_role_display(), "单位": sorted(a.units.values_list("name", flat=True)),
            **({"状态": "待安全管理员确认"} if a.suspended else {})}


@admin.register(LoginThrottle)
class LoginThrottleAdmin(RoleAdmin):
    """The secadmin unlocks a locked name (at an address) by deleting its row."""

    roles = (Role.SECADMIN,)
    list_display = ("username", "address", "failures", "locked_until", "last_attempt")
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for row in queryset:
                audit.event(request.user.username, VIA_ADMIN, AuditEntry.UNLOCK, "用户", row.username,
                            detail={"客户端地址": row.address, "失败次数": row.failures})
            queryset.delete()


class PolicyForm(forms.ModelForm):
    totp_roles = forms.MultipleChoiceField(label="另须动态口令的业务角色（三员总是须要）", required=False,
                                           choices=[(r.value, r.label) for r in RECORD_ROLES],
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = SecurityPolicy
        fields = ("idle_minutes", "password_max_age_days", "max_failures", "lock_minutes", "totp_roles")


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(RoleAdmin):
    """The security policy, set by the secadmin only (one row, never added or deleted)."""

    roles = (Role.SECADMIN,)
    form = PolicyForm
    list_display = ("__str__", "idle_minutes", "password_max_age_days", "max_failures", "lock_minutes")

    def get_queryset(self, request):
        SecurityPolicy.current()  # the row exists before anyone opens the list
        return super().get_queryset(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(SecurityPolicy.objects.get(pk=obj.pk))
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        audit.event(request.user.username, VIA_ADMIN, AuditEntry.POLICY, "安全策略", "", before=before,
                    detail=audit.snapshot(obj))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "via", "action", "model", "object_id", "unit_name")
    list_filter = ("action", "via", "model")
    search_fields = ("actor", "object_id", "unit_name")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
