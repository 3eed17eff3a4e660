"""The admin site is the sysadmin's and secadmin's tool (DESIGN §7): users and units for the first, roles
and assignments for the second. The audit log is shown read-only to superusers and can be changed by nobody."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils.text import format_lazy

from ..org.models import Unit
from . import audit
from .models import Assignment, AuditEntry, LoginThrottle, Role
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


def _audit_password(request, user_pk, view, how: str):
    """Runs an admin view that may set a user's password and logs it when it did (never the hash)."""
    def stored():
        return User.objects.filter(pk=user_pk).values_list("password", flat=True).first()

    if user_pk is None:
        return view()
    with transaction.atomic():
        before = stored()
        response = view()
        if stored() != before:
            user = User.objects.get(pk=user_pk)
            after = how if user.has_usable_password() else "已停用密码登录"
            audit.record(request.user.username, VIA_ADMIN, [audit.Change(
                audit.AuditEntry.UPDATE, user, {"password": "原密码"}, {"password": after})])
    return response


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends this warning in English, outside its translation catalogue
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text, "停用后，该用户的现有密码将失效。")


@admin.register(User)
class FengqingUserAdmin(RoleAdmin, UserAdmin):
    roles = (Role.SYSADMIN,)
    change_password_form = PasswordChangeForm
    list_display = ("username", "first_name", "is_active", "last_login")
    list_filter = ("is_active",)
    # privileges come from the role assignment, not from Django's flags and groups
    fieldsets = ((None, {"fields": ("username", "password")}),
                 ("个人信息", {"fields": ("first_name", "last_name", "email")}),
                 ("状态", {"fields": ("is_active", "last_login", "date_joined")}))
    readonly_fields = ("last_login", "date_joined")

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))  # None for a malformed or unknown id: Django answers 404
        return _audit_password(request, user.pk if user else None, lambda: super(
            FengqingUserAdmin, self).user_change_password(request, id, form_url), "已由管理员重设")


_site_password_change = admin.site.password_change


def _own_password_change(request, extra_context=None):
    return _audit_password(request, request.user.pk, lambda: _site_password_change(request, extra_context),
                           "本人已修改")


# the admin site's "change my password" page: the site is Django's default one, so its view is wrapped here
admin.site.password_change = _own_password_change


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
    list_display = ("user", "role")
    list_filter = ("role",)
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        audit.record(request.user.username, VIA_ADMIN, [audit.Change(
            audit.AuditEntry.UPDATE, form.instance, None,
            {"role": form.instance.role, "units": sorted(form.instance.units.values_list("id", flat=True))})])


@admin.register(LoginThrottle)
class LoginThrottleAdmin(RoleAdmin):
    """The secadmin unlocks a locked name by deleting its row."""

    roles = (Role.SECADMIN,)
    list_display = ("username", "failures", "locked_until")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
