"""The audit log's hash chain (等保 安全审计 c): each entry's hash covers its stored content and the previous
entry's hash, so an entry changed, removed or inserted behind the application's back is found by ``verify``.
Triggers on the audit table refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) in the database itself.

The hash covers what is stored (sensitive values in whatever form the record layer stores them), so a copy of
the database restored from a backup verifies the same; the chain follows ``prev_hash``, not id arithmetic."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

GENESIS = "0" * 64

#: the stored columns the hash covers, in this order, after ``prev_hash``
CONTENT = ("at", "actor", "role", "address", "via", "action", "model", "object_id", "unit_id", "unit_name",
           "outcome", "before", "after")


# one encoder for every entry: json.dumps would build a new one per call
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def canonical_json(value) -> str | None:
    """The one text form of a JSON value: keys sorted, no spaces. The log stores ``before``/``after`` in this
    form, and a value read back (PostgreSQL's jsonb reorders keys) is put back into it before hashing."""
    return None if value is None else _ENCODE(value)


def stored_content(values: dict) -> dict:
    """The content of an entry as read through the ORM (``before``/``after`` decoded), in hashing form."""
    return {**values, "before": canonical_json(values["before"]), "after": canonical_json(values["after"])}


def entry_hash(prev_hash: str, content: dict) -> str:
    """SHA-256 (hex) of the previous hash and the entry's content, in a canonical JSON form.

    ``content['at']`` is a datetime (or its ``at_text``); ``before``/``after`` are their canonical JSON text
    (``canonical_json``), embedded as JSON values: the whole is the canonical JSON of the list of values."""
    at = content["at"]
    values = [prev_hash, at if isinstance(at, str) else at_text(at), *(content[n] for n in CONTENT[1:-2])]
    before, after = content["before"], content["after"]
    text = f"{_ENCODE(values)[:-1]},{'null' if before is None else before},{'null' if after is None else after}]"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def at_text(at) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


# -- triggers ------------------------------------------------------------------------------------------------

AUDIT_TABLE, HEAD_TABLE = "accounts_auditentry", "accounts_chainhead"
_REFUSE = "审计日志只可追加，不可修改或删除"
_HEAD_REFUSE = "审计链头不可删除或回退"


def create_triggers_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON {AUDIT_TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON {AUDIT_TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON {HEAD_TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{_HEAD_REFUSE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS audit_head_no_rewind BEFORE UPDATE ON {HEAD_TABLE} "
            f"WHEN NEW.entries < OLD.entries BEGIN SELECT RAISE(ABORT, '{_HEAD_REFUSE}'); END",
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE FUNCTION audit_refuse() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{_REFUSE}'; END $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE FUNCTION audit_head_refuse() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' OR NEW.entries < OLD.entries THEN "
            f"RAISE EXCEPTION '{_HEAD_REFUSE}'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {AUDIT_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_refuse()",
            f"CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {AUDIT_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()",
            f"CREATE OR REPLACE TRIGGER audit_head_guard BEFORE UPDATE OR DELETE ON {HEAD_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_head_refuse()",
            f"CREATE OR REPLACE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON {HEAD_TABLE} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION audit_head_refuse()",
        ]
    return []


def drop_triggers_sql(vendor: str) -> list[str]:
    """Only for tests and for the migration's reversal: nothing in the application drops the triggers."""
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {n}" for n in
                ("audit_no_update", "audit_no_delete", "audit_head_no_delete", "audit_head_no_rewind")]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {n} ON {t}" for n, t in
                (("audit_no_change", AUDIT_TABLE), ("audit_no_truncate", AUDIT_TABLE),
                 ("audit_head_guard", HEAD_TABLE), ("audit_head_no_truncate", HEAD_TABLE))]
    return []


# -- verification --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """The first place where the chain does not hold."""

    entry_id: int | None  # the entry at which the break shows (None: at the end of the log)
    what: str  # Chinese, one line

    def __str__(self) -> str:
        return self.what


@dataclass(frozen=True)
class Verdict:
    entries: int
    finding: Finding | None

    @property
    def intact(self) -> bool:
        return self.finding is None


def verify(rows, head: tuple[str, int] | None, find_by_hash) -> Verdict:
    """Walk ``rows`` (id, prev_hash, hash, content) in log order and check every link.

    ``head`` is (hash, entries) of the chain head; ``find_by_hash(h)`` returns the id of the entry whose stored
    hash is ``h``, or None: it is called only when a link is broken, to tell a removal from an insertion."""
    prev, n, last_id = GENESIS, 0, None
    for entry_id, prev_hash, stored_hash, content in rows:
        if entry_hash(prev_hash, content) != stored_hash:
            return Verdict(n, Finding(entry_id, f"第 {n + 1} 条（编号 {entry_id}）的内容被修改（哈希不符）"))
        if prev_hash != prev:
            anchor = None if prev_hash == GENESIS else find_by_hash(prev_hash)
            if prev_hash == GENESIS or anchor is not None:
                where = "日志开头" if anchor is None else f"编号 {anchor} "
                return Verdict(n, Finding(entry_id, f"{where}与第 {n + 1} 条（编号 {entry_id}）之间插入了条目"))
            return Verdict(n, Finding(entry_id, f"第 {n + 1} 条（编号 {entry_id}）之前的条目被删除或被改写"))
        prev, n, last_id = stored_hash, n + 1, entry_id
    if head is None:
        if n:
            return Verdict(n, Finding(None, "审计链头缺失：日志可能被清空后重写"))
        return Verdict(0, None)
    head_hash, head_entries = head
    if head_hash != prev or head_entries != n:
        if head_entries > n or find_by_hash(head_hash) is None:
            return Verdict(n, Finding(None, f"最后一条（编号 {last_id}）之后的 {max(head_entries - n, 1)} 条被删除"))
        return Verdict(n, Finding(None, f"最后记入的条目之后插入了 {n - head_entries} 条（编号 {last_id} 止）"))
    return Verdict(n, None)
