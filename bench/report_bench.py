"""Benchmark of the report (issue 3, item 10; issue 11, items 4 and 7).

For one unit and one period it times, in --repeat rounds, each round measuring every step once:

  floor   writing the report's paragraphs (the same texts) with bare python-docx: no styles, no facts, no layout;
  build   building the document: the facts from the records, the sentence templates, the assessment, the trend;
  docx    building it and writing the .docx (what ``fengqing report --format docx`` does);
  all     building it and writing .docx, .md, .html and .json together (a download of every format but PDF);

and prints the median of each, wall-clock and CPU time of this process (the CPU time is what a loaded machine
disturbs least), the ratios to the floor of the same rounds, and the lowest and highest ratio of a round. No
best-of-N: a slow round counts. The PDF (LibreOffice from the .docx) is timed once, apart.

By default it runs once per scale, each in its own process, on the assessment bench's SQLite databases in
--data (sqlite-10, sqlite-100, sqlite-1000: 10, 100 and 1,000 units of about 2,000 records each, built with
``bench/assess_bench.py`` the first time), and prints how the cost grows: the first unit is the same unit with
the same records at every scale, so a report that costs the same at every scale costs what its own unit's
records cost, not what the database holds. It migrates the databases it is given: use copies of shared ones.

  python bench/report_bench.py --data /tmp/benchdata                # 10, 100 and 1,000 units
  python bench/report_bench.py --data /tmp/benchdata --scales 1     # 1,000 units only
  python bench/report_bench.py --home /tmp/benchdata/sqlite-1000    # one SQLite database
  python bench/report_bench.py --database-url postgresql://u:p@host:port/db   # a PostgreSQL one
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS = {"floor": "下限：裸 python-docx 写同样的段落", "build": "生成文档（数字、句子、评分、趋势）",
         "docx": "生成文档 + 写 .docx", "all": "生成文档 + 写 .docx .md .html .json"}
TARGETS = {"docx": 3, "all": 4}


def main() -> None:
    args = parse_args()
    if args.home or args.database_url:
        result = run_one(args)
        if args.json:
            Path(args.json).write_text(json.dumps(result, ensure_ascii=False))
        return
    results = []
    for scale in (float(s) for s in args.scales.split(",")):
        units = max(1, round(1000 * scale))
        home = Path(args.data) / f"sqlite-{units}"
        if not (home / "fengqing.sqlite3").exists():
            print(f"\n=== 生成 {units:,} 个单位的数据库（bench/assess_bench.py）===", flush=True)
            home.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(ROOT / "bench" / "assess_bench.py"), "--scale", str(scale),
                            "--home", str(home), "--no-naive", "--repeat", "1"], check=True)
        out = home / "report-bench.json"
        print(f"\n=== {units:,} 个单位 ===", flush=True)
        subprocess.run([sys.executable, __file__, "--home", str(home), "--period", args.period,
                        "--repeat", str(args.repeat), "--json", str(out)] + ([] if args.pdf else ["--no-pdf"]),
                       check=True)
        results.append(json.loads(out.read_text()))
    summary(results)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="研判报告的性能测试")
    ap.add_argument("--data", default="/tmp/benchdata",
                    help="各规模的 SQLite 数据库所在目录（sqlite-10 等，缺少的用 assess_bench 生成；默认 /tmp/benchdata）")
    ap.add_argument("--scales", default="0.01,0.1,1", help="逗号分隔的规模，1 = 1,000 个单位（默认 0.01,0.1,1）")
    ap.add_argument("--home", help="只测这一个 SQLite 数据目录")
    ap.add_argument("--database-url", help="只测这一个 PostgreSQL 数据库（须已有数据，例如 assess_bench 生成的）")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--repeat", type=int, default=7, help="轮数，每轮各项各测一次，取中位数（默认 7）")
    ap.add_argument("--no-pdf", dest="pdf", action="store_false", help="不测 PDF（LibreOffice，较慢）")
    ap.add_argument("--json", help="把结果另存为 JSON 文件")
    return ap.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    if args.database_url:
        os.environ["FENGQING_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("FENGQING_DATABASE_URL", None)
        os.environ["FENGQING_HOME"] = args.home
    os.environ["DJANGO_SETTINGS_MODULE"] = "fengqing.settings"
    os.environ.setdefault("FONTCONFIG_FILE", str(ROOT / "src" / "fengqing" / "report" / "fonts.conf"))
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()


def paragraphs(doc) -> list[str]:
    from fengqing.report.document import block_runs, walk
    from fengqing.report.runs import plain

    return [doc.title_text] + ["".join(plain(r) for r in block_runs(b)) for b in walk(doc.blocks)]


def bare_docx(texts: list[str]) -> bytes:
    """The floor: the same paragraphs, written with python-docx and nothing else."""
    import docx

    d = docx.Document()
    for text in texts:
        d.add_paragraph(text)
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def record_counts(unit) -> tuple[int, int]:
    """(the unit's own records, all units' records) in the registers the report reads."""
    from django.apps import apps

    own = everyone = 0
    for model in apps.get_app_config("ledger").get_models():
        if any(f.name == "unit" for f in model._meta.fields):
            own += model.objects.filter(unit=unit).count()
            everyone += model.objects.count()
    return own, everyone


def run_one(args: argparse.Namespace) -> dict:
    setup_django(args)
    from django.core.management import call_command
    from django.db import connection

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period
    from fengqing.report.api import render_all
    from fengqing.report.builder import build_document
    from fengqing.report.render import docx, pdf

    call_command("migrate", verbosity=0)
    unit = Unit.objects.order_by("pk").first()
    if unit is None:
        sys.exit("数据库中没有单位：先用 bench/assess_bench.py 生成数据")
    period = parse_period(args.period)
    units = Unit.objects.count()
    own, everyone = record_counts(unit)
    formats = ["docx", "md", "html", "json"]
    render_all(build_document(unit, period, appendix=True), formats)  # compile templates, load fonts, warm caches
    doc = build_document(unit, period, appendix=True)
    texts = paragraphs(doc)
    steps = {
        "floor": lambda: bare_docx(texts),
        "build": lambda: build_document(unit, period, appendix=True),
        "docx": lambda: docx.render(build_document(unit, period, appendix=True)),
        "all": lambda: render_all(build_document(unit, period, appendix=True), formats),
    }
    wall, cpu, (load_before, load_after) = rounds(steps, args.repeat)
    result = {"vendor": connection.vendor, "units": units, "records": everyone, "unit_records": own,
              "unit": unit.name, "period": period.code, "paragraphs": len(texts), "facts": len(doc.facts),
              "repeat": args.repeat, "load": [load_before, load_after],
              "wall_ms": {k: statistics.median(v) * 1000 for k, v in wall.items()},
              "cpu_ms": {k: statistics.median(v) * 1000 for k, v in cpu.items()},
              # each round's ratio to that round's floor: how much the load moved the figures
              "round_ratios": {k: [x / f for x, f in zip(wall[k], wall["floor"])] for k in steps if k != "floor"}}
    print(f"{connection.vendor}，{units:,} 个单位、{everyone:,} 条台账记录；第 1 个单位（{unit.name}，"
          f"{period.code}：本单位 {own:,} 条记录，{len(texts)} 段、{len(doc.facts)} 个数字）；"
          f"{args.repeat} 轮的中位数；1 分钟负载 {load_before:.1f} → {load_after:.1f}（2 核）")
    print(f"  {'':<34}{'墙钟 ms':>9}{'×下限':>7}{'CPU ms':>9}{'×下限':>7}   各轮 ×下限")
    for key, label in STEPS.items():
        w, c = result["wall_ms"][key], result["cpu_ms"][key]
        line = (f"  {label:<{34 - wide(label)}}{w:9.1f}{w / result['wall_ms']['floor']:7.1f}"
                f"{c:9.1f}{c / result['cpu_ms']['floor']:7.1f}")
        if key != "floor":
            ratios = result["round_ratios"][key]
            line += f"   {min(ratios):.1f}–{max(ratios):.1f}"
        if key in TARGETS:
            line += f"（目标 ≤ {TARGETS[key]}）"
        print(line)
    if args.pdf and pdf.soffice():
        docx_bytes = docx.render(doc)
        t = time.perf_counter()
        pdf.from_docx(docx_bytes)
        result["pdf_ms"] = (time.perf_counter() - t) * 1000
        print(f"  PDF（LibreOffice 由 .docx 转换），一次：{result['pdf_ms']:.0f} ms")
    return result


def rounds(steps: dict, repeat: int) -> tuple[dict[str, list[float]], dict[str, list[float]], tuple[float, float]]:
    """``repeat`` rounds, each running every step once: each step's wall-clock and CPU times (seconds), by round,
    and the 1-minute load before and after."""
    wall: dict[str, list[float]] = {k: [] for k in steps}
    cpu: dict[str, list[float]] = {k: [] for k in steps}
    load_before = os.getloadavg()[0]
    for _ in range(repeat):
        for key, step in steps.items():
            w, c = time.perf_counter(), time.process_time()
            step()
            cpu[key].append(time.process_time() - c)
            wall[key].append(time.perf_counter() - w)
    return wall, cpu, (load_before, os.getloadavg()[0])


def wide(text: str) -> int:
    """How many more columns a text takes than characters (a CJK character takes two)."""
    return sum(1 for ch in text if ord(ch) > 0x2E80)


def summary(results: list[dict]) -> None:
    first = results[0]
    print(f"\n规模增长（{first['vendor']}，{first['period']}；同一个单位、同样的 {first['unit_records']:,} 条记录；"
          f"{first['repeat']} 轮的中位数，ms；括号内为同一次运行中下限的倍数；负载变化时以 CPU 时间比较为准）")
    print(f"{'单位数':>7}{'台账记录':>12}{'':>6}{'下限':>8}{'生成文档':>16}{'+ .docx':>18}{'四种格式':>16}"
          f"{'四种/最小规模':>10}{'负载':>12}")
    for r in results:
        for clock, name in (("wall_ms", "墙钟"), ("cpu_ms", "CPU")):
            t = r[clock]
            head = f"{r['units']:>10,}{r['records']:>14,}" if clock == "wall_ms" else " " * 24
            cells = "".join(f"{t[k]:10.1f}（{t[k] / t['floor']:4.1f}）" for k in ("build", "docx", "all"))
            load = f"{r['load'][0]:8.1f}–{r['load'][1]:.1f}" if clock == "wall_ms" else ""
            print(f"{head}{name:>6}{t['floor']:8.1f}{cells}{t['all'] / first[clock]['all']:10.2f}×{load}")


if __name__ == "__main__":
    main()
