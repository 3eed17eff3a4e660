"""The record kinds the web pages list and edit, derived from the workbook schema (one declaration drives the
workbook and the pages alike)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Q

from ..errors import PeriodError
from ..ledger import models as L
from ..periods import Period, parse_period
from ..rectify import models as R
from ..workbook.schema import REFERENCE_KINDS, SHEETS, Column, Sheet

ORG_SHEETS = ("机构", "人员", "党支部")
RECTIFY_SHEETS = ("问题", "整改措施")
#: registers of what stands rather than of what happened: listed whole by default and filtered by their own
#: columns (status, department, category), never by a period
STANDING_SHEETS = ("机构", "人员", "党支部", "责任分工", "挂职", "廉政风险点")
#: columns whose filter offers the unit's own rows (by id)
FILTER_REFERENCES = ("department", "branch")


#: text columns never searched: the reasons of talks, which for 提醒谈话 and 诫勉谈话 are sensitive
UNSEARCHED = {(L.Talk, "reason")}


@dataclass(frozen=True)
class Kind:
    sheet: Sheet

    @property
    def slug(self) -> str:
        return self.sheet.model._meta.model_name or ""

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def model(self) -> type[models.Model]:
        return self.sheet.model

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.sheet.columns

    @property
    def group(self) -> str:
        if self.name in ORG_SHEETS:
            return "组织"
        return "整改" if self.name in RECTIFY_SHEETS else "台账"

    @cached_property
    def date_field(self) -> str | None:
        """The field a period filter applies to: the first date column (required ones first)."""
        dates = [c for c in self.columns if c.kind == "date"]
        dates.sort(key=lambda c: not c.required)
        return dates[0].field if dates else None

    @cached_property
    def text_fields(self) -> tuple[str, ...]:
        """The text columns a search looks in. Of sensitive registers only the identifiers: their text is
        stored encrypted where encryption is on, and a search by it would tell what the text says."""
        fields = [c.field for c in self.columns if c.kind in ("text", "title")  # sealed ones: not in SQL
                  and not getattr(self.model._meta.get_field(c.field), "stores_ciphertext", False)]
        if getattr(self.model, "sensitive", False):
            keys = {c.field for c in self.sheet.key_columns}
            return tuple(f for f in fields if f in keys)
        return tuple(f for f in fields if (self.model, f) not in UNSEARCHED)

    @cached_property
    def related(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.kind in REFERENCE_KINDS)

    @property
    def standing(self) -> bool:
        return self.name in STANDING_SHEETS

    @property
    def periodic(self) -> bool:
        """Whether the list shows one period at a time (by default the current one)."""
        if self.standing:
            return False
        return self.date_field is not None or self.model is R.Problem or any(c.kind == "year" for c in self.columns)

    @cached_property
    def period_column(self) -> str:
        """The header of the column a period filter applies to, as the page names it."""
        if self.model is R.Problem:
            return "期间"
        field = self.date_field or next((c.field for c in self.columns if c.kind == "year"), "")
        return next((c.header for c in self.columns if c.field == field), "")

    @cached_property
    def filter_columns(self) -> tuple[Column, ...]:
        """The columns the filter bar offers: every choice column and the unit's departments and branches."""
        return tuple(c for c in self.columns if c.kind == "enum" or c.kind in FILTER_REFERENCES)

    @cached_property
    def total_columns(self) -> tuple[Column, ...]:
        """Columns whose sum over the listed rows means something (money, head counts, votes)."""
        return tuple(c for c in self.columns if c.kind == "money" or (c.kind == "count" and c.field != "order"))

    def sort_key(self, column: Column) -> str:
        """The ordering expression of a column: a reference sorts by the name it shows."""
        if column.kind == "problem":
            return f"{column.field}__code"
        return f"{column.field}__name" if column.kind in REFERENCE_KINDS else column.field

    def period_q(self, period: Period) -> Q:
        if self.model is R.Problem:
            return Q(period=period.code)
        if self.date_field:
            return Q(**{f"{self.date_field}__range": (period.start, period.end)})
        year = next((c.field for c in self.columns if c.kind == "year"), None)
        return Q(**{year: period.year}) if year else Q()

    def text_q(self, text: str) -> Q:
        q = Q()
        for f in self.text_fields:
            q |= Q(**{f"{f}__icontains": text})
        for f in self.related:
            target = "code" if f == "problem" else "name"
            q |= Q(**{f"{f}__{target}__icontains": text})
        return q

    def ordering(self) -> tuple[str, ...]:
        if self.date_field and self.sheet.model is not R.Measure:
            return (f"-{self.date_field}", "-id")
        return self.sheet.order_by


KINDS: tuple[Kind, ...] = tuple(Kind(s) for s in SHEETS if not s.single_row)
KINDS_BY_SLUG = {k.slug: k for k in KINDS}


def kinds_in(group: str) -> list[Kind]:
    return [k for k in KINDS if k.group == group]


#: the record groups the side navigation of the record pages lists
NAV_KINDS = {g: kinds_in(g) for g in ("组织", "台账")}


def cell_text(obj: models.Model, column: Column) -> str:
    """A record's value of a column as the record tables show it."""
    value = getattr(obj, column.field)
    if value is None or value == "":
        return ""
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "person":
        return value.name
    if column.kind == "problem":
        return value.code
    if column.kind == "period":
        return period_label(value)
    return str(value)


def period_label(code: str) -> str:
    """A stored period code in words (2023H1 → 2023年上半年); a code that is no period stays as it is."""
    try:
        return parse_period(code).label
    except PeriodError:
        return code
