"""Writing the audit log. Every path that changes records (web, import, command line) reports its changes here;
bulk paths hand over whole lists so the log costs one bulk insert, not a query per record."""

from __future__ import annotations

import getpass
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.db.models.fields.files import FieldFile

from .models import AuditEntry


@dataclass(frozen=True)
class Change:
    action: str  # AuditEntry.CREATE / UPDATE / DELETE
    obj: models.Model
    before: dict | None = None
    after: dict | None = None
    unit_id: int | None = None  # given by callers that know it, to spare a query per record (measures)


def snapshot(obj: models.Model) -> dict:
    """The record's stored values as JSON-safe data (foreign keys as ids); never a password hash."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.attname == "password":
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, FieldFile):
            value = value.name  # the stored path, not the file
        data[field.attname] = value
    return data


def cli_actor() -> str:
    try:
        return f"命令行（{getpass.getuser()}）"
    except (KeyError, OSError):
        return "命令行"


def _unit_of(obj: models.Model):
    if hasattr(obj, "unit_id"):
        return obj.unit_id
    measure = getattr(obj, "measure", None)  # evidence reaches its unit through its measure's problem
    problem = getattr(obj if measure is None else measure, "problem", None)
    return problem.unit_id if problem is not None else None


_ROWS_PER_INSERT = 500  # 5,000 parameters: well within SQLite's and PostgreSQL's limits
_COLUMNS = ("at", "actor", "via", "action", "model", "object_id", "unit_id", "unit_name", "before", "after")


def _json(data: dict | None) -> str | None:
    return None if data is None else json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)


def record(actor: str, via: str, changes: Iterable[Change], unit_names: dict[int, str] | None = None) -> int:
    """Append one entry per change; returns how many were written.

    Multi-row INSERTs of plain values: an import logs tens of thousands of changes, and the ORM's per-field
    preparation of model instances cost a third of the whole import."""
    unit_names = unit_names or {}
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = []
    for ch in changes:
        unit_id = ch.unit_id if ch.unit_id is not None else _unit_of(ch.obj)
        rows.append((at, actor, via, ch.action, str(ch.obj._meta.verbose_name), str(ch.obj.pk), unit_id,
                     unit_names.get(unit_id, ""), _json(ch.before if ch.action != AuditEntry.CREATE else None),
                     _json(ch.after if ch.action != AuditEntry.DELETE else None)))
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in _COLUMNS)}) VALUES "
    row_marks = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start:start + _ROWS_PER_INSERT]
            cursor.execute(head + ", ".join([row_marks] * len(chunk)), [v for row in chunk for v in row])
    return len(rows)


def event(actor: str, via: str, action: str, what: str, object_id: str, unit=None,
          detail: dict | None = None) -> None:
    """An access that changes no record — a 廉政档案 opened, a 党风廉政意见回复 written — as one entry: ``action``
    (查阅, 生成 …), ``what`` it concerned (the log's 对象类型) and ``detail`` (kept in 修改后)."""
    AuditEntry.objects.create(actor=actor, via=via, action=action, model=what, object_id=str(object_id)[:40],
                              unit_id=unit.pk if unit is not None else None,
                              unit_name=unit.name if unit is not None else "", after=detail)


def delete(actor: str, via: str, objs: list[models.Model], unit=None) -> dict[str, int]:
    """Delete the objects with everything their deletion cascades to, one log entry per row removed;
    returns rows removed per model (verbose name). ``unit``, when given, is the unit of every removed row.

    Raises ProtectedError / RestrictedError, as Model.delete does, before anything is logged or removed."""
    if not objs:
        return {}
    collector = Collector(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    removed = [o for instances in collector.data.values() for o in instances]
    removed += [o for qs in collector.fast_deletes for o in qs]
    # the rows linking a many-to-many relation are not records of their own
    removed = [o for o in removed if not o._meta.auto_created]
    unit_id = unit.pk if unit is not None else None
    changes = [Change(AuditEntry.DELETE, o, snapshot(o), unit_id=unit_id) for o in removed]
    with transaction.atomic(using=collector.using):
        record(actor, via, changes, {unit.pk: unit.name} if unit is not None else None)
        collector.delete()
    return dict(Counter(str(ch.obj._meta.verbose_name) for ch in changes))
