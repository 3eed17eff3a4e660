"""Import speed of a large interchange workbook, against the floor of a bare openpyxl read-only pass.

    .venv/bin/python bench/import_bench.py [--rows 50000] [--pg] [--repeat 3]

Writes a workbook of ROWS record rows (plus 150 people), then, each in its own process so the peak memory is
its own: (1) the floor: openpyxl read-only, every cell of every sheet touched; (2) ``fengqing import`` into a
fresh SQLite database; (3) the same into a fresh database of a throwaway PostgreSQL (``--pg``; needs PostgreSQL
binaries, or FENGQING_BENCH_PG_URL pointing at a server where its user may create databases). The three run
in turn REPEAT times (interleaved, so a change of the machine's load touches all three alike); prints the
median of each, rows/s, the ratio of the medians to the floor's, peak RSS and the load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET_SHARES = {"学习": 0.15, "会议": 0.2, "谈话": 0.25, "廉政教育": 0.2, "会商": 0.1, "述责述廉": 0.1}


def write_workbook(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rng = random.Random(7)
    book = Workbook(write_only=True)
    ws = book.create_sheet("单位")
    ws.append(["单位名称", "单位简称", "党组织名称"])
    ws.append(["基准测试局", "测试局", "中共基准测试局党组"])
    ws = book.create_sheet("党支部")
    ws.append(["名称", "类型"])
    ws.append(["第一党支部", "在职"])
    ws = book.create_sheet("人员")
    ws.append(["工号", "姓名", "人员类别", "状态", "政治面貌", "所在党支部"])
    for i in range(150):
        ws.append([f"B{i:04d}", f"人员{i}", "公务员", "在职", "中共党员", "第一党支部"])
    day = lambda: date(2022, 1, 1) + timedelta(days=rng.randrange(730))  # noqa: E731
    makers = {
        "学习": (["日期", "类型", "主题", "参加人数"], lambda: [day(), "党支部集中学习", f"专题学习{rng.randrange(999)}", 30]),
        "会议": (["日期", "类型", "议题", "研究党风廉政"], lambda: [day(), "党组会", f"议题{rng.randrange(9999)}", "是"]),
        "谈话": (["日期", "对象", "类型", "谈话人"], lambda: [day(), f"B{rng.randrange(150):04d}", "谈心谈话", "书记"]),
        "廉政教育": (["日期", "形式", "内容", "覆盖人数"], lambda: [day(), "案例通报", f"通报{rng.randrange(9999)}", 120]),
        "会商": (["日期", "形式", "内容"], lambda: [day(), "沟通会商", f"会商{rng.randrange(9999)}"]),
        "述责述廉": (["日期", "述职人", "现场述责", "好", "较好", "一般", "差"],
                     lambda: [day(), f"B{rng.randrange(150):04d}", "否", 20, 5, 1, 0]),
    }
    for sheet, share in SHEET_SHARES.items():
        header, make = makers[sheet]
        ws = book.create_sheet(sheet)
        ws.append(header)
        for _ in range(int(rows * share)):
            ws.append(make())
    book.save(path)


def floor_pass(path: str) -> dict:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(1 for ws in book.worksheets for row in ws.iter_rows(values_only=True) for _ in row)
    book.close()
    return {"seconds": time.perf_counter() - start, "cells": cells}


def import_pass(path: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fengqing.workbook.importer import import_workbook

    start = time.perf_counter()
    result = import_workbook(path, actor="bench")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": sum(s.new for s in result.sheets)}


def child(kind: str, path: str) -> None:
    out = floor_pass(path) if kind == "floor" else import_pass(path)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run_child(kind: str, path: Path, env: dict) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                          env=env, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def start_pg() -> tuple[str, dict]:
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "pg_up.sh")], capture_output=True, text=True, check=True)
    exports = dict(item.split("=", 1) for line in proc.stdout.split("\n") if line for item in line[7:].split())
    return exports["FENGQING_TEST_DATABASE_URL"], exports


def pg_database(url: str, name: str, create: bool) -> str:
    """Create (or drop) database ``name`` on the server of ``url``; returns its URL."""
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}" if create else f"DROP DATABASE IF EXISTS {name}")
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--pg", action="store_true", help="also import into PostgreSQL")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    tmp = Path(tempfile.mkdtemp(prefix="fengqing-bench-"))
    book = tmp / "big.xlsx"
    write_workbook(book, args.rows)
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fengqing.settings"}
    base_env.pop("FENGQING_DATABASE_URL", None)
    url, pg = os.environ.get("FENGQING_BENCH_PG_URL"), None
    if args.pg and not url:
        url, pg = start_pg()
    runs: dict[str, list[dict]] = {}
    loads = []
    databases = [f"fengqing_bench_{os.getpid()}_{n}" for n in range(args.repeat)]
    try:
        for n in range(args.repeat):
            loads.append(os.getloadavg()[0])
            runs.setdefault("openpyxl 只读遍历（下限）", []).append(run_child("floor", book, base_env))
            runs.setdefault("导入 SQLite", []).append(
                run_child("import", book, {**base_env, "FENGQING_HOME": str(tmp / f"sqlite{n}")}))
            if args.pg:
                runs.setdefault("导入 PostgreSQL", []).append(run_child("import", book, {
                    **base_env, "FENGQING_HOME": str(tmp / f"pg{n}"),
                    "FENGQING_DATABASE_URL": pg_database(url, databases[n], create=True)}))
    finally:
        if args.pg and not pg:
            for name in databases:
                pg_database(url, name, create=False)
        if pg:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg_down.sh")], env={**os.environ, **pg})
    median = {label: sorted(r["seconds"] for r in rs)[len(rs) // 2] for label, rs in runs.items()}
    floor = median["openpyxl 只读遍历（下限）"]
    rows = runs["导入 SQLite"][0]["rows"]
    print(f"工作簿：{book.stat().st_size / 1e6:.1f} MB，导入 {rows} 行（含单位、党支部、人员 152 行），每行一条审计日志；"
          f"各 {args.repeat} 次交替运行取中位数；负载 {min(loads):.1f}–{max(loads):.1f}（1 分钟平均，2 核）")
    print(f"{'过程':<24}{'秒':>8}{'行/秒':>10}{'相对下限':>10}{'峰值内存 MiB':>14}  各次秒数")
    for label, rs in runs.items():
        seconds = median[label]
        each = " ".join(f"{r['seconds']:.1f}" for r in rs)
        print(f"{label:<22}{seconds:>8.2f}{rows / seconds:>10.0f}{seconds / floor:>10.2f}×"
              f"{max(r['peak_mib'] for r in rs):>13.0f}  {each}")


if __name__ == "__main__":
    main()
