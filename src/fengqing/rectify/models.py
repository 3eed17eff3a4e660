"""Problems found and their rectification measures (DESIGN §3 sheets 问题/整改措施)."""

from __future__ import annotations

from django.db import models

from .. import choices as C
from ..dbutil import enum_field, in_choices, unique_per_unit
from ..org.models import UnitRecord, UnitScoped


class Problem(UnitScoped):
    code = models.CharField("编号", max_length=50)
    period = models.CharField("期间", max_length=8)
    aspect = enum_field(C.PROBLEM_ASPECT, "方面")
    title = models.CharField("标题", max_length=300)
    description = models.TextField("描述", blank=True, default="")
    source = enum_field(C.PROBLEM_SOURCE, "来源", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "问题"
        ordering = ["unit", "period", "code"]
        constraints = [unique_per_unit("rectify_problem", "code"),
                       in_choices("rectify_problem", "aspect", C.PROBLEM_ASPECT),
                       in_choices("rectify_problem", "source", C.PROBLEM_SOURCE, blank=True)]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Measure(UnitRecord):
    unit_path = "problem__unit_id"  # a measure belongs to its problem's unit

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures",
                                verbose_name="问题")
    text = models.CharField("措施", max_length=500)
    owner = models.CharField("责任人", max_length=100, blank=True, default="")
    deadline = models.DateField("完成时限")
    status = enum_field(C.TASK_STATUS, "状态")
    done_date = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
        ordering = ["problem", "deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["problem", "text"], name="rectify_measure_unique_key"),
                       in_choices("rectify_measure", "status", C.TASK_STATUS)]

    @property
    def unit_id(self) -> int:
        return self.problem.unit_id
