"""A consistent snapshot of the database into a file: SQLite's online backup API (committed pages still in the
WAL included), or ``pg_dump`` inside an exported snapshot so the audit head is read from the same moment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from ..errors import BackupError

AUDIT_TABLE = "accounts_auditentry"


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def audit_head_of(cursor) -> dict:
    """How long the audit log is and how it ends: the restored log must end exactly there."""
    cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {AUDIT_TABLE}")
    entries, last_id = cursor.fetchone()
    head = {"entries": entries, "last_id": last_id}
    mark = "?" if isinstance(cursor, sqlite3.Cursor) else "%s"
    cursor.execute(f"SELECT * FROM {AUDIT_TABLE} WHERE id = {mark}", [last_id])
    names = [d[0] for d in cursor.description]
    row = cursor.fetchone()
    if row is not None and "hash" in names:  # the hash chain, where the log has one
        head["hash"] = row[names.index("hash")]
    return head


def snapshot_sqlite(target: Path) -> dict:
    source = sqlite3.connect(sqlite_path(), timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # one step: a consistent copy even while others write
        head = audit_head_of(copy.cursor())
    finally:
        copy.close()
        source.close()
    os.chmod(target, 0o600)
    return head


def _pg_env() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
    return args, env


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(f"找不到 {cmd[0]}：PostgreSQL 的{what}需要安装 PostgreSQL 客户端（postgresql-client）") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["未知错误"])[0]
        raise BackupError(f"{cmd[0]} 失败：{first}")


def snapshot_postgresql(target: Path) -> dict:
    args, env = _pg_env()
    connection.ensure_connection()
    raw = connection.connection
    with raw.transaction():
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
            head = audit_head_of(cursor)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
                  "--file", str(target), *args], env, "备份")
    os.chmod(target, 0o600)
    return head


def restore_postgresql(dump: Path) -> None:
    args, env = _pg_env()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)], env, "恢复")
