"""Backup under concurrent writes, restore into an empty data folder, refusal of damaged backups (SQLite files,
through the command line as an operator would run it)."""

import sqlite3
import subprocess
import sys

from openpyxl import load_workbook

from tests.crypto.test_sealed_files import SAVE_UPLOAD, book, run

WRITER = """
import sys, datetime
import django; django.setup()
from django.db import transaction
from fengqing.accounts.audit import Change, record, snapshot
from fengqing.accounts.models import AuditEntry
from fengqing.ledger.models import Study
from fengqing.org.models import Unit
unit = Unit.objects.get(short_name="水务局")
print("ready", flush=True)
for i in range(int(sys.argv[1])):
    with transaction.atomic():  # a record and its audit entry, together or not at all
        s = Study.objects.create(unit=unit, date=datetime.date(2023, 1, 1), kind="其他", topic=f"并发{i}")
        record("并发写入", "命令行", [Change(AuditEntry.CREATE, s, after=snapshot(s))])
"""


def count(home, sql):
    with sqlite3.connect(home / "fengqing.sqlite3") as db:
        return db.execute(sql).fetchone()[0]


def cells(path):
    wb = load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def fresh_home_with_key(tmp_path, source_home, name):
    home = tmp_path / name
    (home / "keys").mkdir(parents=True)
    (home / "keys" / "data.key").write_bytes((source_home / "keys" / "data.key").read_bytes())
    return home


def test_backup_while_writing_then_restore(tmp_path):
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    assert run(home, SAVE_UPLOAD, python=True).returncode == 0

    env = {"FENGQING_HOME": str(home), "DJANGO_SETTINGS_MODULE": "fengqing.settings", "PATH": "/usr/bin:/bin"}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "300"], stdout=subprocess.PIPE, text=True,
                              env=env, cwd=tmp_path)
    assert writer.stdout.readline().strip() == "ready"
    backup = run(home, "backup", str(tmp_path / "during.tar"))
    assert writer.wait(timeout=300) == 0
    assert backup.returncode == 0, backup.stderr

    restored = fresh_home_with_key(tmp_path, home, "restored")
    result = run(restored, "restore", str(tmp_path / "during.tar"))
    assert result.returncode == 0, result.stderr
    # consistent: every study written by then is there with its audit entry, and none without
    studies = count(restored, "SELECT COUNT(*) FROM ledger_study WHERE topic LIKE '并发%'")
    logged = count(restored, "SELECT COUNT(*) FROM accounts_auditentry WHERE actor = '并发写入'")
    assert studies == logged
    # the audit chain came back whole: every entry, its links and the head (issue 10, item 2)
    verified = run(restored, "audit", "verify")
    assert verified.returncode == 0 and "完整" in verified.stdout, verified.stdout + verified.stderr
    assert count(home, "SELECT COUNT(*) FROM ledger_study WHERE topic LIKE '并发%'") == 300
    # the upload came back, still sealed, and opens with the same key
    (upload,) = [p for p in (restored / "uploads").rglob("*") if p.is_file()]
    assert upload.read_bytes()[:4] == b"FQE1"

    # at rest: a second backup and restore gives the same export, cell by cell
    assert run(home, "backup", str(tmp_path / "quiet.tar")).returncode == 0
    again = fresh_home_with_key(tmp_path, home, "again")
    assert run(again, "restore", str(tmp_path / "quiet.tar")).returncode == 0
    for h, name in ((home, "a.xlsx"), (again, "b.xlsx")):
        assert run(h, "export", "--unit", "水务局", str(tmp_path / name)).returncode == 0
    assert cells(tmp_path / "a.xlsx") == cells(tmp_path / "b.xlsx")
    assert count(again, "SELECT COUNT(*) FROM accounts_auditentry") == count(home, "SELECT COUNT(*) FROM "
                                                                                  "accounts_auditentry")
    assert run(again, "audit", "verify").returncode == 0

    # never over existing data
    refused = run(home, "restore", str(tmp_path / "quiet.tar"))
    assert refused.returncode == 2 and "目标数据库不是空的" in refused.stderr


def test_damaged_backups_are_refused(tmp_path):
    home = tmp_path / "home"
    assert run(home, "import", str(book(tmp_path / "b.xlsx"))).returncode == 0
    good = tmp_path / "good.tar"
    assert run(home, "backup", str(good)).returncode == 0
    data = good.read_bytes()

    flipped = bytearray(data)
    flipped[2048] ^= 1  # inside the database snapshot, the first member
    truncated = data[: len(data) // 2]
    for name, content, reason in (("flipped.tar", bytes(flipped), "校验和不符"),
                                  ("truncated.tar", truncated, "不能使用")):
        (tmp_path / name).write_bytes(content)
        target = fresh_home_with_key(tmp_path, home, f"target-{name}")
        result = run(target, "restore", str(tmp_path / name))
        assert result.returncode == 2 and reason in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert count(target, "SELECT COUNT(*) FROM sqlite_master") == 0  # nothing was restored

    # without the key the backup cannot even be checked: said plainly, no new key made
    bare = tmp_path / "bare"
    result = run(bare, "restore", str(good))
    assert result.returncode == 2 and "需要备份时使用的密钥" in result.stderr
    assert not (bare / "keys" / "data.key").exists()
