"""The interchange workbook, version 1 (DESIGN §3), declared once.

Import, export, the blank template, the validation messages and docs/workbook.md are all driven from
``SHEETS``. A column's ``kind`` says how a cell is read and written:

- ``text``: any text; ``title`` is text without 《》.
- ``date``: an Excel date, or text 2023-06-30, 2023/6/30 or 2023年6月30日.
- ``bool``: 是 / 否 (empty means 否).
- ``count``: a whole number ≥ 0; ``year``: a four-digit year; ``money``: ≥ 0 in 万元 with up to 2 decimals.
- ``enum``: exactly one of ``choices`` (full- and half-width brackets are treated as equal).
- ``period``: a period code such as 2023H1.
- ``person`` / ``department`` / ``branch`` / ``problem``: a reference by 工号 (or unique 姓名) / 机构名称 /
  党支部名称 / 问题编号.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from .. import choices as C
from ..ledger import models as L
from ..org import models as O
from ..rectify import models as R


KIND_HELP = {
    "text": "文本",
    "title": "文本，不带书名号《》",
    "date": "日期，如 2023-06-30、2023/6/30 或 2023年6月30日",
    "bool": "填“是”或“否”，空白视为“否”",
    "count": "不小于 0 的整数",
    "year": "四位年份，如 2023",
    "money": "不小于 0 的金额（万元），最多两位小数",
    "enum": "从下拉列表中选择",
    "period": "期间，如 2023H1（上半年）、2023H2（下半年）、2023（全年）",
    "person": "人员的工号，或在本单位唯一的姓名",
    "department": "“机构”表中的机构名称",
    "branch": "“党支部”表中的党支部名称",
    "problem": "“问题”表中的问题编号",
}


@dataclass(frozen=True)
class Reference:
    """A column kind that names a row of another sheet."""

    sheet: str  # the sheet holding the rows referred to
    header: str  # the column of that sheet that names them
    model: type[models.Model]
    attr: str  # the model field that column fills
    label: str  # how messages name it


#: references to rows of other sheets, by column kind; people (kind ``person``) are named by 工号 or by a
#: 姓名 unique in the unit, which the importer resolves on its own
REFERENCES = {
    "department": Reference("机构", "名称", O.Department, "name", "机构"),
    "branch": Reference("党支部", "名称", O.PartyBranch, "name", "党支部"),
    "problem": Reference("问题", "编号", R.Problem, "code", "问题编号"),
}
REFERENCE_KINDS = ("person", *REFERENCES)


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the model field it fills (for references: the ForeignKey's name)
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    default: object = None  # stored when the cell is empty
    note: str = ""

    @property
    def attname(self) -> str:
        """The model attribute the column's value is stored in (a reference stores the row's id)."""
        return self.field + "_id" if self.kind in REFERENCE_KINDS else self.field

    @property
    def help(self) -> str:
        text = KIND_HELP[self.kind]
        if self.choices:
            text += "：" + "、".join(self.choices)
        return text + (f"；{self.note}" if self.note else "")


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # headers of the natural key; () means the whole row is the key
    note: str = ""
    single_row: bool = False
    #: rows whose key columns are all empty fall back to the whole row as key (信访举报 without 编号)
    key_optional: bool = False
    order_by: tuple[str, ...] = field(default=("id",))

    def column(self, header: str) -> Column:
        return next(c for c in self.columns if c.header == header)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def key_columns(self) -> tuple[Column, ...]:
        return tuple(self.column(h) for h in self.key)


def text(header, fld, required=False, **kw):
    return Column(header, fld, "text", required, **kw)


def enum(header, fld, values, required=True, **kw):
    return Column(header, fld, "enum", required, choices=values, **kw)


def date(header, fld, required=False, **kw):
    return Column(header, fld, "date", required, **kw)


def yes_no(header, fld):
    return Column(header, fld, "bool", default=False)


def count(header, fld, default=None):
    return Column(header, fld, "count", default=default)


def ref(header, fld, kind, required=True, **kw):
    return Column(header, fld, kind, required, **kw)


SHEETS: tuple[Sheet, ...] = (
    Sheet("单位", O.Unit, (
        text("单位名称", "name", True),
        text("单位简称", "short_name", True),
        text("单位代码", "code", note="如统一社会信用代码"),
        text("党组织名称", "party_org_name", True, note="如 中共河川市水务局党组"),
        text("班子称谓", "leadership_title", default="领导班子", note="空白时为“领导班子”"),
        text("上级单位", "parent_name"),
    ), key=("单位名称",), single_row=True, note="本单位基本信息，只填一行"),
    Sheet("机构", O.Department, (
        text("名称", "name", True),
        enum("类型", "kind", C.DEPARTMENT_KIND),
        count("排序", "order"),
    ), key=("名称",), note="内设科（室）和下属单位", order_by=("order", "name")),
    Sheet("人员", O.Person, (
        text("工号", "staff_no", True),
        text("姓名", "name", True),
        enum("性别", "gender", C.GENDER, required=False),
        ref("所在机构", "department", "department", required=False),
        text("职务", "post"),
        yes_no("班子成员", "is_leader"),
        yes_no("机构负责人", "is_dept_head"),
        enum("人员类别", "category", C.STAFF_CATEGORY),
        enum("状态", "status", C.PERSON_STATUS),
        date("状态日期", "status_date", note="状态不是“在职”时必填：退休或调出的日期"),
        date("入职日期", "joined"),
        enum("政治面貌", "political_status", C.POLITICAL_STATUS),
        ref("所在党支部", "branch", "branch", required=False, note="党员（含预备党员）必填"),
    ), key=("工号",), note="全体人员，含退休、调出和编外人员", order_by=("staff_no",)),
    Sheet("党支部", O.PartyBranch, (
        text("名称", "name", True),
        enum("类型", "kind", C.BRANCH_KIND),
        text("书记", "secretary"),
        date("成立日期", "founded"),
        date("撤销日期", "dissolved"),
    ), key=("名称",), order_by=("name",)),
    Sheet("学习", L.Study, (
        date("日期", "date", True),
        enum("类型", "kind", C.STUDY_KIND),
        text("主题", "topic", True),
        count("参加人数", "attendees"),
    ), order_by=("date", "id")),
    Sheet("会议", L.Meeting, (
        date("日期", "date", True),
        enum("类型", "kind", C.MEETING_KIND),
        text("议题", "topic", True),
        yes_no("研究党风廉政", "integrity"),
    ), order_by=("date", "id")),
    Sheet("文件", L.Document, (
        date("日期", "date", True),
        Column("标题", "title", "title", True),
        enum("类别", "category", C.DOCUMENT_CATEGORY),
    ), order_by=("date", "id")),
    Sheet("责任分工", L.DutyTask, (
        text("任务", "task", True),
        text("牵头领导", "lead"),
        text("责任机构", "responsible"),
        date("完成时限", "deadline"),
        enum("状态", "status", C.TASK_STATUS),
        date("完成日期", "done_date"),
    ), key=("任务",), order_by=("deadline", "task")),
    Sheet("会商", L.Liaison, (
        date("日期", "date", True),
        enum("形式", "form", C.LIAISON_FORM),
        text("内容", "content", True),
    ), note="与派驻纪检监察组的会商通报", order_by=("date", "id")),
    Sheet("廉政意见", L.IntegrityOpinion, (
        date("日期", "date", True),
        ref("对象", "subject", "person"),
        enum("事项", "matter", C.OPINION_MATTER),
        enum("结论", "conclusion", C.OPINION_CONCLUSION),
    ), note="纪检监察组出具的党风廉政意见", order_by=("date", "id")),
    Sheet("三公经费", L.PublicExpense, (
        Column("年度", "year", "year", True),
        enum("期间", "half", C.EXPENSE_PERIOD),
        enum("类别", "category", C.EXPENSE_CATEGORY),
        Column("预算数", "budget", "money", True),
        Column("支出数", "spent", "money", True),
    ), key=("年度", "期间", "类别"), note="金额单位：万元", order_by=("year", "half", "category")),
    Sheet("廉政教育", L.Education, (
        date("日期", "date", True),
        enum("形式", "form", C.EDUCATION_FORM),
        text("内容", "content", True),
        count("覆盖人数", "coverage"),
    ), order_by=("date", "id")),
    Sheet("谈话", L.Talk, (
        date("日期", "date", True),
        ref("对象", "subject", "person"),
        enum("类型", "kind", C.TALK_KIND),
        text("谈话人", "talker"),
        text("事由", "reason"),
    ), order_by=("date", "id")),
    Sheet("四种形态", L.Discipline, (
        date("日期", "date", True),
        ref("对象", "subject", "person"),
        enum("形态", "form", C.DISCIPLINE_FORM),
        text("处理方式", "handling", True),
        enum("线索来源", "source", C.CLUE_SOURCE, required=False),
    ), note="敏感信息", order_by=("date", "id")),
    Sheet("干部选任", L.Promotion, (
        date("日期", "date", True),
        ref("对象", "subject", "person"),
        enum("事项", "matter", C.PROMOTION_MATTER),
        yes_no("档案必审", "file_reviewed"),
        yes_no("个人事项必核", "matters_verified"),
        yes_no("纪检意见必听", "opinion_heard"),
        yes_no("信访举报必查", "petitions_checked"),
    ), note="“凡提四必”", order_by=("date", "id")),
    Sheet("挂职", L.Posting, (
        ref("对象", "subject", "person"),
        text("挂职单位", "host", True),
        date("开始日期", "start", True),
        date("结束日期", "end"),
    ), order_by=("start", "id")),
    Sheet("廉政风险点", L.RiskPoint, (
        text("编号", "code", True),
        ref("所在机构", "department", "department"),
        text("岗位", "post", True),
        text("风险描述", "description", True),
        enum("等级", "level", C.RISK_LEVEL),
        text("防控措施", "controls"),
        text("责任人", "owner"),
        date("排查日期", "reviewed", True),
    ), key=("编号",), order_by=("code",)),
    Sheet("述责述廉", L.DutyReport, (
        date("日期", "date", True),
        ref("述职人", "reporter", "person"),
        yes_no("现场述责", "on_site"),
        count("好", "good", default=0),
        count("较好", "fairly_good", default=0),
        count("一般", "average", default=0),
        count("差", "poor", default=0),
    ), note="好、较好、一般、差为民主测评票数", order_by=("date", "id")),
    Sheet("信访举报", L.Petition, (
        date("收件日期", "received", True),
        text("编号", "number"),
        text("反映对象", "subject"),
        text("问题类别", "category"),
        enum("办理结果", "result", C.PETITION_RESULT, required=False),
        date("办结日期", "closed"),
    ), key=("编号",), key_optional=True, note="敏感信息", order_by=("received", "id")),
    Sheet("问题", R.Problem, (
        text("编号", "code", True),
        Column("期间", "period", "period", True),
        enum("方面", "aspect", C.PROBLEM_ASPECT),
        text("标题", "title", True),
        text("描述", "description"),
        enum("来源", "source", C.PROBLEM_SOURCE, required=False),
    ), key=("编号",), note="存在的问题", order_by=("period", "code")),
    Sheet("整改措施", R.Measure, (
        ref("问题编号", "problem", "problem"),
        text("措施", "text", True),
        text("责任人", "owner"),
        date("完成时限", "deadline", True),
        enum("状态", "status", C.TASK_STATUS),
        date("完成日期", "done_date"),
    ), key=("问题编号", "措施"), order_by=("problem__code", "deadline", "id")),
)

SHEETS_BY_NAME = {s.name: s for s in SHEETS}
INSTRUCTION_SHEET = "填表说明"
