"""Benchmark of a fact page's figure (issue 15): one fact of the report computed alone (``compute_fact``, what the
page 数据来源 does since) against all the report's facts (``compute_facts``, what it did before, to pick one).

For the first unit of a SQLite database (see --big) and one period it times, in --repeat rounds, each round measuring every
step once: all the facts, then one fact of each kind — an ordinary count (talk.total), the basis of a comparison
(talk.total.year_ago: the earlier period's rows only), a ratio (task.completion) and a figure of the problems and
measures (measure.overdue, whose section is computed whole). It prints the median wall-clock and CPU time of this
process (the CPU time is what a loaded machine disturbs least), each fact's ratio to all the facts in the same
rounds, the queries each issues, and the machine's load. Each step ends with what the page keeps: the facts
as dicts (``Fact.as_dict``), with the records listed.

With --big N it measures the last unit instead, its talks of the period made up to N first (as
``bench/web_bench.py`` does for its big register): there the page's figure lists N records.

It migrates the database it is given (and --big adds talks to it): use a copy of a shared one.

  cp -r /work/wt/benchdata/sqlite-1000 /tmp/fact-1000
  python bench/fact_bench.py --home /tmp/fact-1000 [--period 2023H1] [--repeat 15] [--big 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_bench import record_counts, rounds, setup_django, wide  # noqa: E402
from web_bench import fill_register  # noqa: E402

FACTS = {"talk.total": "普通计数", "talk.total.year_ago": "比较基数", "task.completion": "比率",
         "measure.overdue": "整改措施"}


def main() -> None:
    ap = argparse.ArgumentParser(description="数据来源页：一个数字单独计算与整份报告的全部数字对比")
    ap.add_argument("--home", required=True, help="SQLite 数据目录（会被迁移：请用副本）")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--repeat", type=int, default=15, help="轮数，每轮各项各测一次，取中位数（默认 15）")
    ap.add_argument("--big", type=int, default=0, help="改测最后一个单位，先把它本期的谈话补足到这么多条")
    args = ap.parse_args()
    args.database_url = None
    setup_django(args)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period
    from fengqing.report.facts import compute_fact, compute_facts

    call_command("migrate", verbosity=0)
    unit = Unit.objects.order_by("pk").last() if args.big else Unit.objects.order_by("pk").first()
    if unit is None:
        sys.exit("数据库中没有单位：先用 bench/assess_bench.py 生成数据")
    period = parse_period(args.period)
    if args.big:
        fill_register(unit, period, args.big)
    units, (own, everyone) = Unit.objects.count(), record_counts(unit)
    # what the page computed before (every fact as a dict, to pick one) and what it computes now
    steps = {"all": lambda: {f.id: f.as_dict() for f in compute_facts(unit, period).everything()}}
    steps.update({i: (lambda i=i: compute_fact(unit, period, i).as_dict()) for i in FACTS})
    queries = {}
    for key, step in steps.items():  # warm up, and check that each fact is there
        if key != "all" and compute_fact(unit, period, key) is None:
            sys.exit(f"{unit.name} 的 {period.code} 报告中没有 {key}")
        with CaptureQueriesContext(connection) as ctx:
            step()
        queries[key] = len(ctx.captured_queries)
    wall, cpu, (load_before, load_after) = rounds(steps, args.repeat)
    median = {k: (statistics.median(wall[k]) * 1000, statistics.median(cpu[k]) * 1000) for k in steps}
    print(f"{connection.vendor}，{units:,} 个单位、{everyone:,} 条台账记录；{'最后一' if args.big else '第 1 '}个单位（{unit.name}，{period.code}："
          f"本单位 {own:,} 条记录）；{args.repeat} 轮的中位数；1 分钟负载 {load_before:.1f} → {load_after:.1f}")
    print(f"  {'':<34}{'查询':>5}{'墙钟 ms':>9}{'CPU ms':>9}{'CPU ×全部':>10}")
    labels = {"all": "全部数字（compute_facts，原做法）", **{i: f"{i}（{kind}）" for i, kind in FACTS.items()}}
    for key, label in labels.items():
        w, c = median[key]
        print(f"  {label:<{34 - wide(label)}}{queries[key]:5d}{w:9.1f}{c:9.1f}{c / median['all'][1]:10.3f}")


if __name__ == "__main__":
    main()
