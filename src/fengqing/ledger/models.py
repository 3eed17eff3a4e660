"""Dated records of a unit's work (DESIGN §3: 学习 … 信访举报). Sheets keyed by "row" have no natural key:
the whole row is the key on import. The content of sensitive records (who talked and why, how a case was
handled, whom a petition names and about what) is sealed at rest; what the figures count (kinds, forms,
outcomes, dates, the person a record is about) stays clear (docs/security.md)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .. import choices as C
from ..crypto.fields import SealedTextField
from ..dbutil import by_unit, enum_field, in_choices, non_negative, unique_per_unit
from ..org.models import Department, Person, UnitScoped


def person_ref(verbose: str, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(Person, on_delete=models.RESTRICT, related_name="+", verbose_name=verbose,
                             null=null, blank=null)


class Study(UnitScoped):
    date = models.DateField("日期")
    kind = enum_field(C.STUDY_KIND, "类型")
    topic = models.CharField("主题", max_length=300)
    attendees = models.PositiveIntegerField("参加人数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "学习"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_study", "date")]
        constraints = [in_choices("ledger_study", "kind", C.STUDY_KIND)]


class Meeting(UnitScoped):
    date = models.DateField("日期")
    kind = enum_field(C.MEETING_KIND, "类型")
    topic = models.CharField("议题", max_length=300)
    integrity = models.BooleanField("研究党风廉政", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_meeting", "date")]
        constraints = [in_choices("ledger_meeting", "kind", C.MEETING_KIND)]


class Document(UnitScoped):
    date = models.DateField("日期")
    title = models.CharField("标题", max_length=300)
    category = enum_field(C.DOCUMENT_CATEGORY, "类别")

    class Meta:
        verbose_name = verbose_name_plural = "文件"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_document", "date")]
        constraints = [in_choices("ledger_document", "category", C.DOCUMENT_CATEGORY),
                       models.CheckConstraint(condition=~Q(title__contains="《") & ~Q(title__contains="》"),
                                              name="ledger_document_title_plain")]


class DutyTask(UnitScoped):
    task = models.CharField("任务", max_length=300)
    lead = models.CharField("牵头领导", max_length=100, blank=True, default="")
    responsible = models.CharField("责任机构", max_length=200, blank=True, default="")
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = enum_field(C.TASK_STATUS, "状态")
    done_date = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "责任分工"
        ordering = ["unit", "deadline", "id"]
        indexes = [by_unit("ledger_dutytask", "deadline")]
        constraints = [unique_per_unit("ledger_dutytask", "task"),
                       in_choices("ledger_dutytask", "status", C.TASK_STATUS)]


class Liaison(UnitScoped):
    date = models.DateField("日期")
    form = enum_field(C.LIAISON_FORM, "形式")
    content = models.CharField("内容", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "会商"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_liaison", "date")]
        constraints = [in_choices("ledger_liaison", "form", C.LIAISON_FORM)]


class IntegrityOpinion(UnitScoped):
    date = models.DateField("日期")
    subject = person_ref("对象")
    matter = enum_field(C.OPINION_MATTER, "事项")
    conclusion = enum_field(C.OPINION_CONCLUSION, "结论")

    class Meta:
        verbose_name = verbose_name_plural = "廉政意见"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_integrityopinion", "date")]
        constraints = [in_choices("ledger_integrityopinion", "matter", C.OPINION_MATTER),
                       in_choices("ledger_integrityopinion", "conclusion", C.OPINION_CONCLUSION)]


class PublicExpense(UnitScoped):
    year = models.PositiveIntegerField("年度")
    half = enum_field(C.EXPENSE_PERIOD, "期间")
    category = enum_field(C.EXPENSE_CATEGORY, "类别")
    # the constraint below holds in the database; the validators answer a form in Chinese, under the field
    budget = models.DecimalField("预算数", max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0, "预算数不能为负数")])
    spent = models.DecimalField("支出数", max_digits=12, decimal_places=2,
                                validators=[MinValueValidator(0, "支出数不能为负数")])

    class Meta:
        verbose_name = verbose_name_plural = "三公经费"
        ordering = ["unit", "year", "half", "category"]
        constraints = [unique_per_unit("ledger_publicexpense", "year", "half", "category"),
                       in_choices("ledger_publicexpense", "half", C.EXPENSE_PERIOD),
                       in_choices("ledger_publicexpense", "category", C.EXPENSE_CATEGORY),
                       *non_negative("ledger_publicexpense", "budget", "spent")]


class Education(UnitScoped):
    date = models.DateField("日期")
    form = enum_field(C.EDUCATION_FORM, "形式")
    content = models.CharField("内容", max_length=500)
    coverage = models.PositiveIntegerField("覆盖人数", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "廉政教育"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_education", "date")]
        constraints = [in_choices("ledger_education", "form", C.EDUCATION_FORM)]


class Talk(UnitScoped):
    date = models.DateField("日期")
    subject = person_ref("对象")
    kind = enum_field(C.TALK_KIND, "类型")
    talker = SealedTextField("谈话人", max_length=100, blank=True, default="")
    reason = SealedTextField("事由", max_length=500, blank=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "谈话"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_talk", "date")]
        constraints = [in_choices("ledger_talk", "kind", C.TALK_KIND)]

    @property
    def is_sensitive(self) -> bool:
        return self.kind in C.SENSITIVE_TALK_KINDS


class Discipline(UnitScoped):
    sensitive = True
    date = models.DateField("日期")
    subject = person_ref("对象")
    form = enum_field(C.DISCIPLINE_FORM, "形态")
    handling = SealedTextField("处理方式", max_length=200)
    source = enum_field(C.CLUE_SOURCE, "线索来源", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "四种形态"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_discipline", "date")]
        constraints = [in_choices("ledger_discipline", "form", C.DISCIPLINE_FORM),
                       in_choices("ledger_discipline", "source", C.CLUE_SOURCE, blank=True)]


class Promotion(UnitScoped):
    date = models.DateField("日期")
    subject = person_ref("对象")
    matter = enum_field(C.PROMOTION_MATTER, "事项")
    file_reviewed = models.BooleanField("档案必审", default=False)
    matters_verified = models.BooleanField("个人事项必核", default=False)
    opinion_heard = models.BooleanField("纪检意见必听", default=False)
    petitions_checked = models.BooleanField("信访举报必查", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "干部选任"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_promotion", "date")]
        constraints = [in_choices("ledger_promotion", "matter", C.PROMOTION_MATTER)]


class Posting(UnitScoped):
    subject = person_ref("对象")
    host = models.CharField("挂职单位", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "挂职"
        ordering = ["unit", "start", "id"]
        indexes = [by_unit("ledger_posting", "start")]
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                              name="ledger_posting_start_before_end")]


class RiskPoint(UnitScoped):
    code = models.CharField("编号", max_length=50)
    department = models.ForeignKey(Department, on_delete=models.RESTRICT, verbose_name="所在机构")
    post = models.CharField("岗位", max_length=100)
    description = models.CharField("风险描述", max_length=500)
    level = enum_field(C.RISK_LEVEL, "等级")
    controls = models.CharField("防控措施", max_length=500, blank=True, default="")
    owner = models.CharField("责任人", max_length=100, blank=True, default="")
    reviewed = models.DateField("排查日期")

    class Meta:
        verbose_name = verbose_name_plural = "廉政风险点"
        ordering = ["unit", "code"]
        constraints = [unique_per_unit("ledger_riskpoint", "code"),
                       in_choices("ledger_riskpoint", "level", C.RISK_LEVEL)]


class DutyReport(UnitScoped):
    date = models.DateField("日期")
    reporter = person_ref("述职人")
    on_site = models.BooleanField("现场述责", default=False)
    good = models.PositiveIntegerField("好", default=0)
    fairly_good = models.PositiveIntegerField("较好", default=0)
    average = models.PositiveIntegerField("一般", default=0)
    poor = models.PositiveIntegerField("差", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "述责述廉"
        ordering = ["unit", "date", "id"]
        indexes = [by_unit("ledger_dutyreport", "date")]


class Petition(UnitScoped):
    sensitive = True
    received = models.DateField("收件日期")
    number = models.CharField("编号", max_length=50, blank=True, default="")
    subject = SealedTextField("反映对象", max_length=200, blank=True, default="")
    category = SealedTextField("问题类别", max_length=100, blank=True, default="")
    result = enum_field(C.PETITION_RESULT, "办理结果", blank=True)
    closed = models.DateField("办结日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信访举报"
        ordering = ["unit", "received", "id"]
        indexes = [by_unit("ledger_petition", "received")]
        constraints = [unique_per_unit("ledger_petition", "number", condition=~Q(number="")),
                       in_choices("ledger_petition", "result", C.PETITION_RESULT, blank=True)]
