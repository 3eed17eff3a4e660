"""Writing the audit log. Every path that changes records (web, import, command line) reports its changes here,
and every security event (log-in, denied request, export …) through ``event``; bulk paths hand over whole lists
so the log costs one bulk insert, not a query per record. Each entry is chained to the previous one by its
hash (accounts.chain); writers lock the chain head, so concurrent writers cannot fork the chain.

The log-in path (log-in, failure, lock-out, log-out) must not wait for the chain: a long import holds it until
it commits. Its entries go first to the log-in store (``login_event``: accounts.loginstore, committed before the
log-in goes on, so none is lost), and join the chain, in their order and with their own time, as soon as the
chain is free: at once when nobody holds it, otherwise with the next entry anyone writes, or the next request
of the web server that left them waiting, or ``verify``/``backup``, which chain them first."""

from __future__ import annotations

import contextvars
import getpass
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.conf import settings
from django.db import OperationalError, connection, models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.db.models.fields.files import FieldFile

from ..dbutil import is_busy
from . import chain
from .models import AuditEntry, ChainHead, PendingEntry


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
    if hasattr(obj, "unit_id"):  # a column, or a measure's (its problem's: UnitRecord.unit_id)
        return obj.unit_id
    measure = getattr(obj, "measure", None)  # evidence reaches its unit through its measure
    return measure.unit_id if measure is not None else None


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
            "outcome", "before", "after", "prev_hash", "hash", "ref")


_ENCODE = DjangoJSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _json(data):
    """Stored as hashed: the canonical form (accounts.chain.canonical_json), dates and decimals as text."""
    return None if data is None else _ENCODE(data)


def _take_pending() -> list[dict]:
    """The log-in path's entries waiting in the log-in store, oldest first, less those already chained (a
    waiting row is removed only after the transaction that chains it commits, in another database on SQLite:
    between the two, or after a crash, the chain's ``ref`` tells it was taken). Called with the head locked."""
    rows = list(PendingEntry.objects.order_by("id").values("id", "uid", "at", "entry")[:_ROWS_PER_INSERT])
    if not rows:
        return []
    chained = set(AuditEntry.objects.filter(ref__in=[r["uid"] for r in rows]).values_list("ref", flat=True))
    ids = [r["id"] for r in rows]
    # robust: a failed removal is logged, not raised; the rows are taken again and skipped by their ref
    transaction.on_commit(lambda: PendingEntry.objects.filter(id__in=ids).delete(), robust=True)
    fresh = [{**r["entry"], "at": r["at"], "ref": r["uid"]} for r in rows if r["uid"] not in chained]
    logins: dict[str, datetime] = {}
    for e in fresh:  # Django's last_login, which the log-in no longer writes to the main database itself
        if e["action"] == AuditEntry.LOGIN and e["outcome"] == AuditEntry.SUCCESS:
            logins[e["actor"]] = max(e["at"], logins.get(e["actor"], e["at"]))
    if logins:
        from django.contrib.auth.models import User

        for username, at in logins.items():
            User.objects.filter(username=username).update(last_login=at)
    return fresh


def _append(entries: list[dict], nowait: bool = False) -> int:
    """Chain and insert entries (dicts of the content columns, ``before``/``after`` as Python data), after the
    log-in path's entries still waiting. Returns how many were written.

    The head row is locked first (SELECT … FOR UPDATE on PostgreSQL; on SQLite the write transaction, begun
    IMMEDIATE, already holds the database's write lock), so no two writers chain onto the same entry.
    ``nowait``: on PostgreSQL, fail at once (OperationalError) when another writer holds the head."""
    now = timezone.now()
    ctx = _context.get()
    with transaction.atomic():
        head = ChainHead.objects.select_for_update(nowait=nowait).filter(pk=1).first()
        if head is None:  # a new database (the migration makes it) or one emptied by the test harness
            ChainHead.objects.bulk_create([ChainHead(pk=1, hash=chain.GENESIS, entries=0)], ignore_conflicts=True)
            head = ChainHead.objects.select_for_update().get(pk=1)
        entries = _take_pending() + entries
        if not entries:
            return 0
        prev = head.hash
        rows = []
        for e in entries:
            at = e.get("at") or now
            before, after = _json(e.get("before")), _json(e.get("after"))
            content = {"at": chain.at_text(at), "role": e.get("role", ctx.role),
                       "address": e.get("address", ctx.address),
                       "unit_id": e.get("unit_id"), "unit_name": e.get("unit_name", ""),
                       "outcome": e.get("outcome", AuditEntry.SUCCESS), "before": before, "after": after,
                       **{k: e[k] for k in ("actor", "via", "action", "model", "object_id")}}
            digest = chain.entry_hash(prev, content)
            rows.append((connection.ops.adapt_datetimefield_value(at), *(content[c] for c in _COLUMNS[1:11]),
                         before, after, prev, digest, e.get("ref")))
            prev = digest
        _insert(rows)
        ChainHead.objects.filter(pk=1).update(hash=prev, entries=head.entries + len(rows))
    return len(rows)


def _insert(rows: list[tuple]) -> None:
    """PostgreSQL takes the rows through COPY: a multi-row INSERT of thousands of placeholders costs psycopg
    more to split and bind than the server spends storing them. SQLite takes multi-row INSERTs."""
    quote = connection.ops.quote_name
    table, columns = quote(AuditEntry._meta.db_table), ", ".join(quote(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        row_marks = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start:start + _ROWS_PER_INSERT]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row_marks] * len(chunk)),
                           [v for row in chunk for v in row])


def record(actor: str, via: str, changes: Iterable[Change], unit_names: dict[int, str] | None = None) -> int:
    """Append one entry per change; returns how many were written.

    Multi-row INSERTs of plain values: an import logs tens of thousands of changes, and the ORM's per-field
    preparation of model instances cost a third of the whole import."""
    unit_names = unit_names or {}
    entries = []
    labels: dict[type, str] = {}  # a verbose name is a lazy translation: str() of it costs a lookup each time
    for ch in changes:
        unit_id = ch.unit_id if ch.unit_id is not None else _unit_of(ch.obj)
        label = labels.get(type(ch.obj))
        if label is None:
            label = labels[type(ch.obj)] = str(ch.obj._meta.verbose_name)
        entries.append({"actor": actor, "via": via, "action": ch.action, "model": label,
                        "object_id": str(ch.obj.pk), "unit_id": unit_id, "unit_name": unit_names.get(unit_id, ""),
                        "before": ch.before if ch.action != AuditEntry.CREATE else None,
                        "after": ch.after if ch.action != AuditEntry.DELETE else None})
    return _append(entries) if entries else 0


def _event(actor: str, via: str, action: str, model: str, object_id, unit, detail: dict | None, outcome: str,
           before: dict | None, role: str | None, address: str | None) -> dict:
    entry = {"actor": actor, "via": via, "action": action, "model": model, "object_id": str(object_id)[:200],
             "outcome": outcome, "before": before, "after": detail,
             "unit_id": unit.pk if unit is not None else None, "unit_name": unit.name if unit is not None else ""}
    if role is not None:
        entry["role"] = role
    if address is not None:
        entry["address"] = address[:45]
    return entry


def event(actor: str, via: str, action: str, model: str, object_id="", unit=None, detail: dict | None = None, *,
          outcome: str = AuditEntry.SUCCESS, before: dict | None = None, role: str | None = None,
          address: str | None = None) -> None:
    """Append one security or activity event (denied request, export, a 廉政档案 opened …): ``model`` is what
    it concerned (the log's 对象类型), ``unit`` the unit, if any, ``detail`` what else to keep (in 修改后; never
    a password)."""
    _append([_event(actor, via, action, model, object_id, unit, detail, outcome, before, role, address)])


def login_event(actor: str, via: str, action: str, model: str, object_id="", detail: dict | None = None, *,
                outcome: str = AuditEntry.SUCCESS, role: str | None = None, address: str | None = None) -> None:
    """An event of the log-in path: committed to the log-in store now (an error here fails the log-in, as a
    failed audit write fails any action), chained at once if the chain is free, else soon after (see above)."""
    ctx = _context.get()
    entry = _event(actor, via, action, model, object_id, None, detail, outcome, None,
                   ctx.role if role is None else role, ctx.address if address is None else address)
    PendingEntry.objects.create(uid=uuid.uuid4().hex, at=timezone.now(), entry=entry)
    drain(wait=False)


#: monotonic time of this process's last failed attempt to chain waiting entries (0: none waiting here)
_waiting_since = 0.0
RETRY_SECONDS = 5


def drain(wait: bool = True) -> bool:
    """Chain the log-in path's waiting entries now. ``wait`` False: give up at once, without waiting for a writer
    that holds the chain (returns False; this process tries again on a later request, see ``drain_later``)."""
    global _waiting_since
    if wait:
        _append([])
        _waiting_since = 0.0
        return True
    try:
        with _no_wait():
            _append([], nowait=True)
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        _waiting_since = time.monotonic()
        return False
    _waiting_since = 0.0
    return True


def drain_later() -> None:
    """Called by each web request: when this process left entries waiting, try again every few seconds."""
    if _waiting_since and time.monotonic() - _waiting_since >= RETRY_SECONDS:
        drain(wait=False)


@contextmanager
def _no_wait():
    """SQLite: no busy wait for the write lock while inside (PostgreSQL uses FOR UPDATE NOWAIT instead)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(settings.BUSY_TIMEOUT * 1000)}")


def verify() -> chain.Verdict:
    """Check the whole chain, in log order, with bounded memory, after chaining the entries waiting."""
    drain()
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
