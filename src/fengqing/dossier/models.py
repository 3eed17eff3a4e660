"""What the discipline group decides about the 廉政档案 and the 党风廉政意见回复: which person a petition names,
the rules that propose a conclusion, and each request's confirmed conclusion. The records themselves stay in the
ledger; nothing here copies them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .. import choices as C
from ..crypto.fields import SealedTextField
from ..dbutil import enum_field, in_choices
from ..ledger.models import IntegrityOpinion, Petition
from ..org.models import Person, UnitScoped


class PetitionLink(UnitScoped):
    """The group's decision on one petition and one person: ``linked`` confirms (or adds) the link; not
    ``linked`` rejects the link made automatically from the 反映对象 text."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+", verbose_name="信访举报")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name="人员")
    linked = models.BooleanField("确认为反映对象")
    decided_by = models.CharField("确认人", max_length=150)
    decided_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "信访举报反映对象确认"
        constraints = [models.UniqueConstraint(fields=["petition", "person"], name="dossier_petitionlink_unique")]


class OpinionRules(UnitScoped):
    """The unit's settings of the 党风廉政意见 rules, over the defaults of :mod:`fengqing.dossier.rules`."""

    window_years = models.PositiveSmallIntegerField("查阅年限（年）", default=3)
    conclusions = models.JSONField("各规则建议结论", default=dict, blank=True)  # rule code → 同意/暂缓/不同意
    # handling keyword → months (null: no end); the whole table, replacing the default one; null: the default
    influence = models.JSONField("处理影响期（月）", null=True, blank=True)
    changed_by = models.CharField("修改人", max_length=150, blank=True, default="")
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "党风廉政意见规则"
        constraints = [models.UniqueConstraint(fields=["unit"], name="dossier_opinionrules_unique_unit"),
                       models.CheckConstraint(condition=Q(window_years__gte=1) & Q(window_years__lte=10),
                                              name="dossier_opinionrules_window_range")]


class Reply(UnitScoped):
    """A person's confirmed conclusion on one 廉政意见 request: the rules' proposal, the conclusion chosen and why."""

    request = models.OneToOneField(IntegrityOpinion, on_delete=models.CASCADE, related_name="+",
                                   verbose_name="廉政意见")
    proposed = enum_field(C.OPINION_CONCLUSION, "规则建议结论")
    conclusion = enum_field(C.OPINION_CONCLUSION, "确认结论")
    reason = SealedTextField("理由", max_length=500, blank=True, default="")  # why, about a person: sealed
    decided_by = models.CharField("确认人", max_length=150)
    decided_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = verbose_name_plural = "党风廉政意见回复"
        constraints = [in_choices("dossier_reply", "proposed", C.OPINION_CONCLUSION),
                       in_choices("dossier_reply", "conclusion", C.OPINION_CONCLUSION)]
