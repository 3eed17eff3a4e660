"""Writing the audit log. Every path that changes records (web, import, command line) reports its changes here,
and every security event (log-in, denied request, export …) through ``event``; bulk paths hand over whole lists
so the log costs one bulk insert, not a query per record. Each entry is chained to the previous one by its
hash (accounts.chain); writers lock the chain head, so concurrent writers cannot fork the chain."""

from __future__ import annotations

import contextvars
import getpass
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.db.models.fields.files import FieldFile

from . import chain
from .models import AuditEntry, ChainHead


@dataclass(frozen=True)
class Change:
    action: str  # AuditEntry.CREATE / UPDATE / DELETE
    obj: models.Model
    before: dict | None = None
    after: dict | None = None
    unit_id: int | None = None  # given by callers that know it, to spare a query per record (measures)


_SECRETS = {"password", "totp_secret"}


def snapshot(obj: models.Model) -> dict:
    """The record's stored values as JSON-safe data (foreign keys as ids, sealed fields sealed); never a password
    hash or a secret."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.attname in _SECRETS:
            continue
        value = getattr(obj, field.attname)
        if getattr(field, "stores_ciphertext", False):
            value = field.get_prep_value(value)  # sealed as in its table: the log holds no plaintext of it
        elif isinstance(value, (date, datetime)):
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


@dataclass(frozen=True)
class Context:
    """Who is acting, for the entries written while it is current: the web sets it per request, the command
    line per command."""

    role: str = ""
    address: str = ""


_context: contextvars.ContextVar[Context] = contextvars.ContextVar(
    "fengqing_audit_context", default=Context())  # noqa: B039 (a frozen dataclass: immutable)


@contextmanager
def acting(role: str = "", address: str = ""):
    token = _context.set(Context(role, address))
    try:
        yield
    finally:
        _context.reset(token)


_ROWS_PER_INSERT = 500  # 8,000 parameters: well within SQLite's and PostgreSQL's limits
_COLUMNS = ("at", "actor", "role", "address", "via", "action", "model", "object_id", "unit_id", "unit_name",
            "outcome", "before", "after", "prev_hash", "hash")


_ENCODE = DjangoJSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _json(data):
    """Stored as hashed: the canonical form (accounts.chain.canonical_json), dates and decimals as text."""
    return None if data is None else _ENCODE(data)


def _append(entries: list[dict]) -> int:
    """Chain and insert entries (dicts of the content columns, ``before``/``after`` as Python data).

    The head row is locked first (SELECT … FOR UPDATE on PostgreSQL; on SQLite the write transaction, begun
    IMMEDIATE, already holds the database's write lock), so no two writers chain onto the same entry."""
    if not entries:
        return 0
    at = timezone.now()
    ctx = _context.get()
    db_at, hashed_at = connection.ops.adapt_datetimefield_value(at), chain.at_text(at)
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:  # a new database (the migration makes it) or one emptied by the test harness
            ChainHead.objects.bulk_create([ChainHead(pk=1, hash=chain.GENESIS, entries=0)], ignore_conflicts=True)
            head = ChainHead.objects.select_for_update().get(pk=1)
        prev = head.hash
        rows = []
        for e in entries:
            before, after = _json(e.get("before")), _json(e.get("after"))
            content = {"at": hashed_at, "role": e.get("role", ctx.role), "address": e.get("address", ctx.address),
                       "unit_id": e.get("unit_id"), "unit_name": e.get("unit_name", ""),
                       "outcome": e.get("outcome", AuditEntry.SUCCESS), "before": before, "after": after,
                       **{k: e[k] for k in ("actor", "via", "action", "model", "object_id")}}
            digest = chain.entry_hash(prev, content)
            rows.append((db_at, *(content[c] for c in _COLUMNS[1:11]), before, after, prev, digest))
            prev = digest
        quote = connection.ops.quote_name
        head_sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({', '.join(quote(c) for c in _COLUMNS)}) VALUES "
        row_marks = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), _ROWS_PER_INSERT):
                chunk = rows[start:start + _ROWS_PER_INSERT]
                cursor.execute(head_sql + ", ".join([row_marks] * len(chunk)), [v for row in chunk for v in row])
        ChainHead.objects.filter(pk=1).update(hash=prev, entries=head.entries + len(rows))
    return len(rows)


def record(actor: str, via: str, changes: Iterable[Change], unit_names: dict[int, str] | None = None) -> int:
    """Append one entry per change; returns how many were written.

    Multi-row INSERTs of plain values: an import logs tens of thousands of changes, and the ORM's per-field
    preparation of model instances cost a third of the whole import."""
    unit_names = unit_names or {}
    entries = []
    for ch in changes:
        unit_id = ch.unit_id if ch.unit_id is not None else _unit_of(ch.obj)
        entries.append({"actor": actor, "via": via, "action": ch.action, "model": str(ch.obj._meta.verbose_name),
                        "object_id": str(ch.obj.pk), "unit_id": unit_id, "unit_name": unit_names.get(unit_id, ""),
                        "before": ch.before if ch.action != AuditEntry.CREATE else None,
                        "after": ch.after if ch.action != AuditEntry.DELETE else None})
    return _append(entries)


def event(actor: str, via: str, action: str, model: str, object_id="", unit=None, detail: dict | None = None, *,
          outcome: str = AuditEntry.SUCCESS, before: dict | None = None, role: str | None = None,
          address: str | None = None) -> None:
    """Append one security or activity event (log-in, denied request, export, a 廉政档案 opened …): ``model``
    is what it concerned (the log's 对象类型), ``unit`` the unit, if any, ``detail`` what else to keep (in
    修改后; never a password)."""
    entry = {"actor": actor, "via": via, "action": action, "model": model, "object_id": str(object_id)[:200],
             "outcome": outcome, "before": before, "after": detail,
             "unit_id": unit.pk if unit is not None else None, "unit_name": unit.name if unit is not None else ""}
    if role is not None:
        entry["role"] = role
    if address is not None:
        entry["address"] = address[:45]
    _append([entry])


def verify() -> chain.Verdict:
    """Check the whole chain, in log order, with bounded memory."""
    head = ChainHead.objects.filter(pk=1).values_list("hash", "entries").first()
    names = ("id", "prev_hash", "hash", *chain.CONTENT)
    rows = ((v["id"], v["prev_hash"], v["hash"], chain.stored_content(v))
            for v in AuditEntry.objects.order_by("id").values(*names).iterator(chunk_size=2000))

    def find_by_hash(h):
        return AuditEntry.objects.filter(hash=h).values_list("id", flat=True).first()

    return chain.verify(rows, head, find_by_hash)


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
