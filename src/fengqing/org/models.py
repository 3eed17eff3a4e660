"""Units, their departments, Party branches and people (DESIGN §2, §3 sheets 单位/机构/党支部/人员)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .. import choices as C
from ..dbutil import enum_field, in_choices, unique_per_unit


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("单位简称", max_length=50)
    code = models.CharField("单位代码", max_length=50, blank=True, default="")
    party_org_name = models.CharField("党组织名称", max_length=100)
    leadership_title = models.CharField("班子称谓", max_length=30, default="领导班子")
    parent_name = models.CharField("上级单位", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="org_unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitRecord(models.Model):
    """Base of every record of one unit, with or without a unit column of its own."""

    #: the lookup from a row to its unit's id, declared here once for scope, assessment, import and export
    unit_path = "unit_id"
    #: detail visible only to the discipline group, the unit's leadership and the supervisor (DESIGN §2)
    sensitive = False

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        @property
        def unit_id(self) -> int:
            """The unit's id: a column of the row, or (a measure) of its problem."""

    @classmethod
    def of_unit(cls, unit: Unit | int) -> models.QuerySet:
        """The unit's rows of this model."""
        return cls._default_manager.filter(**{cls.unit_path: getattr(unit, "pk", unit)})

    @classmethod
    def of_units(cls, unit_ids: Iterable[int]) -> models.QuerySet:
        """The rows of this model of these units."""
        return cls._default_manager.filter(**{f"{cls.unit_path}__in": unit_ids})


class UnitScoped(UnitRecord):
    """Base of every record that carries its unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name="单位")

    class Meta:
        abstract = True


class Department(UnitScoped):
    name = models.CharField("名称", max_length=100)
    kind = enum_field(C.DEPARTMENT_KIND, "类型")
    order = models.IntegerField("排序", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["unit", "order", "name"]
        constraints = [unique_per_unit("org_department", "name"),
                       in_choices("org_department", "kind", C.DEPARTMENT_KIND)]

    def __str__(self) -> str:
        return self.name


class PartyBranch(UnitScoped):
    name = models.CharField("名称", max_length=100)
    kind = enum_field(C.BRANCH_KIND, "类型")
    secretary = models.CharField("书记", max_length=50, blank=True, default="")
    founded = models.DateField("成立日期", null=True, blank=True)
    dissolved = models.DateField("撤销日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "党支部"
        ordering = ["unit", "name"]
        constraints = [unique_per_unit("org_partybranch", "name"),
                       in_choices("org_partybranch", "kind", C.BRANCH_KIND)]

    def __str__(self) -> str:
        return self.name


class Person(UnitScoped):
    staff_no = models.CharField("工号", max_length=50)
    name = models.CharField("姓名", max_length=50)
    gender = enum_field(C.GENDER, "性别", blank=True)
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, null=True, blank=True,
                                   verbose_name="所在机构")
    post = models.CharField("职务", max_length=100, blank=True, default="")
    is_leader = models.BooleanField("班子成员", default=False)
    is_dept_head = models.BooleanField("机构负责人", default=False)
    category = enum_field(C.STAFF_CATEGORY, "人员类别")
    status = enum_field(C.PERSON_STATUS, "状态")
    status_date = models.DateField("状态日期", null=True, blank=True)
    joined = models.DateField("入职日期", null=True, blank=True)
    political_status = enum_field(C.POLITICAL_STATUS, "政治面貌")
    branch = models.ForeignKey(PartyBranch, on_delete=models.RESTRICT, null=True, blank=True,
                               verbose_name="所在党支部")

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["unit", "staff_no"]
        constraints = [
            unique_per_unit("org_person", "staff_no"),
            in_choices("org_person", "gender", C.GENDER, blank=True),
            in_choices("org_person", "category", C.STAFF_CATEGORY),
            in_choices("org_person", "status", C.PERSON_STATUS),
            in_choices("org_person", "political_status", C.POLITICAL_STATUS),
            models.CheckConstraint(condition=Q(status="在职") | Q(status_date__isnull=False),
                                   name="org_person_status_date_required"),
            models.CheckConstraint(condition=~Q(political_status__in=C.PARTY_MEMBER_STATUSES)
                                   | Q(branch__isnull=False), name="org_person_member_has_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    @property
    def is_party_member(self) -> bool:
        return self.political_status in C.PARTY_MEMBER_STATUSES
