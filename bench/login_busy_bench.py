"""Log-in while a long import writes (issue 10, item 7): how long a web log-in takes, and whether it succeeds,
while ``fengqing import`` of a large workbook runs, against log-ins on the idle system measured in the same run.

    .venv/bin/python bench/login_busy_bench.py [--rows 50000] [--pg]

Each log-in is the whole web path (Django's test client, a fresh browser each time: the log-in page, then the
password form, then the first page), in a process of its own beside the import's. Prints the import's seconds,
then per phase (idle, during the import) the number of log-ins, how many succeeded, how many got 503 系统正忙,
the median and the longest time. ``--pg`` repeats it on a throwaway PostgreSQL (or FENGQING_BENCH_PG_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import start_pg, write_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Zz9!bench-login"

SETUP = f"""
import django; django.setup()
from fengqing.commands import ensure_migrated
ensure_migrated()  # the main database and the log-in store
from django.contrib.auth.models import User
from fengqing.accounts.models import Assignment
from fengqing.org.models import Unit
user = User.objects.create_user("clerk1", password={PASSWORD!r})
unit = Unit.objects.create(name="河川市水务局", short_name="水务局", party_org_name="中共河川市水务局党组")
Assignment.objects.create(user=user, role="clerk").units.set([unit])
"""


def login_loop(stop_file: str, limit: int) -> None:
    """Log in again and again until ``stop_file`` exists (or ``limit`` log-ins); one JSON line per log-in."""
    import django

    django.setup()
    from django.test import Client

    n = 0
    while n < limit and not os.path.exists(stop_file):
        client = Client(HTTP_HOST="localhost", raise_request_exception=False)
        start = time.perf_counter()
        client.get("/login/")
        response = client.post("/login/", {"username": "clerk1", "password": PASSWORD})
        ok = response.status_code == 302 and "/login/" not in response.url
        if ok:
            ok = client.get(response.url, follow=True).status_code == 200
        print(json.dumps({"at": time.time(), "seconds": time.perf_counter() - start, "status": response.status_code,
                          "ok": ok}), flush=True)
        n += 1
        time.sleep(0.5)


def phase(env: dict, stop_file: Path, limit: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", str(stop_file), str(limit)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def collect(proc: subprocess.Popen) -> list[dict]:
    out, err = proc.communicate(timeout=900)
    if proc.returncode:
        raise SystemExit(f"log-in process failed: {err[-2000:]}")
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def measure(label: str, book: Path, env: dict) -> list[tuple[str, float, list[dict]]]:
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
    stop = Path(env["FENGQING_HOME"]) / "stop"
    idle = collect(phase(env, stop, 8))
    proc = phase(env, stop, 10_000)
    time.sleep(2)  # the log-in process is set up
    start = time.perf_counter()
    imported = subprocess.run([sys.executable, "-m", "fengqing.cli", "import", str(book)], env=env,
                              capture_output=True, text=True)
    seconds = time.perf_counter() - start
    stop.touch()
    during = collect(proc)
    if imported.returncode:
        raise SystemExit(f"import failed: {imported.stderr[-2000:]}")
    # the log-ins that started while the import ran
    began = time.time() - (time.perf_counter() - start)
    during = [r for r in during if r["at"] - r["seconds"] < began + seconds]
    return [(f"{label} 空闲", 0.0, idle), (f"{label} 导入期间", seconds, during)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--pg", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return login_loop(args.child[0], int(args.child[1]))

    tmp = Path(tempfile.mkdtemp(prefix="fengqing-bench-"))
    book = tmp / "big.xlsx"
    write_workbook(book, args.rows)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fengqing.settings"}
    env.pop("FENGQING_DATABASE_URL", None)
    rows = measure("SQLite", book, {**env, "FENGQING_HOME": str(tmp / "sqlite")})
    if args.pg:
        url, pg = os.environ.get("FENGQING_BENCH_PG_URL"), None
        if not url:
            url, pg = start_pg()
        try:
            rows += measure("PostgreSQL", book, {**env, "FENGQING_HOME": str(tmp / "pg"), "FENGQING_DATABASE_URL": url})
        finally:
            if pg:
                subprocess.run(["bash", str(ROOT / "scripts" / "pg_down.sh")], env={**os.environ, **pg})
    print(f"工作簿：{args.rows} 行；负载：{os.getloadavg()[0]:.2f}；忙等待上限 "
          f"{os.environ.get('FENGQING_BUSY_TIMEOUT', '20')} 秒")
    print(f"{'阶段':<20}{'导入秒':>8}{'登录次数':>8}{'成功':>6}{'503':>6}{'中位秒':>8}{'最长秒':>8}")
    for label, seconds, logins in rows:
        times = [r["seconds"] for r in logins] or [0.0]
        print(f"{label:<18}{seconds:>8.1f}{len(logins):>8}{sum(r['ok'] for r in logins):>6}"
              f"{sum(r['status'] == 503 for r in logins):>6}{statistics.median(times):>8.2f}{max(times):>8.2f}")


if __name__ == "__main__":
    main()
