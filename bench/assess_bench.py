"""Benchmark of the assessment engine at scale (issue 4, item 7).

Builds synthetic records (at --scale 1: 1,000 units of about 150 people and 2,000 records each, about
2,000,000 rows) with bulk inserts (COPY on PostgreSQL), then times for one period, all units:

  engine  ``fengqing.assess.engine.assess(period)``: the aggregate queries, scoring, everything;
  floor   the engine's aggregate SQL alone, compiled beforehand and run through a bare cursor;
  naive   a per-unit loop of simple ORM queries (one or two per indicator and period), then the same scoring.

It prints the times, their ratios, the peak Python memory of the engine and the floor (tracemalloc) and the
process's peak RSS, and checks that the naive loop and the engine agree on every value. It also times the
per-unit path that every page of a unit takes: ``assess_unit`` of the first unit, against its own SQL alone.

With --scales it runs itself once per scale, each on its own SQLite database in --data (built the first time,
reused after), and prints how the all-units and the per-unit costs grow with the number of units. The first
units are the same at every scale (same seed), so the per-unit path times the same unit in each database.

  python bench/assess_bench.py --scale 0.01                          # SQLite in a temporary folder
  python bench/assess_bench.py --scale 1 --database-url postgresql://u:p@host:port/db   # an empty database
  python bench/assess_bench.py --reuse --database-url …             # time again on data already built
  python bench/assess_bench.py --home /tmp/b … ; … --home /tmp/b --reuse   # the same with SQLite
  python bench/assess_bench.py --scales 0.01,0.1,1 --data /tmp/benchdata      # 10, 100, 1,000 units
"""

from __future__ import annotations

import argparse
import atexit
import json
import statistics
import subprocess
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

PEOPLE = 150
YEARS = (2021, 2022, 2023)
CATEGORIES = ("公务员", "公务员", "公务员", "参公事业", "事业", "工勤", "编外")
TALK_KINDS = ("廉洁纪律谈话", "任前廉政谈话", "谈心谈话", "提醒谈话", "廉洁纪律谈话", "谈话提醒")
EDU_FORMS = ("案例通报", "警示教育大会", "观看警示教育片", "节假日廉洁提醒", "节假日廉洁提醒", "廉政党课",
             "参观警示教育基地", "新进人员培训")
STUDY_KINDS = ("党组理论学习中心组", "党组理论学习中心组", "党支部集中学习", "干部职工集中学习", "专题读书班")
EXPENSE_CATEGORIES = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def main() -> None:
    args = parse_args()
    if args.scales:
        return scales(args)
    setup_django(args)
    from django.core.management import call_command
    from django.db import connection

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}）")
    if Unit.objects.exists():
        if not args.reuse:
            sys.exit("数据库中已有单位：请使用空数据库，或加 --reuse 直接在已有数据上计时")
    else:
        started = time.perf_counter()
        counts = build(args.scale, args.seed)
        print(f"生成数据：{sum(counts.values()):,} 行，用时 {time.perf_counter() - started:.1f} 秒")
        for table, n in counts.items():
            print(f"  {table:<24} {n:>10,}")
    analyze()
    result = run(parse_period(args.period), args.repeat, args.naive)
    if args.json:
        Path(args.json).write_text(json.dumps(result))


def scales(args: argparse.Namespace) -> None:
    """One run per scale in its own process and database; then the growth side by side."""
    results = []
    for scale in (float(x) for x in args.scales.split(",")):
        home = Path(args.data) / f"sqlite-{max(1, round(1000 * scale))}"
        home.mkdir(parents=True, exist_ok=True)
        out = home / "assess-bench.json"
        command = [sys.executable, __file__, "--scale", str(scale), "--home", str(home), "--reuse", "--json",
                   str(out), "--period", args.period, "--repeat", str(args.repeat)] + ([] if args.naive else
                                                                                        ["--no-naive"])
        print(f"\n=== {max(1, round(1000 * scale)):,} 个单位 ===", flush=True)
        subprocess.run(command, check=True)
        results.append(json.loads(out.read_text()))
    first = results[0]
    print(f"\n规模增长（SQLite，期间 {args.period}；单个单位为第 1 个单位，各规模中相同）")
    print(f"{'单位数':>8}{'全部单位评估':>12}{'下限':>9}{'引擎/下限':>9}{'单个单位':>10}{'其 SQL':>9}"
          f"{'单位/下限':>9}{'为最小规模的':>10}")
    for r in results:
        print(f"{r['units']:>10,}{r['engine_s']:>14.3f}s{r['floor_s']:>9.3f}s{r['engine_s'] / r['floor_s']:>10.2f}"
              f"{r['unit_ms']:>11.1f}ms{r['unit_floor_ms']:>7.1f}ms{r['unit_ms'] / r['unit_floor_ms']:>10.2f}"
              f"{r['unit_ms'] / first['unit_ms']:>11.2f}×")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="研判评估引擎的规模测试")
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 1000 个单位、约 200 万条记录（默认 1）")
    parser.add_argument("--database-url", help="postgresql://… 的空数据库；不给则用 SQLite")
    parser.add_argument("--home", help="数据目录：SQLite 数据库与加密字段的密钥（保留以便 --reuse）；不给则用用后即删的临时目录")
    parser.add_argument("--period", default="2023H1")
    parser.add_argument("--repeat", type=int, default=3, help="引擎与下限各计时几次，取最短（默认 3）")
    parser.add_argument("--seed", type=int, default=20230630)
    parser.add_argument("--reuse", action="store_true", help="数据库中已有数据时不再生成，直接计时")
    parser.add_argument("--no-naive", dest="naive", action="store_false", help="不运行逐单位 ORM 循环（较慢）")
    parser.add_argument("--scales", help="逗号分隔的若干规模（如 0.01,0.1,1），每个规模一个 SQLite 数据库，放在 --data 下")
    parser.add_argument("--data", help="与 --scales 同用：各规模数据库所在目录（已有则复用）")
    parser.add_argument("--json", help="把结果另存为 JSON 文件")
    args = parser.parse_args()
    if args.scales and not args.data:
        parser.error("--scales 需要 --data")
    return args


def setup_django(args: argparse.Namespace) -> None:
    """Never the user's own data folder: an explicit --home, or a temporary one removed at exit."""
    if args.database_url:
        os.environ["FENGQING_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("FENGQING_DATABASE_URL", None)
    # the data key of the sealed fields lives in the home too: a PostgreSQL bench database reused later needs it
    home = args.home or tempfile.mkdtemp(prefix="fengqing-assess-bench-")
    if not args.home:
        atexit.register(shutil.rmtree, home, True)
    os.environ["FENGQING_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "fengqing.settings"
    import django

    django.setup()


# -- synthetic data -------------------------------------------------------------------------------------------

class Ids:
    """Explicit primary keys, so that rows can reference each other without reading anything back."""

    def __init__(self):
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.next[table] = self.next.get(table, 0) + 1
        return self.next[table]


def day_in(rnd: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rnd.randrange((end - start).days + 1))


def unit_rows(rnd: random.Random, ids: Ids, n: int) -> dict[str, list[dict]]:
    """All rows of one unit, by model label."""
    uid = ids("unit")
    rows: dict[str, list[dict]] = {k: [] for k in (
        "org.Unit", "org.Department", "org.PartyBranch", "org.Person", "ledger.Study", "ledger.Meeting",
        "ledger.Document", "ledger.DutyTask", "ledger.Liaison", "ledger.PublicExpense", "ledger.Education",
        "ledger.Talk", "ledger.Discipline", "ledger.Promotion", "ledger.Posting", "ledger.RiskPoint",
        "ledger.DutyReport", "ledger.Petition", "rectify.Problem", "rectify.Measure")}
    rows["org.Unit"].append(dict(id=uid, name=f"第{n}号测试局", short_name=f"测{n}", code=f"B{n:05d}",
                                 party_org_name=f"中共第{n}号测试局党组"))
    first, last = date(YEARS[0], 1, 1), date(YEARS[-1], 12, 31)
    depts = [ids("dept") for _ in range(10)]
    for i, d in enumerate(depts):
        rows["org.Department"].append(dict(id=d, unit_id=uid, name=f"机构{i}", kind="科室" if i < 8 else "下属单位"))
    branch = ids("branch")
    rows["org.PartyBranch"].append(dict(id=branch, unit_id=uid, name="机关党支部", kind="在职"))
    people, heads = [], []
    for i in range(PEOPLE + rnd.randint(-20, 20)):
        pid = ids("person")
        status = rnd.choices(("在职", "退休", "调出"), (90, 5, 5))[0]
        member = rnd.random() < 0.6
        head = i < 10
        rows["org.Person"].append(dict(
            id=pid, unit_id=uid, staff_no=f"P{i:04d}", name=f"人员{i}", department_id=rnd.choice(depts),
            is_dept_head=head, is_leader=i < 5, category=rnd.choice(CATEGORIES), status=status,
            status_date=None if status == "在职" else day_in(rnd, first, last),
            joined=day_in(rnd, date(2000, 1, 1), last) if rnd.random() < 0.9 else None,
            political_status="中共党员" if member else "群众", branch_id=branch if member else None))
        people.append(pid)
        if head:
            heads.append(pid)

    def dated(label: str, count: int, make) -> None:
        for _ in range(count):
            rows[label].append(dict(id=ids(label), unit_id=uid, **make(day_in(rnd, first, last))))

    dated("ledger.Study", rnd.randint(60, 90), lambda d: dict(date=d, kind=rnd.choice(STUDY_KINDS), topic="学习"))
    dated("ledger.Meeting", rnd.randint(60, 90), lambda d: dict(
        date=d, kind=rnd.choice(("党组会", "党组会", "干部职工会", "党支部会")), topic="议题",
        integrity=rnd.random() < 0.3))
    dated("ledger.Document", rnd.randint(15, 25), lambda d: dict(
        date=d, title="文件", category=rnd.choice(("学习计划", "工作要点", "责任分工", "内控制度", "其他"))))
    dated("ledger.Liaison", rnd.randint(20, 40), lambda d: dict(date=d, form="沟通会商", content="会商"))
    dated("ledger.Education", rnd.randint(100, 140), lambda d: dict(date=d, form=rnd.choice(EDU_FORMS),
                                                                    content="教育"))
    dated("ledger.Talk", rnd.randint(1100, 1300), lambda d: dict(
        date=d, subject_id=rnd.choice(people), kind=rnd.choice(TALK_KINDS)))
    dated("ledger.Discipline", rnd.randint(20, 40), lambda d: dict(
        date=d, subject_id=rnd.choice(people), handling="处理",
        form=rnd.choices(("第一种形态", "第二种形态", "第三种形态", "第四种形态"), (70, 20, 8, 2))[0]))
    dated("ledger.Promotion", rnd.randint(20, 40), lambda d: dict(
        date=d, subject_id=rnd.choice(people), matter=rnd.choice(("提拔", "进一步使用", "选调", "评先评优")),
        file_reviewed=True, matters_verified=True, opinion_heard=rnd.random() < 0.9,
        petitions_checked=rnd.random() < 0.9))
    dated("ledger.DutyReport", rnd.randint(35, 55), lambda d: dict(
        date=d, reporter_id=rnd.choice(heads), good=rnd.randint(10, 40), fairly_good=rnd.randint(0, 10),
        average=rnd.randint(0, 5), poor=rnd.randint(0, 3)))
    for _ in range(rnd.randint(35, 55)):
        rows["ledger.Petition"].append(dict(id=ids("petition"), unit_id=uid, received=day_in(rnd, first, last),
                                            result=rnd.choice(("在办", "属实", "部分属实", "不属实", "了结", ""))))
    for _ in range(5):
        start = day_in(rnd, first, last)
        rows["ledger.Posting"].append(dict(id=ids("posting"), unit_id=uid, subject_id=rnd.choice(people),
                                           host="基层单位", start=start, end=start + timedelta(days=180)))
    for i in range(40):
        deadline = day_in(rnd, first, date(2024, 6, 30))
        status = rnd.choice(("未开始", "推进中", "已完成", "已完成"))
        done = deadline + timedelta(days=rnd.randint(-30, 20)) if status == "已完成" and rnd.random() < 0.9 else None
        rows["ledger.DutyTask"].append(dict(id=ids("task"), unit_id=uid, task=f"任务{i}", deadline=deadline,
                                            status=status, done_date=done))
    annual = rnd.random() < 0.5
    for year in YEARS:
        for category in EXPENSE_CATEGORIES:
            for half in ("上半年", "下半年") + (("全年",) if annual else ()):
                budget = Decimal(rnd.randint(10, 200)) * (2 if half == "全年" else 1)
                spent = (budget * Decimal(rnd.randint(60, 115)) / 100).quantize(Decimal("0.01"))
                rows["ledger.PublicExpense"].append(dict(id=ids("expense"), unit_id=uid, year=year, half=half,
                                                         category=category, budget=budget, spent=spent))
    for i in range(60):
        rows["ledger.RiskPoint"].append(dict(
            id=ids("risk"), unit_id=uid, code=f"R{i:03d}", department_id=rnd.choice(depts[:9]), post="岗位",
            description="风险", level=rnd.choice(("高", "中", "低")),
            controls="" if rnd.random() < 0.1 else "措施", reviewed=day_in(rnd, date(2019, 1, 1), last)))
    for i in range(20):
        problem = ids("problem")
        rows["rectify.Problem"].append(dict(id=problem, unit_id=uid, code=f"W{i:03d}", period="2022H2",
                                            aspect="其他", title="问题"))
        for k in range(3):
            deadline = day_in(rnd, date(2022, 1, 1), date(2024, 6, 30))
            status = rnd.choice(("未开始", "推进中", "已完成", "已完成"))
            done = deadline + timedelta(days=rnd.randint(-30, 20)) if status == "已完成" and rnd.random() < 0.9 else None
            rows["rectify.Measure"].append(dict(id=ids("measure"), problem_id=problem, text=f"措施{k}",
                                                deadline=deadline, status=status, done_date=done))
    return rows


def build(scale: float, seed: int) -> dict[str, int]:
    """Inserts the synthetic units in chunks; returns the rows written per table."""
    from django.apps import apps
    from django.db import connection, transaction

    units = max(1, round(1000 * scale))
    ids, rnd = Ids(), random.Random(seed)
    counts: dict[str, int] = {}
    for chunk_start in range(0, units, 50):
        chunk: dict[str, list[dict]] = {}
        for n in range(chunk_start, min(units, chunk_start + 50)):
            for label, rows in unit_rows(rnd, ids, n + 1).items():
                chunk.setdefault(label, []).extend(rows)
        with transaction.atomic():
            for label, rows in chunk.items():
                model = apps.get_model(label)
                insert(model, rows)
                counts[model._meta.db_table] = counts.get(model._meta.db_table, 0) + len(rows)
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
                cursor.execute(sql)
    return counts


def insert(model, rows: list[dict]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite; absent fields take the model's default."""
    from django.db import connection

    if not rows:
        return
    fields = model._meta.concrete_fields
    defaults = {f.attname: f.get_default() for f in fields}
    data = [tuple(r.get(f.attname, defaults[f.attname]) for f in fields) for r in rows]
    sealed = [i for i, f in enumerate(fields) if getattr(f, "stores_ciphertext", False)]
    if sealed:  # sealed with the data key as the application would, so that pages reading them can open them
        data = [tuple(fields[i].get_prep_value(v) if i in sealed else v for i, v in enumerate(row)) for row in data]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in fields)
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                        [tuple(_sqlite_value(v) for v in row) for row in data])


def _sqlite_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# -- timing ---------------------------------------------------------------------------------------------------

def run(period, repeat: int, naive: bool = True) -> dict:
    from django.db import connection

    from fengqing.assess.engine import assess, assess_unit, comparison_periods
    from fengqing.assess.measure import queries
    from fengqing.assess.schemes import load_scheme
    from fengqing.org.models import Unit

    scheme = load_scheme()
    periods = comparison_periods(period)
    statements = [qs.query.sql_with_params() for qs in queries(scheme.metric_ids, periods, None)]
    units = Unit.objects.count()

    def engine():
        return assess(period, None, scheme)

    def floor():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    engine()  # warm the caches of both the database and Python once
    engine_times, floor_times = [], []
    for _ in range(repeat):
        engine_times.append(_timed(engine)[0])
        floor_times.append(_timed(floor)[0])
    engine_peak, floor_peak = _peak(engine), _peak(floor)
    unit = Unit.objects.order_by("pk").first()
    unit_statements = [qs.query.sql_with_params() for qs in queries(scheme.metric_ids, periods, [unit.pk])]

    def unit_floor():
        with connection.cursor() as cursor:
            for sql, params in unit_statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    assess_unit(unit, period, scheme)
    unit_times, unit_floor_times = [], []
    for _ in range(10):
        unit_times.append(_timed(lambda: assess_unit(unit, period, scheme))[0])
        unit_floor_times.append(_timed(unit_floor)[0])
    t_unit, t_unit_floor = statistics.median(unit_times), statistics.median(unit_floor_times)
    t_engine, t_floor = min(engine_times), min(floor_times)
    print(f"\n期间 {period.code}，{units:,} 个单位，方案 {scheme.id}（{len(scheme.metric_ids)} 项指标 × 3 个期间）")
    print(f"  引擎 assess()（全部单位）   {t_engine:8.3f} 秒   {len(statements) + 1} 条查询；各次："
          + "、".join(f"{t:.3f}" for t in engine_times))
    print(f"  下限（同样的聚合 SQL 本身） {t_floor:8.3f} 秒   各次：" + "、".join(f"{t:.3f}" for t in floor_times))
    print(f"  引擎 / 下限 = {t_engine / t_floor:.2f}（目标 ≤ 2）")
    print(f"  单个单位 assess_unit（{unit.name}）{t_unit * 1000:8.1f} ms；其聚合 SQL 本身 {t_unit_floor * 1000:.1f} ms"
          f"（10 次的中位数）；比值 {t_unit / t_unit_floor:.2f}")
    print(f"  Python 内存峰值（tracemalloc）：引擎 {engine_peak / 2**20:.1f} MB，下限 {floor_peak / 2**20:.1f} MB；"
          f"进程最大常驻内存 {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    result = {"units": units, "engine_s": t_engine, "floor_s": t_floor, "unit_ms": t_unit * 1000,
              "unit_floor_ms": t_unit_floor * 1000, "engine_peak_mb": engine_peak / 2**20}
    if not naive:
        return result
    naive_time, naive_result = _timed(lambda: naive_values(period, scheme))
    mismatches = compare(engine(), naive_result)
    print(f"  逐单位 ORM 循环              {naive_time:8.3f} 秒   1 次；逐单位循环 / 引擎 = "
          f"{naive_time / t_engine:.1f}（目标 ≥ 20）")
    if mismatches:
        print(f"  逐单位循环与引擎不一致：{len(mismatches)} 处，例如 {mismatches[:5]}")
        sys.exit(1)
    print(f"  逐单位循环与引擎的 {units * len(scheme.metric_ids) * 3:,} 个数值全部一致")
    return {**result, "naive_s": naive_time}


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _peak(fn) -> int:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def compare(assessments, naive) -> list[tuple]:
    out = []
    for a in assessments:
        for ind in a.indicators:
            got = (ind.value, ind.previous, ind.year_ago)
            want = naive[a.unit.pk][ind.id]
            for g, w, which in zip(got, want, ("本期", "上期", "去年同期")):
                if (g is None) != (w is None) or (g is not None and abs(g - w) > 1e-9):
                    out.append((a.unit.name, ind.id, which, g, w))
    return out


# -- the naive loop: simple ORM queries per unit, indicator and period ---------------------------------------

def naive_values(period, scheme) -> dict[int, dict[str, tuple]]:
    """{unit id: {metric: (value, previous, year ago)}}, then scored like the engine does, so that both
    loops do the same work."""
    from fengqing.assess.engine import comparison_periods
    from fengqing.assess.scoring import score
    from fengqing.org.models import Unit

    periods = comparison_periods(period)
    out = {}
    for unit in Unit.objects.all():
        values = [naive_unit(unit, p) for p in periods]
        score(scheme, period, values)
        out[unit.pk] = {m: tuple(v[m] for v in values) for m in scheme.metric_ids}
    return out


def naive_unit(unit, p) -> dict[str, float | None]:
    from django.db.models import F, Q, Sum

    from fengqing.assess.festivals import festivals_in
    from fengqing.ledger.models import (Discipline, Document, DutyReport, DutyTask, Education, Liaison, Meeting,
                                        Petition, Promotion, PublicExpense, RiskPoint, Study, Talk)
    from fengqing.org.models import Department, Person
    from fengqing.rectify.models import Measure

    s, e = p.start, p.end
    year_start, back = date(e.year, 1, 1), e - timedelta(days=365)

    def rate(num, den):
        return num / den if den else None

    serving = Person.objects.filter(unit=unit).filter(Q(joined__isnull=True) | Q(joined__lte=e)) \
        .filter(Q(status="在职") | Q(status_date__gt=e))
    staff = serving.exclude(category="编外")
    n = staff.count()
    talked = staff.filter(id__in=Talk.objects.filter(unit=unit, kind__in=("廉洁纪律谈话", "任前廉政谈话"),
                                                      date__gte=year_start, date__lte=e).values("subject_id"))
    heads = serving.filter(is_dept_head=True)
    reported = heads.filter(id__in=DutyReport.objects.filter(unit=unit, date__gt=back, date__lte=e)
                            .values("reporter_id"))
    tasks = DutyTask.objects.filter(unit=unit, deadline__lte=e)
    measures = Measure.objects.filter(problem__unit=unit, deadline__lte=e)
    on_time = Q(status="已完成") & (Q(done_date__isnull=True) | Q(done_date__lte=F("deadline")))
    forms = Discipline.objects.filter(unit=unit, date__gte=s, date__lte=e)
    promos = Promotion.objects.filter(unit=unit, date__gte=s, date__lte=e, matter__in=("提拔", "进一步使用"))
    risks = RiskPoint.objects.filter(unit=unit, reviewed__lte=e)
    high = risks.filter(level="高")
    depts = Department.objects.filter(unit=unit)
    votes = DutyReport.objects.filter(unit=unit, date__gt=back, date__lte=e).aggregate(
        pos=Sum("good") + Sum("fairly_good"), all=Sum("good") + Sum("fairly_good") + Sum("average") + Sum("poor"))
    festivals = festivals_in(p)
    reminded = sum(1 for _, day in festivals if Education.objects.filter(
        unit=unit, form="节假日廉洁提醒", date__gte=day - timedelta(days=10), date__lte=day).exists())
    this_year, last_year = naive_expenses(PublicExpense, unit, p), naive_expenses(PublicExpense, unit, p.year_ago())
    substantiated = Petition.objects.filter(unit=unit, received__gte=s, received__lte=e,
                                            result__in=("属实", "部分属实")).count()
    return {
        "central_group_study": float(Study.objects.filter(unit=unit, date__gte=s, date__lte=e,
                                                          kind="党组理论学习中心组").count()),
        "study_plan_issued": float(Document.objects.filter(unit=unit, category="学习计划", date__gte=year_start,
                                                           date__lte=e).exists()),
        "integrity_topics": float(Meeting.objects.filter(unit=unit, date__gte=s, date__lte=e, kind="党组会",
                                                         integrity=True).count()),
        "task_completion": rate(tasks.filter(on_time).count(), tasks.count()),
        "liaison_count": float(Liaison.objects.filter(unit=unit, date__gte=s, date__lte=e).count()),
        "public_expense_change": (None if this_year is None or last_year is None or not last_year[0]
                                  else float((this_year[0] - last_year[0]) / last_year[0])),
        "public_expense_execution": None if this_year is None else rate(float(this_year[0]), float(this_year[1])),
        "integrity_talk_coverage": rate(talked.count(), n),
        "warning_education": float(Education.objects.filter(
            unit=unit, date__gte=s, date__lte=e,
            form__in=("案例通报", "警示教育大会", "观看警示教育片", "参观警示教育基地")).count()),
        "holiday_reminders": rate(reminded, len(festivals)),
        "first_form_share": rate(forms.filter(form="第一种形态").count(), forms.count()),
        "serious_cases_rate": None if not n else forms.exclude(form="第一种形态").count() * 100 / n,
        "four_musts_rate": rate(promos.filter(file_reviewed=True, matters_verified=True, opinion_heard=True,
                                              petitions_checked=True).count(), promos.count()),
        "petitions_substantiated_rate": None if not n else substantiated * 100 / n,
        "risk_point_coverage": rate(depts.filter(id__in=risks.values("department_id")).count(), depts.count()),
        "high_risk_controlled": rate(high.exclude(controls="").count(), high.count()),
        "risk_review_recency": rate(risks.filter(reviewed__gt=back).count(), risks.count()),
        "duty_report_coverage": rate(reported.count(), heads.count()),
        "democratic_rating": rate(votes["pos"] or 0, votes["all"] or 0),
        "rectification_completion": rate(measures.filter(on_time).count(), measures.count()),
        # overdue at E: not done by E (a measure finished after E was still open then)
        "overdue_measures": float(Measure.objects.filter(problem__unit=unit, deadline__lt=e).exclude(
            Q(status="已完成") & (Q(done_date__isnull=True) | Q(done_date__lte=e))).count()),
    }


def naive_expenses(model, unit, p):
    """(Σ支出, Σ预算) of P's rows, in Python over the unit's rows of that year; None when there are none."""
    rows = list(model.objects.filter(unit=unit, year=p.year).values("half", "category", "spent", "budget"))
    if p.kind == "half":
        half = "上半年" if p.start.month == 1 else "下半年"
        chosen = [r for r in rows if r["half"] == half]
    elif p.kind == "year":
        annual = {r["category"] for r in rows if r["half"] == "全年"}
        chosen = [r for r in rows if r["half"] == "全年" or r["category"] not in annual]
    else:
        chosen = []
    if not chosen:
        return None
    return sum(r["spent"] for r in chosen), sum(r["budget"] for r in chosen)


if __name__ == "__main__":
    main()
