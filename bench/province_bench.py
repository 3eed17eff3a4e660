"""Province scale (issue 11, item 8): how the cost grows from 10 to 10,000 units, measured with one script.

For one number of units (--units 10000: about 20 M records) it builds the assessment bench's synthetic data
(``assess_bench.unit_rows``, the same units in the same order at every scale, inserted with COPY on
PostgreSQL; sealed fields sealed with the data key) into an empty database, or reuses the one it built before,
and times in one run:

  build        generating and inserting the records (only when the database was empty), then VACUUM ANALYZE
  engine       the all-units assessment ``assess(period)`` and its floor, its aggregate SQL alone (best of
               --repeat), and one unit's ``assess_unit`` against its own SQL (median of 10)
  overview     the supervisor's all-units page through the Django test client: the first request after a
               change of the data (it assesses every unit), then warm (paging, sorting, filtering the kept
               results)
  dashboard    the first unit's 工作台, first after the change and warm
  preview      the first unit's report preview, first after the change and warm
  docx         the first unit's report as .docx (built anew on every download)

It prints the figures, the database's size, the process's peak memory and the load average (``uptime``) before
and after, and with --json keeps them. With several numbers of units (--units 10,100,1000,10000) it runs itself
once per number in its own database ``<name>_u<units>`` on the server of --database-url (created when missing;
the role needs CREATEDB) with its own data folder in --data, then prints the growth side by side.

  python bench/province_bench.py --units 10000 --database-url postgresql://u:p@host:port/db --home /tmp/p10k
  python bench/province_bench.py --units 10,100,1000,10000 --database-url postgresql://u:p@host:port/postgres \\
      --data /tmp/province            # one database per scale: postgres_u10, postgres_u100, …
  python bench/province_bench.py --units 100 --home /tmp/p100                   # SQLite, for comparison
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

import assess_bench  # noqa: E402  (the synthetic data, its bulk insert and the engine's timing)

SUPERVISOR = "province-bench-supervisor"


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="省级规模测试：单位数从 10 到 10000 时评估与页面的耗时")
    ap.add_argument("--units", required=True, help="单位数（如 10000），或逗号分隔的若干个（如 10,100,1000,10000）")
    ap.add_argument("--database-url", help="postgresql://… 的数据库（空库则生成数据）；不给则用 SQLite")
    ap.add_argument("--home", help="一个单位数时：数据目录（SQLite 数据库与密钥，保留以便复用）")
    ap.add_argument("--data", help="若干个单位数时：各规模数据目录的上级目录")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--repeat", type=int, default=2, help="引擎与下限各计时几次，取最短（默认 2）")
    ap.add_argument("--warm", type=int, default=10, help="每个页面热请求的次数（默认 10）")
    ap.add_argument("--json", help="把结果另存为 JSON 文件")
    args = ap.parse_args()
    try:
        args.unit_counts = [int(x) for x in args.units.split(",")]
    except ValueError:
        ap.error("--units 应为整数，或逗号分隔的若干个整数")
    if len(args.unit_counts) > 1 and not args.data:
        ap.error("若干个单位数时需要 --data")
    if len(args.unit_counts) == 1 and not args.home:
        ap.error("请给出 --home（数据目录，保存加密字段的密钥，复用数据库时需要同一个）")
    return args


def main() -> None:
    args = parse_args()
    if len(args.unit_counts) > 1:
        return several(args)
    result = one(args, args.unit_counts[0])
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2))


# -- several scales, each in its own process and database ----------------------------------------------------

def scale_url(url: str, units: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.strip('/')}_u{units}"))


def create_database(url: str, name: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname=parts.path.strip("/"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')


def several(args: argparse.Namespace) -> None:
    results = []
    for units in args.unit_counts:
        home = Path(args.data) / f"{'pg' if args.database_url else 'sqlite'}-{units}"
        home.mkdir(parents=True, exist_ok=True)
        out = home / "province-bench.json"
        command = [sys.executable, __file__, "--units", str(units), "--home", str(home), "--json", str(out),
                   "--period", args.period, "--repeat", str(args.repeat), "--warm", str(args.warm)]
        if args.database_url:
            url = scale_url(args.database_url, units)
            create_database(args.database_url, urlsplit(url).path.strip("/"))
            command += ["--database-url", url]
        print(f"\n=== {units:,} 个单位 ===", flush=True)
        subprocess.run(command, check=True)
        results.append(json.loads(out.read_text()))
    growth(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


def growth(results: list[dict]) -> None:
    first = results[0]
    print(f"\n规模增长（{first['database']}，期间 {first['period']}；单个单位为第 1 个单位，各规模中相同；"
          "页面为 p50 毫秒，“首次”为数据变动后的第一个请求）")
    head = ("单位数", "记录数", "库大小", "评估", "下限", "单位评估", "总览首次", "总览", "工作台首次", "工作台",
            "预览首次", "预览", "docx")
    print("".join(f"{h:>10}" for h in head))
    for r in results:
        p = r["pages"]
        cells = [f"{r['units']:,}", f"{r['records'] / 1e6:.2f}M", f"{r['db_mb']:,.0f}MB", f"{r['engine_s']:.2f}s",
                 f"{r['floor_s']:.2f}s", f"{r['unit_ms']:.0f}ms", f"{p['overview']['first_ms']:,.0f}",
                 f"{p['overview']['p50_ms']:.0f}", f"{p['dashboard']['first_ms']:.0f}",
                 f"{p['dashboard']['p50_ms']:.0f}", f"{p['preview']['first_ms']:.0f}",
                 f"{p['preview']['p50_ms']:.0f}", f"{p['docx']['p50_ms']:.0f}"]
        print("".join(f"{c:>12}" for c in cells))
    print("每增 10 倍单位的倍数（相对上一行）：")
    for prev, r in zip(results, results[1:]):
        print(f"  {prev['units']:,} → {r['units']:,}：评估 ×{r['engine_s'] / prev['engine_s']:.1f}，"
              f"总览首次 ×{r['pages']['overview']['first_ms'] / prev['pages']['overview']['first_ms']:.1f}，"
              f"总览 ×{r['pages']['overview']['p50_ms'] / prev['pages']['overview']['p50_ms']:.1f}，"
              f"工作台首次 ×{r['pages']['dashboard']['first_ms'] / prev['pages']['dashboard']['first_ms']:.1f}，"
              f"单位评估 ×{r['unit_ms'] / prev['unit_ms']:.1f}")


# -- one scale ------------------------------------------------------------------------------------------------

def load() -> str:
    return "、".join(f"{x:.2f}" for x in os.getloadavg())


def one(args: argparse.Namespace, units: int) -> dict:
    assess_bench.setup_django(argparse.Namespace(database_url=args.database_url, home=args.home))
    from django.core.management import call_command
    from django.db import connection

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period

    call_command("migrate", verbosity=0)
    result: dict = {"database": connection.vendor, "load_before": os.getloadavg()}
    print(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}）；负载（1/5/15 分钟）：{load()}",
          flush=True)
    have = Unit.objects.count()
    if have and have != units:
        sys.exit(f"数据库中已有 {have:,} 个单位，不是 {units:,} 个：请换一个空数据库")
    if not have:
        started = time.perf_counter()
        counts = assess_bench.build(units / 1000, 20230630)
        result["build_s"] = time.perf_counter() - started
        print(f"生成数据：{sum(counts.values()):,} 行，用时 {result['build_s']:.0f} 秒", flush=True)
        started = time.perf_counter()
        vacuum_analyze()
        result["vacuum_s"] = time.perf_counter() - started
        print(f"VACUUM ANALYZE：{result['vacuum_s']:.0f} 秒", flush=True)
    result["records"], result["db_mb"] = size()
    print(f"记录：{result['records']:,} 行；数据库大小 {result['db_mb']:,.0f} MB")

    period = parse_period(args.period)
    engine = assess_bench.run(period, args.repeat, naive=False)
    result.update(engine)
    result["period"] = period.code
    result["pages"] = pages(period, args.warm)
    print(f"  总览首次 / 全部单位评估 = {result['pages']['overview']['first_ms'] / 1000 / result['engine_s']:.2f}")
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["load_after"] = os.getloadavg()
    print(f"进程最大常驻内存 {result['peak_rss_mb']:.0f} MB；负载（1/5/15 分钟）：{load()}")
    return result


def vacuum_analyze() -> None:
    """What autovacuum would do in a while: statistics, and the visibility map that index-only scans need."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def size() -> tuple[int, float]:
    """(rows of the data apps' tables, database size in MB)."""
    from django.apps import apps
    from django.db import connection

    rows = sum(m.objects.count() for app in ("org", "ledger", "rectify")
               for m in apps.get_app_config(app).get_models())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            mb = cursor.fetchone()[0] / 2**20
        else:
            mb = Path(connection.settings_dict["NAME"]).stat().st_size / 2**20
    return rows, mb


def pages(period, warm: int) -> dict:
    """First-after-a-change and warm times of the pages, through the Django test client as the supervisor."""
    from django.contrib.auth.models import User
    from django.test import Client

    from fengqing.accounts.models import Assignment, Role
    from fengqing.ledger.models import Talk
    from fengqing.org.models import Unit

    user, _ = User.objects.get_or_create(username=SUPERVISOR)
    assignment, _ = Assignment.objects.get_or_create(user=user, defaults={"role": Role.SUPERVISOR})
    if assignment.units.count() != Unit.objects.count():
        assignment.units.set(Unit.objects.all())
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    unit = Unit.objects.order_by("pk").first()
    p = f"period={period.code}"
    urls = {
        "overview": [f"/overview/?{p}"] + [f"/overview/?{p}&page={n}" for n in (2, 20)] + [
            f"/overview/?{p}&sort=-d2", f"/overview/?{p}&dim=1&light=red", f"/overview/?{p}&sort=name&page=7"],
        "dashboard": [f"/u/{unit.pk}/?{p}"],
        "preview": [f"/u/{unit.pk}/report/?{p}"],
    }

    def get(url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            sys.exit(f"{url}：状态 {response.status_code}")
        return elapsed

    for cycle in urls.values():  # the process's own warm-up (imports, templates, connections) is not timed
        get(cycle[0])
    # a change of the data, as an edit of a record makes: every kept assessment is stale after it
    talk = Talk.objects.filter(unit=unit).order_by("pk").first()
    talk.save()
    out = {}
    for name, cycle in urls.items():
        first = get(cycle[0])
        times = [get(cycle[i % len(cycle)]) for i in range(warm)]
        out[name] = {"first_ms": first * 1000, **percentiles(times)}
    docx = [get(f"/u/{unit.pk}/report/download/docx/?{p}") for _ in range(3)]
    out["docx"] = percentiles(docx)
    print(f"\n页面（测试客户端；{unit.name}；毫秒）{'首次':>10}{'热 p50':>10}{'p95':>10}")
    for name, row in out.items():
        first = f"{row['first_ms']:,.0f}" if "first_ms" in row else "—"
        print(f"  {name:<30}{first:>10}{row['p50_ms']:>10.0f}{row['p95_ms']:>10.0f}")
    return out


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(times), "p50_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


if __name__ == "__main__":
    main()
