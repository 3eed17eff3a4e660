"""Backup and restore on PostgreSQL (pg_dump/pg_restore within one snapshot), into a second, empty database."""

import os
import secrets
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.backup.test_backup import cells
from tests.crypto.test_sealed_files import SAVE_UPLOAD, book

URL = os.environ.get("FENGQING_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="PostgreSQL only (FENGQING_DATABASE_URL)")


@pytest.fixture
def databases():
    """Two new databases on the test server, dropped afterwards."""
    names = [f"fq_backup_{secrets.token_hex(4)}_{i}" for i in (1, 2)]
    with psycopg.connect(URL, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    parts = urlsplit(URL)
    yield [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
    with psycopg.connect(URL, autocommit=True) as conn:
        for name in names:
            for _ in range(30):  # an autovacuum worker on the new database may hold it for a moment
                try:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    break
                except psycopg.errors.ObjectInUse:
                    time.sleep(1)


def run(home, url, *args, python=False):
    env = {**os.environ, "FENGQING_HOME": str(home), "FENGQING_DATABASE_URL": url,
           "DJANGO_SETTINGS_MODULE": "fengqing.settings"}
    env.pop("FENGQING_DATA_KEY", None)
    cmd = [sys.executable, "-c", args[0]] if python else [sys.executable, "-m", "fengqing.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=home.parent, timeout=180)


def test_backup_and_restore_on_postgresql(tmp_path, databases):
    source, target = databases
    home = tmp_path / "home"
    assert run(home, source, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    assert run(home, source, SAVE_UPLOAD, python=True).returncode == 0
    backup = run(home, source, "backup", str(tmp_path / "pg.tar"))
    assert backup.returncode == 0, backup.stderr

    restored = tmp_path / "restored"
    (restored / "keys").mkdir(parents=True)
    (restored / "keys" / "data.key").write_bytes((home / "keys" / "data.key").read_bytes())
    result = run(restored, target, "restore", str(tmp_path / "pg.tar"))
    assert result.returncode == 0, result.stderr
    for h, url, name in ((home, source, "a.xlsx"), (restored, target, "b.xlsx")):
        assert run(h, url, "export", "--unit", "水务局", str(tmp_path / name)).returncode == 0
    assert cells(tmp_path / "a.xlsx") == cells(tmp_path / "b.xlsx")
    with psycopg.connect(source) as a, psycopg.connect(target) as b:
        query = "SELECT count(*), max(id) FROM accounts_auditentry"
        assert a.execute(query).fetchone() == b.execute(query).fetchone()
    # the audit chain came back whole on the restored database (issue 10, item 2)
    verified = run(restored, target, "audit", "verify")
    assert verified.returncode == 0 and "完整" in verified.stdout, verified.stdout + verified.stderr
    # a second restore into the now full database is refused
    again = run(restored, target, "restore", str(tmp_path / "pg.tar"))
    assert again.returncode == 2 and "目标数据库不是空的" in again.stderr
