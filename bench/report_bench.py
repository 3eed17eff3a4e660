"""Benchmark of the report (issue 3, item 10; issue 11, item 7).

Times, for one unit and one period, the median of --repeat runs of: building the document (facts from the
records, sentence templates, assessment, trend); building it and writing the .docx; building it and writing
every format but PDF together (.docx, Markdown, HTML, JSON: what ``render_all`` does for a download of all);
then the PDF once. The floor is writing the same paragraphs with bare python-docx (no styles, no facts, no
layout), measured in the same run; the ratios to it are printed. Then the .docx of the first --all units.

Run it on the assessment bench's database to time a unit among 1,000 (its records are those of an ordinary
unit; the database holds 2 M records of the others):

  python bench/report_bench.py --home /tmp/benchdata/sqlite-1000        # reuse assess_bench's SQLite data
  python bench/report_bench.py --home /tmp/benchdata/sqlite-10          # the same unit among 10
  python bench/report_bench.py                                          # 5 sample units, temporary SQLite
  python bench/report_bench.py --database-url postgresql://u:p@host:port/db   # PostgreSQL (built if empty)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=5, help="sample units to build in an empty database (default 5)")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement; the median is kept (default 5)")
    ap.add_argument("--all", type=int, default=10, help="units whose .docx is built in the last step (default 10)")
    ap.add_argument("--home", help="a SQLite data folder to use (e.g. assess_bench's); else a temporary one")
    ap.add_argument("--database-url", help="a PostgreSQL database (sample units are built if it is empty)")
    args = ap.parse_args()

    os.environ["FENGQING_HOME"] = args.home or tempfile.mkdtemp(prefix="fengqing-report-bench-")
    if args.database_url:
        os.environ["FENGQING_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("FENGQING_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        from tests.report.sample import build_unit

        t = time.perf_counter()
        for i in range(args.units):
            build_unit(name=f"河川市第{i + 1}水务局", short=f"第{i + 1}水务局", code=f"B{i + 1:03d}", seed=i)
        print(f"built {args.units} sample units in {time.perf_counter() - t:.1f} s")
    units = list(Unit.objects.order_by("pk")[:args.all])
    total = Unit.objects.count()
    run(units, total, parse_period(args.period), args.repeat)


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


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


def run(units, total: int, period, repeat: int) -> None:
    from django.db import connection

    from fengqing.report.api import render_all
    from fengqing.report.builder import build_document
    from fengqing.report.render import docx, html, pdf

    unit = units[0]
    build_document(unit, period, appendix=True)  # compile the templates, warm the caches
    doc = build_document(unit, period, appendix=True)
    texts = paragraphs(doc)
    formats = ["docx", "md", "html", "json"]
    floor = median(lambda: bare_docx(texts), repeat)
    build = median(lambda: build_document(unit, period, appendix=True), repeat)
    with_docx = median(lambda: docx.render(build_document(unit, period, appendix=True)), repeat)
    every = median(lambda: render_all(build_document(unit, period, appendix=True), formats), repeat)
    print(f"\n{connection.vendor}, {total:,} units in the database; one unit ({unit.name}, {period.code}, "
          f"{len(texts)} paragraphs, {len(doc.facts)} facts), median of {repeat}:")
    print(f"  floor: bare python-docx, same paragraphs             {floor * 1000:8.1f} ms")
    print(f"  build the document (facts, sentences, scores, trend) {build * 1000:8.1f} ms  {build / floor:6.1f} × floor")
    print(f"  build + .docx                                        {with_docx * 1000:8.1f} ms  "
          f"{with_docx / floor:6.1f} × floor (target ≤ 3)")
    print(f"  build + .docx, .md, .html, .json together            {every * 1000:8.1f} ms  "
          f"{every / floor:6.1f} × floor (target ≤ 4)")
    docx_bytes = docx.render(doc)
    if pdf.soffice():
        r = median(lambda: pdf.from_docx(docx_bytes), 1)
        print(f"  pdf (LibreOffice from the .docx), once             {r * 1000:8.1f} ms")
    r = median(lambda: pdf.from_html(html.render(doc, for_print=True)), 1)
    print(f"  pdf (WeasyPrint from the HTML), once               {r * 1000:8.1f} ms")

    def all_units():
        for u in units:
            docx.render(build_document(u, period, appendix=True))

    t_all = median(all_units, 1)
    floor_all = median(lambda: [bare_docx(texts) for _ in units], 1)
    print(f"\nthe first {len(units)} units, .docx: {t_all:.2f} s ({t_all / len(units) * 1000:.0f} ms a unit); "
          f"floor {floor_all:.2f} s; ratio {t_all / floor_all:.1f} × floor")


if __name__ == "__main__":
    main()
