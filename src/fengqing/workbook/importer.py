"""Importing an interchange workbook (DESIGN §3): all or nothing, every problem reported, idempotent.

Keyed sheets are matched on their key, so people, departments and branches keep their identity (and the records
that refer to them stay attached). Sheets keyed by "row" are matched as multisets of whole rows. ``replace``
makes the unit's records exactly the workbook's; ``dry_run`` does the whole import and rolls it back, so its
counts are exactly those a real import would give.

Memory stays bounded whatever the row count: rows are streamed from the workbook (reader.OpenWorkbook), checked
and written in batches inside one transaction; stored rows are matched through digests (matching.py). The
transaction is rolled back as soon as the first problem is found (all or nothing, and the database is not
held while the rest of the workbook is checked for the complete list of problems).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import ExitStack
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
from .bulk import insert
from .matching import KeyedRows, RowPool
from .problems import Problem
from .reader import OpenWorkbook, Row, open_workbook
from .schema import REFERENCES, SHEETS, SHEETS_BY_NAME, Column, Sheet

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
                    actor: str = "", via: str = "导入", today: date | None = None,
                    approve: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import one unit's workbook; raises WorkbookError listing every problem, leaving the database as it was.

    ``approve`` sees the result before it is committed; whatever it raises rolls the import back."""
    with open_workbook(source) as book:
        result = _Import(book, replace, today or timezone.localdate(), actor or "导入", via).run(dry_run, approve)
    result.warnings = book.warnings
    result.dry_run, result.replace = dry_run, replace
    return result


class _Import:
    """One pass over the workbook, parents first (WRITE_ORDER): each row is checked, then written in batches
    while no problem has been found; after the first problem, only checked."""

    def __init__(self, book: OpenWorkbook, replace: bool, today: date, actor: str, via: str):
        self.book, self.replace, self.today, self.actor, self.via = book, replace, today, actor, via
        self.problems = book.problems
        self.unit: Unit | None = None
        self.unit_values: dict = {}
        self.person_refs: dict[str, str] = {}  # text as written → 工号
        self.names: dict[str, set[str]] = {}  # reference kind → names the workbook's rows give
        self.staff: dict[str, str | None] = {}  # 工号 → 姓名, as the workbook gives them
        self.known: dict[str, set[str]] = {}  # reference kind → every name a reference may use
        self.people: tuple[dict, dict] | None = None
        self.ids: dict[str, dict[str, int]] = {}
        self.changes: list[Change] = []
        self.deletions: list[tuple[Sheet, array]] = []
        self._transaction: ExitStack | None = None

    # -- the transaction ------------------------------------------------------------------------------------

    @property
    def writing(self) -> bool:
        return self._transaction is not None

    def _stop_writing(self) -> None:
        """The import will fail: roll back what was written and only check the rest."""
        stack, self._transaction = self._transaction, None
        if stack is not None:
            transaction.set_rollback(True)
            stack.close()
            self.changes = []

    def run(self, dry_run: bool, approve: Callable[[ImportResult], None] | None) -> ImportResult:
        with ExitStack() as stack:
            stack.enter_context(transaction.atomic())
            self._transaction = stack
            result = self._run()
            if self.problems:
                self._stop_writing()
                raise self.problems.error()
            if approve is not None:
                approve(result)
            if dry_run:
                transaction.set_rollback(True)
        return result

    def _run(self) -> ImportResult:
        stats = self._unit()
        result = ImportResult(self.unit, [stats])  # type: ignore[arg-type]  # None only with a problem
        for name in WRITE_ORDER[1:]:
            sheet = SHEETS_BY_NAME[name]
            if name in self.book:  # an absent sheet leaves its kind alone, even with replace
                result.sheets.append(self._sheet(sheet))
            if self.writing:
                self._refresh_ids(name)
        if self.writing:
            self._delete()
            self._flush_audit()
        order = [s.name for s in SHEETS]
        result.sheets.sort(key=lambda s: order.index(s.sheet))
        return result

    # -- the unit -------------------------------------------------------------------------------------------

    def _unit(self) -> SheetStats:
        first = None
        for row in self.book.rows("单位"):
            if first is None:
                first = row
            else:
                self.problems.append(Problem("单位", "“单位”表只能有一行", row.number))
        stats = SheetStats("单位")
        if first is None:
            if not any(p.sheet == "单位" for p in self.problems):
                self.problems.append(Problem("单位", "缺少“单位”工作表或其中没有数据：必须填写一行本单位信息"))
            self._stop_writing()
            return stats
        self.unit_values = first.values
        name, code = self.unit_values.get("单位名称"), self.unit_values.get("单位代码")
        self.unit = Unit.objects.filter(name=name).first() if name else None
        holder = Unit.objects.filter(code=code).exclude(name=name).first() if code else None
        if holder:
            self.problems.append(Problem("单位", f"单位代码已被“{holder.name}”使用", first.number, "单位代码", code))
        if self.problems:
            self._stop_writing()
            return stats
        sheet = SHEETS_BY_NAME["单位"]
        present, absent = self._columns(sheet)
        values = {c.field: self._value(c, self.unit_values.get(c.header)) for c in present}
        unit = self.unit
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
        self.unit = unit
        return stats

    # -- checking -------------------------------------------------------------------------------------------

    def _existing(self, model: type[UnitScoped], sheet_name: str) -> QuerySet:
        """The unit's stored rows a reference may still name: none when the workbook replaces that sheet's rows
        (``replace`` with the sheet present); a sheet absent from the workbook leaves its rows as they are."""
        if self.unit is None or self.unit.pk is None or (self.replace and sheet_name in self.book):
            return model._default_manager.none()
        return model._default_manager.filter(unit=self.unit)

    def _known(self, kind: str) -> set[str]:
        """Names a reference of this kind may use: the referenced sheet's rows (read before any row naming
        them, WRITE_ORDER) and the stored ones the import keeps."""
        if kind not in self.known:
            ref = REFERENCES[kind]
            stored = set(self._existing(ref.model, ref.sheet).values_list(ref.attr, flat=True))
            self.known[kind] = self.names.get(kind, set()) | stored
        return self.known[kind]

    def _people(self) -> tuple[dict[str, str | None], dict[str, list[str]]]:
        """The people a reference may name: 工号 → 姓名, and 姓名 → the 工号 of everyone of that name."""
        if self.people is None:
            staff = dict(self.staff)
            for staff_no, name in self._existing(Person, "人员").values_list("staff_no", "name"):
                staff.setdefault(staff_no, name)
            by_name: dict[str, list[str]] = defaultdict(list)
            for staff_no, name in staff.items():
                if name:
                    by_name[name].append(staff_no)
            self.people = staff, by_name
        return self.people

    def _collect(self, sheet: Sheet, row: Row) -> None:
        """What later sheets' references need of a referenced sheet's row."""
        v = row.values
        if sheet.name == "人员" and v.get("工号"):
            self.staff[v["工号"]] = v.get("姓名")
        for kind, ref in REFERENCES.items():
            if ref.sheet == sheet.name and v.get(ref.header):
                self.names.setdefault(kind, set()).add(v[ref.header])

    def _check_row(self, sheet: Sheet, row: Row, seen: dict[tuple, int] | None) -> None:
        v = row.values
        if seen is not None:
            key = tuple(v.get(h) for h in sheet.key)
            if any(k is None for k in key):
                pass  # a missing key cell is already reported (or, for 信访举报, means "keyed by row")
            elif key in seen:
                self.problems.append(Problem(sheet.name, f"与第{seen[key]}行重复（{'、'.join(sheet.key)}相同）",
                                             row.number, sheet.key[-1], key[-1]))
            else:
                seen[key] = row.number
        for column in sheet.columns:
            value = v.get(column.header)
            if value is None:
                continue
            if column.kind == "person":
                self._check_person(sheet, row, column, value)
            elif column.kind in REFERENCES and value not in self._known(column.kind):
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

    def _check_person(self, sheet: Sheet, row: Row, column: Column, text: str) -> None:
        staff, by_name = self._people()
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

    # -- one sheet ------------------------------------------------------------------------------------------

    def _sheet(self, sheet: Sheet) -> SheetStats:
        """Check every row of the sheet; while nothing is wrong, match and write them a batch at a time."""
        present, absent = self._columns(sheet)
        attnames = [c.attname for c in present]
        keyed = sheet.key and all(c in present for c in sheet.key_columns)
        key_at = [present.index(c) for c in sheet.key_columns] if keyed else []
        seen: dict[tuple, int] | None = {} if sheet.key else None
        stats = SheetStats(sheet.name)
        by_key, pool = self._stored(sheet, attnames, key_at) if self.writing else (KeyedRows(), RowPool())
        defaults = {c.attname: _empty(c) for c in absent}
        creates: list[tuple] = []
        updates: list[tuple[int, tuple]] = []
        for row in self.book.rows(sheet.name):
            self._check_row(sheet, row, seen)
            self._collect(sheet, row)
            if self.problems:
                self._stop_writing()
            if not self.writing:
                continue
            vals = tuple(self._value(c, row.values.get(c.header)) for c in present)
            key = tuple(vals[i] for i in key_at)
            if key and all(k not in ("", None) for k in key):
                pk, differs = by_key.take(key, vals)
                if pk is None:
                    creates.append(vals)
                elif differs:
                    updates.append((pk, vals))
                else:
                    stats.unchanged += 1
            elif pool and pool.take(vals):
                stats.unchanged += 1
            else:
                creates.append(vals)
            if len(creates) >= BATCH:
                stats.new += self._create(sheet, attnames, creates, defaults)
            if len(updates) >= BATCH:
                stats.updated += self._update(sheet, attnames, updates)
        if self.writing:
            stats.new += self._create(sheet, attnames, creates, defaults)
            stats.updated += self._update(sheet, attnames, updates)
            if self.replace:
                leftover = array("q", by_key.leftover())
                leftover.extend(pool.leftover())
                if leftover:
                    self.deletions.append((sheet, leftover))
                    stats.deleted = len(leftover)
        return stats

    def _stored(self, sheet: Sheet, attnames: list[str], key_at: list[int]) -> tuple[KeyedRows, RowPool]:
        """The unit's stored rows of the sheet, by key where they have one and as a pool of whole rows
        otherwise; read in chunks, kept as digests."""
        by_key, pool = KeyedRows(), RowPool()
        if self.unit is None:
            return by_key, pool
        for pk, *vals in self._queryset(sheet).values_list("pk", *attnames).iterator(chunk_size=2000):
            key = tuple(vals[i] for i in key_at)
            if key and all(k not in ("", None) for k in key):
                by_key.add(pk, key, tuple(vals))
            else:
                pool.add(pk, tuple(vals))
        return by_key, pool

    # -- writing --------------------------------------------------------------------------------------------

    def _audit(self, changes: Iterable[Change]) -> None:
        self.changes.extend(changes)
        if len(self.changes) >= BATCH:  # keep memory bounded: write the log as we go
            self._flush_audit()

    def _flush_audit(self) -> None:
        record(self.actor, self.via, self.changes, {self.unit.pk: self.unit.name})
        self.changes = []

    def _value(self, column: Column, value: Any) -> Any:
        if value is None:
            return _empty(column)
        if column.kind == "person":
            return self.ids["person"][self.person_refs[value]]
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
        headers = self.book.headers.get(sheet.name, ())
        return ([c for c in sheet.columns if c.header in headers],
                [c for c in sheet.columns if c.header not in headers])

    def _queryset(self, sheet: Sheet) -> QuerySet:
        return cast(type[UnitRecord], sheet.model).of_unit(self.unit)

    def _create(self, sheet: Sheet, attnames: list[str], rows: list[tuple], defaults: dict) -> int:
        """Insert the rows (emptying ``rows``) and log them; returns how many."""
        if not rows:
            return 0
        # a record with a unit column gets the workbook's unit; a measure reaches it through its problem
        extra = {**defaults, "unit_id": self.unit.pk} if issubclass(sheet.model, UnitScoped) else defaults
        # instances built from positional values in field order, Django's fast path (as for rows loaded from
        # the database): the workbook's values over the defaults
        fields = sheet.model._meta.concrete_fields
        base = [extra[f.attname] if f.attname in extra else f.get_default() for f in fields]
        at = {attname: i for i, attname in enumerate(attnames)}
        slots = [(i, at[f.attname]) for i, f in enumerate(fields) if f.attname in at]
        objs = []
        for vals in rows:
            args = base.copy()
            for i, j in slots:
                args[i] = vals[j]
            objs.append(sheet.model(*args))
        rows.clear()
        insert(sheet.model, objs)
        self._audit(Change(AuditEntry.CREATE, o, after=snapshot(o), unit_id=self.unit.pk) for o in objs)
        return len(objs)

    def _update(self, sheet: Sheet, attnames: list[str], updates: list[tuple[int, tuple]]) -> int:
        """Apply (id, values) pairs (emptying ``updates``) and log them; returns how many."""
        if not updates:
            return 0
        chunk = dict(updates)
        updates.clear()
        objs = list(sheet.model._default_manager.filter(pk__in=chunk))
        changes = []
        for obj in objs:
            before = snapshot(obj)
            for attname, value in zip(attnames, chunk[obj.pk]):
                setattr(obj, attname, value)
            changes.append(Change(AuditEntry.UPDATE, obj, before, snapshot(obj), self.unit.pk))
        sheet.model._default_manager.bulk_update(objs, attnames)
        self._audit(changes)
        return len(chunk)

    def _delete(self) -> None:
        # records before the people, departments and problems they refer to
        for sheet, pks in reversed(self.deletions):
            for start in range(0, len(pks), BATCH):
                chunk = pks[start:start + BATCH].tolist()
                objs = list(sheet.model._default_manager.filter(pk__in=chunk))
                self._audit(Change(AuditEntry.DELETE, o, before=snapshot(o), unit_id=self.unit.pk) for o in objs)
                try:
                    sheet.model._default_manager.filter(pk__in=chunk).delete()
                except (ProtectedError, RestrictedError) as exc:
                    raise _still_referenced(sheet, exc) from None


def _empty(column: Column) -> object:
    if column.default is not None:
        return column.default
    return "" if column.kind in ("text", "title", "enum", "period") else None


def _still_referenced(sheet: Sheet, exc: ProtectedError | RestrictedError) -> WorkbookError:
    """Rows --replace would delete that records of a sheet absent from the workbook still name."""
    objs = getattr(exc, "restricted_objects", None) or getattr(exc, "protected_objects", ())
    kinds = "、".join(sorted({str(o._meta.verbose_name) for o in objs}))
    return WorkbookError([Problem(sheet.name, f"替换导入要删除工作簿中没有的{sheet.name}，但“{kinds}”中仍有记录引用它们，"
                                  "而工作簿没有给出这些工作表（替换只作用于工作簿中给出的工作表）：请同时给出这些工作表，或保留这些行")])
