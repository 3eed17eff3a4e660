"""Forms built from the workbook schema: one generic record form, the import upload and the evidence upload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone

from ..org import models as O
from ..errors import PeriodError
from ..periods import parse_period
from ..plausible import date_problem
from ..rectify import models as R
from .kinds import Kind

#: Django names a violated CHECK constraint by its identifier; these say the same in words, on the field
CONSTRAINT_MESSAGES = {
    "ledger_document_title_plain": ("title", "标题请不要带书名号《》"),
    "ledger_posting_start_before_end": ("end", "结束日期不能早于开始日期"),
    "org_person_status_date_required": ("status_date", "状态不是“在职”时，必须填写状态日期（退休或调出的日期）"),
    "org_person_member_has_branch": ("branch", "中共党员和预备党员必须填写所在党支部"),
}

WORKBOOK_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {".pdf": "PDF", ".jpg": "JPEG 图片", ".jpeg": "JPEG 图片", ".png": "PNG 图片",
                  ".docx": "Word 文档", ".xlsx": "Excel 工作簿", ".ofd": "OFD 版式文件"}


class RecordForm(forms.ModelForm):
    """Validates a record of one unit; the unit is fixed by the page, never by the posted data."""

    def __init__(self, *args, unit: O.Unit, may_save: Callable[[Model], bool], **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, O.UnitScoped):  # a measure belongs to the unit of its problem
            self.instance.unit = unit
        scoped = {"subject": O.Person, "reporter": O.Person, "department": O.Department, "branch": O.PartyBranch,
                  "problem": R.Problem}
        for name, field in self.fields.items():
            if name in scoped and hasattr(field, "queryset"):
                field.queryset = scoped[name]._default_manager.filter(unit=unit)
        # the 类型 offered are those the user may save (a clerk's talk: no 诫勉谈话); the scope decides
        kind = self.fields.get("kind")
        if isinstance(kind, forms.ChoiceField):
            model, offered = self._meta.model, cast(list[tuple[str, str]], kind.choices)
            kind.choices = [c for c in offered if not c[0] or may_save(model(unit=unit, kind=c[0]))]
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(_plausible_date)
        if "period" in self.fields:
            self.fields["period"].validators.append(_period_code)

    def _get_validation_exclusions(self):
        # the unit is not a form field, yet the per-unit uniqueness must be checked here, not by the database
        return super()._get_validation_exclusions() - {"unit"}

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict") and NON_FIELD_ERRORS in errors.error_dict:
            kept = []
            for err in errors.error_dict[NON_FIELD_ERRORS]:
                hit = self._unique_hit(err) or next(
                    (v for k, v in CONSTRAINT_MESSAGES.items() if k in " ".join(err.messages)), None)
                if hit and hit[0] in self.fields:
                    errors.error_dict.setdefault(hit[0], []).append(ValidationError(hit[1]))
                else:
                    kept.append(err)
            errors.error_dict[NON_FIELD_ERRORS] = kept
            if not kept:
                del errors.error_dict[NON_FIELD_ERRORS]
        super()._update_errors(errors)

    def _unique_hit(self, err) -> tuple[str, str] | None:
        """A per-unit uniqueness error, said on the first key field: 本单位已有相同“工号”的人员."""
        if err.code != "unique_together":
            return None
        fields = [f for f in err.params["unique_check"] if f not in ("unit", "problem") and f in self.fields]
        if not fields:
            return None
        labels = "、".join(f"“{self.fields[f].label}”" for f in fields)
        return fields[0], f"本单位已有{labels}相同的{self._meta.model._meta.verbose_name}记录"


def _plausible_date(value) -> None:
    reason = date_problem(value, timezone.localdate())
    if reason:
        raise ValidationError(reason)


def _period_code(value: str) -> None:
    try:
        parse_period(value)
    except PeriodError:
        raise ValidationError("不是期间：应写作 2023H1、2023H2、2023 或 2023Q1") from None


def _widget(column):
    if column.kind == "date":
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if column.field in ("description",):
        return forms.Textarea(attrs={"rows": 3})
    return None


def record_form_class(kind: Kind) -> type[RecordForm]:
    widgets = {c.field: w for c in kind.columns if (w := _widget(c))}
    labels = {c.field: c.header for c in kind.columns}
    help_texts = {c.field: c.note for c in kind.columns if c.note}
    form = forms.modelform_factory(kind.model, form=RecordForm, fields=[c.field for c in kind.columns],
                                   widgets=widgets, labels=labels, help_texts=help_texts)
    return cast(type[RecordForm], form)


def _check_upload(f, limit: int, suffixes: dict | tuple, what: str):
    suffix = Path(f.name).suffix.lower()
    if suffix not in suffixes:
        allowed = "、".join(suffixes)
        raise ValidationError(f"不支持的{what}类型“{suffix or '无扩展名'}”：只接受 {allowed}")
    if f.size > limit:
        raise ValidationError(f"{what}过大（{f.size / 1048576:.1f} MB）：不能超过 {limit // 1048576} MB")
    return f


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label="交换格式工作簿（.xlsx）")
    replace = forms.BooleanField(label="替换本单位全部记录（工作簿中没有的记录将被删除）", required=False)

    def clean_workbook(self):
        f = _check_upload(self.cleaned_data["workbook"], WORKBOOK_MAX_BYTES, (".xlsx",), "文件")
        if f.read(4) != b"PK\x03\x04":  # an .xlsx is a zip archive
            raise ValidationError("文件内容不是 .xlsx 工作簿")
        f.seek(0)
        return f


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean_file(self):
        return _check_upload(self.cleaned_data["file"], EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, "文件")
