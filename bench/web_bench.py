"""Benchmark of the web application at scale (issue 11, item 7).

Builds (or reuses) the assessment bench's database (at --scale 1: 1,000 units, about 2 M records), gives its
last unit a register of --register talks in the period, starts the real server (``fengqing serve``, waitress,
8 threads) and times over HTTP, first one request at a time, then with --clients concurrent clients:

  overview     the supervisor's all-units page (its first request, which assesses all units, apart), cycling
               through pages, sorts and filters
  dashboard    one ordinary unit's 工作台, asked for again and again (its assessment kept between changes)
  dashboard_first  the 工作台 of units not yet looked at, a different one each request (assessed anew)
  register     the first and the last page (``?page=last``) of the big unit's talk register
  problems     the ordinary unit's 问题清单 (of 2022H2, the period of the bench's problems)
  preview      the ordinary unit's report preview
  fact         the big unit's fact page of all its talks (the page listing the records behind a figure)

The baseline, measured in the same run: the all-units assessment (``assess`` + ``ranked``) in this process.
It prints p50/p95 of each, the overview's ratio to the baseline, and the server's memory (RSS) at the end.

  python bench/web_bench.py --home /tmp/web1000                 # SQLite kept in /tmp/web1000 (built once)
  python bench/web_bench.py --home /tmp/web10 --scale 0.01      # 10 units
  python bench/web_bench.py --database-url postgresql://…       # PostgreSQL (an empty or a bench database)
  python bench/web_bench.py … --json out.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

import assess_bench  # noqa: E402  (the synthetic data and its bulk insert)

SUPERVISOR = "bench-supervisor"


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="网页应用的规模测试")
    ap.add_argument("--scale", type=float, default=1.0, help="数据库为空时生成的规模：1 = 1000 个单位（默认 1）")
    ap.add_argument("--home", help="SQLite 数据所在目录（不存在则生成，存在则复用）")
    ap.add_argument("--database-url", help="postgresql://… 的数据库（空库则生成）")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--register", type=int, default=50_000, help="最后一个单位在该期间的谈话记录数（默认 50000）")
    ap.add_argument("--requests", type=int, default=20, help="每个页面逐个请求的次数（默认 20）")
    ap.add_argument("--clients", type=int, default=20, help="并发客户端数（默认 20）")
    ap.add_argument("--rounds", type=int, default=2, help="并发时每个客户端对每个页面的请求次数（默认 2）")
    ap.add_argument("--threads", type=int, default=8, help="服务器工作线程数（默认 8，同 fengqing serve）")
    ap.add_argument("--json", help="把结果另存为 JSON 文件")
    args = ap.parse_args()
    if not args.home and not args.database_url:
        ap.error("请给出 --home（SQLite）或 --database-url（PostgreSQL）")
    return args


def prepare(args) -> dict:
    """Data, the big register, the supervisor's session; returns what the requests need."""
    assess_bench.setup_django(argparse.Namespace(database_url=args.database_url, home=args.home))
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from fengqing.accounts.models import Assignment, Role
    from fengqing.commands import ensure_migrated
    from fengqing.ledger.models import Talk
    from fengqing.org.models import Unit
    from fengqing.periods import parse_period

    ensure_migrated()  # the main database and the log-in store, which holds the sessions
    if not Unit.objects.exists():
        started = time.perf_counter()
        counts = assess_bench.build(args.scale, 20230630)
        print(f"生成数据：{sum(counts.values()):,} 行，用时 {time.perf_counter() - started:.1f} 秒")
    period = parse_period(args.period)
    first, big = Unit.objects.order_by("pk").first(), Unit.objects.order_by("pk").last()
    fill_register(big, period, args.register)
    assess_bench.analyze()
    user, _ = User.objects.get_or_create(username=SUPERVISOR)
    assignment, _ = Assignment.objects.get_or_create(user=user, defaults={"role": Role.SUPERVISOR})
    assignment.units.set(Unit.objects.all())
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    n_talks = Talk.objects.filter(unit=big, date__range=(period.start, period.end)).count()
    others = list(Unit.objects.exclude(pk__in=(first.pk, big.pk)).order_by("pk").values_list("pk", flat=True)
                  [:args.requests + args.clients * args.rounds])
    return {"session": session.session_key, "period": period, "first": first.pk, "big": big.pk, "others": others,
            "units": Unit.objects.count(), "talks": n_talks}


def fill_register(unit, period, talks: int) -> None:
    """Add 谈心谈话 dated in ``period`` to ``unit`` until it has ``talks`` of the period (the big register)."""
    from fengqing.ledger.models import Talk
    from fengqing.org.models import Person

    have = Talk.objects.filter(unit=unit, date__range=(period.start, period.end)).count()
    if have < talks:
        people = list(Person.objects.filter(unit=unit).values_list("pk", flat=True))
        rnd, days = random.Random(1), (period.end - period.start).days
        Talk.objects.bulk_create([Talk(unit=unit, subject_id=rnd.choice(people), kind="谈心谈话",
                                       date=period.start + timedelta(days=rnd.randrange(days + 1)))
                                  for _ in range(talks - have)], batch_size=5000)


def baseline(period, repeat: int = 3) -> list[float]:
    from fengqing.assess.engine import assess, ranked

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        ranked(assess(period))
        times.append(time.perf_counter() - started)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = dict(os.environ, FENGQING_DEBUG="")
    command = [sys.executable, "-m", "fengqing.cli", "serve", "--port", str(port), "--threads", str(args.threads)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit("服务器未能启动：\n" + server.stdout.read())
            time.sleep(0.3)
    server.kill()
    sys.exit("服务器两分钟内未能启动")


class Client:
    def __init__(self, port: int, session: str):
        self.port, self.cookie = port, f"sessionid={session}"

    def get(self, path: str) -> tuple[float, int, int]:
        """(seconds, status, bytes) of one GET on a fresh connection."""
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.request("GET", path, headers={"Cookie": self.cookie, "Host": "localhost"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return time.perf_counter() - started, response.status, len(body)


def pages(ctx) -> dict[str, list[str]]:
    """Each timed page and the URLs it cycles through."""
    p, first, big = f"period={ctx['period'].code}", ctx["first"], ctx["big"]
    overview = [f"/overview/?{p}&page={n}" for n in (1, 2, 5, 10)] + [
        f"/overview/?{p}&sort=-d{d}&page={n}" for d in range(5) for n in (1, 3)] + [
        f"/overview/?{p}&grade=%E4%B8%80%E8%88%AC", f"/overview/?{p}&dim=2&light=red",
        f"/overview/?{p}&sort=name&page=7", f"/overview/?{p}&sort=-completeness"]
    return {
        "overview": overview,
        "dashboard": [f"/u/{first}/?{p}"],
        "dashboard_first": [f"/u/{u}/?{p}" for u in ctx["others"]],
        "register_first": [f"/u/{big}/records/talk/?{p}"],
        "register_last": [f"/u/{big}/records/talk/?{p}&page=last"],
        "problems": [f"/u/{first}/problems/?period=2022H2"],  # the bench's problems are of 2022H2
        "preview": [f"/u/{first}/report/?{p}"],
        "fact": [f"/u/{big}/report/facts/talk.total/?{p}"],
    }


def percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"n": len(times), "p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def sequential(client: Client, urls: list[str], n: int) -> tuple[list[float], set[int], int]:
    times, statuses, size = [], set(), 0
    for i in range(n):
        t, status, size = client.get(urls[i % len(urls)])
        times.append(t)
        statuses.add(status)
    return times, statuses, size


def concurrent(client: Client, urls: list[str], clients: int, rounds: int, skip: int) -> tuple[
        list[float], set[int], float]:
    """``skip``: the URLs asked for already, so a list of distinct pages goes on with new ones."""
    times, statuses, lock = [], set(), threading.Lock()

    def work(k: int) -> None:
        for r in range(rounds):
            t, status, _ = client.get(urls[(skip + k + r * clients) % len(urls)])
            with lock:
                times.append(t)
                statuses.add(status)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, statuses, time.perf_counter() - started


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): the figures are only comparable within one run."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def rss_mb(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024)
    return {"rss_mb": fields.get("VmRSS"), "peak_rss_mb": fields.get("VmHWM")}


def main() -> None:
    args = parse_args()
    ctx = prepare(args)
    from django.db import connection

    print(f"数据库：{connection.vendor}；{ctx['units']:,} 个单位；期间 {ctx['period'].code}；"
          f"大台账：单位 {ctx['big']} 的谈话 {ctx['talks']:,} 条；开始时负载 {load()}")
    base = baseline(ctx["period"])
    t_base = statistics.median(base)
    print(f"基线：全部单位评估（assess + ranked，本进程）{t_base * 1000:.0f} ms（中位数；各次 "
          + "、".join(f"{t * 1000:.0f}" for t in base) + "）")
    connection.close()

    port = free_port()
    server = start_server(args, port)
    try:
        client = Client(port, ctx["session"])
        results = {"database": connection.vendor, "units": ctx["units"], "period": ctx["period"].code,
                   "register_talks": ctx["talks"], "baseline_assess_ms": round(t_base * 1000, 1), "pages": {}}
        t, status, size = client.get(pages(ctx)["overview"][0])
        results["overview_first_ms"] = round(t * 1000, 1)
        results["overview_first_over_baseline"] = round(t / t_base, 3)
        print(f"总览首个请求（评估全部单位并保存结果）：{t * 1000:.0f} ms，{size / 1024:.0f} KB，状态 {status}"
              f"；为基线的 {t / t_base:.2f} 倍")
        print(f"\n{'页面':<16}{'逐个 p50':>10}{'p95':>9}{'并发 p50':>11}{'p95':>9}{'吞吐/秒':>9}{'大小KB':>9}")
        for name, urls in pages(ctx).items():
            n = args.requests
            seq, s1, size = sequential(client, urls, n)
            con, s2, wall = concurrent(client, urls, args.clients, args.rounds, n)
            row = {"sequential": percentiles(seq), "concurrent": percentiles(con),
                   "concurrent_per_s": round(len(con) / wall, 1), "kb": round(size / 1024), "status": sorted(s1 | s2)}
            results["pages"][name] = row
            print(f"{name:<18}{row['sequential']['p50_ms']:>10.0f}{row['sequential']['p95_ms']:>9.0f}"
                  f"{row['concurrent']['p50_ms']:>11.0f}{row['concurrent']['p95_ms']:>9.0f}"
                  f"{row['concurrent_per_s']:>9.1f}{row['kb']:>9}" + ("" if row["status"] == [200] else
                                                                      f"  状态 {row['status']}"))
        results["server"] = rss_mb(server.pid)
        results["load"] = load()
    finally:
        server.terminate()
        server.wait(30)
    ov = results["pages"]["overview"]["sequential"]
    results["overview_p95_over_baseline"] = round(ov["p95_ms"] / results["baseline_assess_ms"], 3)
    print(f"\n总览 p95 / 基线 = {results['overview_p95_over_baseline']:.2f}（目标 ≤ 1.5，且 p95 ≤ 500 ms）")
    print(f"服务器内存：结束时 RSS {results['server']['rss_mb']} MB，峰值 {results['server']['peak_rss_mb']} MB"
          f"（目标：结束时 ≤ 300 MB）；结束时负载 {results['load']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
        print(f"已写入 {args.json}")


if __name__ == "__main__":
    main()
