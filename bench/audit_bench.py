"""What the audit log's hash chain costs: 50,000 record changes written by ``audit.record`` (canonical JSON,
SHA-256 per entry, chain head locked), against the same multi-row INSERTs of the same rows without the chain
(the log as it was before), measured in the same run on a fresh SQLite database (``--pg``: also PostgreSQL).

    .venv/bin/python bench/audit_bench.py [--rows 50000] [--pg]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(rows: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection, transaction
    from django.utils import timezone

    from fengqing.accounts import audit, chain
    from fengqing.accounts.models import AuditEntry
    from fengqing.ledger.models import Study

    call_command("migrate", verbosity=0)
    changes = []
    for i in range(rows):
        s = Study(pk=i + 1, unit_id=1, date="2023-03-01", kind="党组理论学习中心组", topic=f"第{i}次学习",
                  attendees=12)
        changes.append(audit.Change(AuditEntry.CREATE, s, None, audit.snapshot(s), unit_id=1))

    def plain() -> None:  # the INSERTs of the log before the chain: same columns, no hashing, no head
        at = connection.ops.adapt_datetimefield_value(timezone.now())
        values = [(at, "bench", "", "", "导入", ch.action, "学习", str(ch.obj.pk), 1, "基准测试局", "成功", None,
                   json.dumps(ch.after, ensure_ascii=False, cls=DjangoJSONEncoder), "", "") for ch in changes]
        cols = ", ".join(audit._COLUMNS)
        marks = "(" + ", ".join(["%s"] * len(audit._COLUMNS)) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(values), 500):
                chunk = values[start:start + 500]
                cursor.execute(f"INSERT INTO {chain.AUDIT_TABLE} ({cols}) VALUES " + ", ".join([marks] * len(chunk)),
                               [v for row in chunk for v in row])

    timings = {}
    for name, run in (("plain", plain), ("chain", lambda: audit.record("bench", "导入", changes, {1: "基准测试局"}))):
        started = time.perf_counter()
        with transaction.atomic():
            run()
        timings[name] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--pg", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fengqing.settings"}
    env.pop("FENGQING_DATABASE_URL", None)
    targets = [("SQLite", {**env, "FENGQING_HOME": tempfile.mkdtemp(prefix="fengqing-audit-bench-")})]
    pg = None
    if args.pg:
        proc = subprocess.run(["bash", str(ROOT / "scripts" / "pg_up.sh")], capture_output=True, text=True,
                              check=True)
        pg = dict(item.split("=", 1) for line in proc.stdout.split("\n") if line for item in line[7:].split())
        targets.append(("PostgreSQL", {**env, "FENGQING_HOME": tempfile.mkdtemp(),
                                       "FENGQING_DATABASE_URL": pg["FENGQING_TEST_DATABASE_URL"]}))
    try:
        print(f"写入 {args.rows} 条审计日志（一次导入的量），同一进程内先无哈希链、后有哈希链")
        print(f"{'数据库':<12}{'无链 秒':>10}{'哈希链 秒':>12}{'比值':>8}{'每条增加 µs':>14}")
        for label, target_env in targets:
            out = subprocess.run([sys.executable, __file__, "--child", str(args.rows)], env=target_env,
                                 capture_output=True, text=True, check=True).stdout
            t = json.loads(out.strip().splitlines()[-1])
            extra = (t["chain"] - t["plain"]) / args.rows * 1e6
            print(f"{label:<12}{t['plain']:>10.2f}{t['chain']:>12.2f}{t['chain'] / t['plain']:>7.2f}×{extra:>14.1f}")
    finally:
        if pg:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg_down.sh")], env={**os.environ, **pg})


if __name__ == "__main__":
    main()
