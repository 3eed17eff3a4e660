"""Importing an interchange workbook (DESIGN §3): all or nothing, every problem reported, idempotent.

Keyed sheets are matched on their key, so people, departments and branches keep their identity (and the records
that refer to them stay attached). Sheets keyed by "row" are matched as multisets of whole rows. ``replace``
makes the unit's records exactly the workbook's; ``dry_run`` does the whole import and rolls it back, so its
counts are exactly those a real import would give.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO, cast

from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.utils import timezone

from .. import choices as C
from ..accounts.audit import Change, record, snapshot
from ..accounts.models import AuditEntry
from ..errors import WorkbookError
from ..org.models import Person, Unit, UnitRecord, UnitScoped
from ..plausible import date_problem
from .problems import Problem
from .reader import ReadWorkbook, Row, read_workbook
from .schema import REFERENCES, SHEETS, SHEETS_BY_NAME, Column, Reference, Sheet

#: parents before the records that refer to them
WRITE_ORDER = ("单位", "机构", "党支部", "人员") + tuple(
    s.name for s in SHEETS if s.name not in ("单位", "机构", "党支部", "人员"))
BATCH = 1000


@dataclass
class SheetStats:
    sheet: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged


@dataclass
class ImportResult:
    unit: Unit
    sheets: list[SheetStats] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    replace: bool = False

    @property
    def changed(self) -> bool:
        return any(s.new or s.updated or s.deleted for s in self.sheets)


def import_workbook(source: str | BinaryIO, *, replace: bool = False, dry_run: bool = False,
                    actor: str = "", via: str = "导入", today: date | None = None) -> ImportResult:
    """Import one unit's workbook; raises WorkbookError listing every problem, leaving the database as it was."""
    book = read_workbook(source)
    plan = _Plan(book, replace, today or timezone.localdate())
    plan.check()
    if plan.problems:
        raise plan.problems.error()
    with transaction.atomic():
        result = _Writer(plan, actor or "导入", via).run()
        if dry_run:
            transaction.set_rollback(True)
    result.warnings = book.warnings
    result.dry_run, result.replace = dry_run, replace
    return result


class _Plan:
    """The workbook checked as a whole: the unit, keys, references and cross-checks."""

    def __init__(self, book: ReadWorkbook, replace: bool, today: date):
        self.book, self.replace, self.today = book, replace, today
        self.problems = book.problems
        self.unit_values: dict = {}
        self.unit: Unit | None = None
        self.person_refs: dict[str, str] = {}  # text as written → 工号

    def rows(self, sheet_name: str) -> list[Row]:
        return self.book.sheets.get(sheet_name, [])

    def check(self) -> None:
        self._check_unit()
        for sheet in SHEETS:
            if sheet.key:
                self._check_keys(sheet)
        known = {kind: self._known(ref) for kind, ref in REFERENCES.items()}
        people = self._people()
        for sheet in SHEETS:
            for row in self.rows(sheet.name):
                self._check_row(sheet, row, known, people)

    def _check_unit(self) -> None:
        rows = self.rows("单位")
        if not rows:
            if not any(p.sheet == "单位" for p in self.problems):
                self.problems.append(Problem("单位", "缺少“单位”工作表或其中没有数据：必须填写一行本单位信息"))
            return
        for extra in rows[1:]:
            self.problems.append(Problem("单位", "“单位”表只能有一行", extra.number))
        self.unit_values = rows[0].values
        name, code = self.unit_values.get("单位名称"), self.unit_values.get("单位代码")
        self.unit = Unit.objects.filter(name=name).first() if name else None
        holder = Unit.objects.filter(code=code).exclude(name=name).first() if code else None
        if holder:
            self.problems.append(Problem("单位", f"单位代码已被“{holder.name}”使用", rows[0].number, "单位代码", code))

    def _check_keys(self, sheet: Sheet) -> None:
        seen: dict[tuple, int] = {}
        for row in self.rows(sheet.name):
            key = tuple(row.values.get(h) for h in sheet.key)
            if any(v is None for v in key):
                continue  # a missing key cell is already reported (or, for 信访举报, means "keyed by row")
            if key in seen:
                self.problems.append(Problem(sheet.name, f"与第{seen[key]}行重复（{'、'.join(sheet.key)}相同）",
                                             row.number, sheet.key[-1], key[-1]))
            else:
                seen[key] = row.number

    def _existing(self, model: type[UnitScoped], sheet_name: str) -> QuerySet:
        """The unit's stored rows a reference may still name: none when the workbook replaces that sheet's rows
        (``replace`` with the sheet present); a sheet absent from the workbook leaves its rows as they are."""
        if self.unit is None or (self.replace and sheet_name in self.book.sheets):
            return model._default_manager.none()
        return model._default_manager.filter(unit=self.unit)

    def _known(self, ref: Reference) -> set[str]:
        names = {row.values[ref.header] for row in self.rows(ref.sheet) if row.values.get(ref.header)}
        return names | set(self._existing(ref.model, ref.sheet).values_list(ref.attr, flat=True))

    def _people(self) -> tuple[dict[str, str | None], dict[str, list[str]]]:
        """The people a reference may name: 工号 → 姓名, and 姓名 → the 工号 of everyone of that name."""
        staff = {row.values["工号"]: row.values.get("姓名") for row in self.rows("人员") if row.values.get("工号")}
        for staff_no, name in self._existing(Person, "人员").values_list("staff_no", "name"):
            staff.setdefault(staff_no, name)
        by_name: dict[str, list[str]] = defaultdict(list)
        for staff_no, name in staff.items():
            if name:
                by_name[name].append(staff_no)
        return staff, by_name

    def _check_row(self, sheet: Sheet, row: Row, known, people) -> None:
        v = row.values
        for column in sheet.columns:
            value = v.get(column.header)
            if value is None:
                continue
            if column.kind == "person":
                self._check_person(sheet, row, column, value, people)
            elif column.kind in REFERENCES and value not in known[column.kind]:
                self.problems.append(Problem(sheet.name, f"找不到该{REFERENCES[column.kind].label}", row.number,
                                             column.header, value))
            elif column.kind == "date" and (reason := date_problem(value, self.today)):
                self.problems.append(Problem(sheet.name, reason, row.number, column.header, value))
            elif column.kind == "year" and value > self.today.year + 1:
                self.problems.append(Problem(sheet.name, "年度晚于明年，请检查", row.number, column.header, value))
        if sheet.name == "人员":
            self._check_person_row(row)
        if sheet.name == "挂职" and v.get("开始日期") and v.get("结束日期") and v["开始日期"] > v["结束日期"]:
            self.problems.append(Problem(sheet.name, "开始日期晚于结束日期", row.number, "开始日期", v["开始日期"]))

    def _check_person_row(self, row: Row) -> None:
        v = row.values
        if v.get("政治面貌") in C.PARTY_MEMBER_STATUSES and not v.get("所在党支部"):
            self.problems.append(Problem("人员", "党员必须填写所在党支部", row.number, "所在党支部"))
        if v.get("状态") and v["状态"] != "在职" and not v.get("状态日期"):
            self.problems.append(Problem("人员", f"状态为“{v['状态']}”时必须填写状态日期", row.number, "状态日期"))

    def _check_person(self, sheet: Sheet, row: Row, column: Column, text: str, people) -> None:
        staff, by_name = people
        if text in staff:  # a 工号 first, then a name
            self.person_refs[text] = text
            return
        matches = by_name.get(text, [])
        if len(matches) == 1:
            self.person_refs[text] = matches[0]
        elif matches:
            self.problems.append(Problem(sheet.name, f"本单位有{len(matches)}人同名，请填写工号", row.number,
                                         column.header, text))
        else:
            self.problems.append(Problem(sheet.name, "找不到该人员（请填写工号或本单位人员的姓名）", row.number,
                                         column.header, text))


def _empty(column: Column) -> object:
    if column.default is not None:
        return column.default
    return "" if column.kind in ("text", "title", "enum", "period") else None


class _Writer:
    """Applies a checked plan inside the caller's transaction."""

    def __init__(self, plan: _Plan, actor: str, via: str):
        self.plan, self.actor, self.via = plan, actor, via
        self.changes: list[Change] = []
        self.deletions: list[tuple[Sheet, list[int]]] = []
        self.ids: dict[str, dict[str, int]] = {}

    def run(self) -> ImportResult:
        unit, stats = self._write_unit()
        self.unit = unit
        result = ImportResult(unit, [stats])
        for name in WRITE_ORDER[1:]:
            sheet = SHEETS_BY_NAME[name]
            if name in self.plan.book.sheets:  # an absent sheet leaves its kind alone, even with replace
                result.sheets.append(self._sync(sheet, self.plan.rows(name)))
            self._refresh_ids(name)
        self._delete()
        self._flush_audit()
        order = [s.name for s in SHEETS]
        result.sheets.sort(key=lambda s: order.index(s.sheet))
        return result

    def _audit(self, changes) -> None:
        self.changes.extend(changes)
        if len(self.changes) >= BATCH:  # keep memory bounded: write the log as we go
            self._flush_audit()

    def _flush_audit(self) -> None:
        record(self.actor, self.via, self.changes, {self.unit.pk: self.unit.name})
        self.changes = []

    def _write_unit(self) -> tuple[Unit, SheetStats]:
        sheet = SHEETS_BY_NAME["单位"]
        present, absent = self._columns(sheet)
        values = {c.field: self._value(c, self.plan.unit_values.get(c.header)) for c in present}
        stats = SheetStats("单位")
        unit = self.plan.unit
        if unit is None:
            unit = Unit.objects.create(**values, **{c.field: _empty(c) for c in absent})
            self.changes.append(Change(AuditEntry.CREATE, unit, after=snapshot(unit)))
            stats.new = 1
        elif any(getattr(unit, k) != val for k, val in values.items()):
            before = snapshot(unit)
            for k, val in values.items():
                setattr(unit, k, val)
            unit.save()
            self.changes.append(Change(AuditEntry.UPDATE, unit, before, snapshot(unit)))
            stats.updated = 1
        else:
            stats.unchanged = 1
        return unit, stats

    def _value(self, column: Column, value: Any) -> Any:
        if value is None:
            return _empty(column)
        if column.kind == "person":
            return self.ids["person"][self.plan.person_refs[value]]
        if column.kind in REFERENCES:
            return self.ids[column.kind][value]
        return value

    def _refresh_ids(self, sheet_name: str) -> None:
        if sheet_name == "人员":
            self.ids["person"] = dict(Person.objects.filter(unit=self.unit).values_list("staff_no", "pk"))
        for kind, ref in REFERENCES.items():
            if ref.sheet == sheet_name:
                self.ids[kind] = dict(ref.model._default_manager.filter(unit=self.unit).values_list(ref.attr, "pk"))

    def _columns(self, sheet: Sheet) -> tuple[list[Column], list[Column]]:
        """The sheet's columns the workbook has, and those it lacks: a missing optional column leaves the
        stored values alone (new rows get its default)."""
        headers = self.plan.book.headers.get(sheet.name, ())
        return ([c for c in sheet.columns if c.header in headers],
                [c for c in sheet.columns if c.header not in headers])

    def _queryset(self, sheet: Sheet) -> QuerySet:
        return cast(type[UnitRecord], sheet.model).of_unit(self.unit)

    def _sync(self, sheet: Sheet, rows: list[Row]) -> SheetStats:
        present, absent = self._columns(sheet)
        attnames = [c.attname for c in present]
        wanted = [tuple(self._value(c, row.values.get(c.header)) for c in present) for row in rows]
        existing = [(r[0], tuple(r[1:])) for r in self._queryset(sheet).values_list("pk", *attnames)]
        if sheet.key and all(c in present for c in sheet.key_columns):
            key_at = [present.index(c) for c in sheet.key_columns]
            keyed = lambda vals: all(vals[i] not in ("", None) for i in key_at)  # noqa: E731
            creates, updates, leftover, unchanged = _match_keys([w for w in wanted if keyed(w)],
                                                                [e for e in existing if keyed(e[1])], key_at)
            row_creates, row_leftover, row_unchanged = _match_rows([w for w in wanted if not keyed(w)],
                                                                   [e for e in existing if not keyed(e[1])])
            creates += row_creates
            leftover += row_leftover
            unchanged += row_unchanged
        else:
            updates = []
            creates, leftover, unchanged = _match_rows(wanted, existing)
        stats = SheetStats(sheet.name, new=len(creates), updated=len(updates), unchanged=unchanged)
        self._create(sheet, attnames, creates, {c.attname: _empty(c) for c in absent})
        self._update(sheet, attnames, updates)
        if self.plan.replace and leftover:
            self.deletions.append((sheet, leftover))
            stats.deleted = len(leftover)
        return stats

    def _create(self, sheet: Sheet, attnames: list[str], rows: list[tuple], defaults: dict) -> None:
        # a record with a unit column gets the workbook's unit; a measure reaches it through its problem
        extra = {**defaults, "unit_id": self.unit.pk} if issubclass(sheet.model, UnitScoped) else defaults
        for start in range(0, len(rows), BATCH):
            objs = [sheet.model(**dict(zip(attnames, vals)), **extra) for vals in rows[start:start + BATCH]]
            sheet.model._default_manager.bulk_create(objs)
            self._audit(Change(AuditEntry.CREATE, o, after=snapshot(o), unit_id=self.unit.pk) for o in objs)

    def _update(self, sheet: Sheet, attnames: list[str], updates: list[tuple[int, tuple]]) -> None:
        for start in range(0, len(updates), BATCH):
            chunk = dict(updates[start:start + BATCH])
            objs = list(sheet.model._default_manager.filter(pk__in=chunk))
            changes = []
            for obj in objs:
                before = snapshot(obj)
                for attname, value in zip(attnames, chunk[obj.pk]):
                    setattr(obj, attname, value)
                changes.append(Change(AuditEntry.UPDATE, obj, before, snapshot(obj), self.unit.pk))
            sheet.model._default_manager.bulk_update(objs, attnames)
            self._audit(changes)

    def _delete(self) -> None:
        # records before the people, departments and problems they refer to
        for sheet, pks in reversed(self.deletions):
            for start in range(0, len(pks), BATCH):
                chunk = pks[start:start + BATCH]
                objs = list(sheet.model._default_manager.filter(pk__in=chunk))
                self._audit(Change(AuditEntry.DELETE, o, before=snapshot(o), unit_id=self.unit.pk) for o in objs)
                try:
                    sheet.model._default_manager.filter(pk__in=chunk).delete()
                except (ProtectedError, RestrictedError) as exc:
                    raise _still_referenced(sheet, exc) from None


def _still_referenced(sheet: Sheet, exc) -> WorkbookError:
    """Rows --replace would delete that records of a sheet absent from the workbook still name."""
    objs = getattr(exc, "restricted_objects", None) or getattr(exc, "protected_objects", ())
    kinds = "、".join(sorted({str(o._meta.verbose_name) for o in objs}))
    return WorkbookError([Problem(sheet.name, f"替换导入要删除工作簿中没有的{sheet.name}，但“{kinds}”中仍有记录引用它们，"
                                  "而工作簿没有给出这些工作表（替换只作用于工作簿中给出的工作表）：请同时给出这些工作表，或保留这些行")])


def _match_keys(wanted: list[tuple], existing: list[tuple[int, tuple]], key_at: list[int]
                ) -> tuple[list[tuple], list[tuple[int, tuple]], list[int], int]:
    """Workbook rows matched with stored ones by key: the rows to create, the (pk, values) to update, the pks
    of stored rows the workbook does not name, and how many rows are unchanged."""
    by_key = {tuple(vals[i] for i in key_at): (pk, vals) for pk, vals in existing}
    creates, updates, unchanged = [], [], 0
    for vals in wanted:
        found = by_key.pop(tuple(vals[i] for i in key_at), None)
        if found is None:
            creates.append(vals)
        elif found[1] != vals:
            updates.append((found[0], vals))
        else:
            unchanged += 1
    return creates, updates, [pk for pk, _ in by_key.values()], unchanged


def _match_rows(wanted: list[tuple], existing: list[tuple[int, tuple]]) -> tuple[list[tuple], list[int], int]:
    """Rows without a key matched by their whole values: the rows to create, the pks of stored rows left over,
    and how many rows are unchanged."""
    pool: dict[tuple, list[int]] = defaultdict(list)
    for pk, vals in existing:
        pool[vals].append(pk)
    creates, unchanged = [], 0
    for vals in wanted:
        if pool.get(vals):
            pool[vals].pop()
            unchanged += 1
        else:
            creates.append(vals)
    return creates, [pk for pks in pool.values() for pk in pks], unchanged
