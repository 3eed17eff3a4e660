"""Benchmark of the report (issue 3, item 10).

Times, for one unit and one period: building the document (facts from the records, sentence templates,
assessment) and rendering it in each format; then building and rendering the .docx for every unit in the
database. The floor is writing the same paragraphs with bare python-docx (no styles, no facts, no layout),
measured in the same run; the ratios to it are printed.

  python bench/report_bench.py                       # 5 sample units in SQLite in a temporary folder
  python bench/report_bench.py --units 20 --repeat 5
  python bench/report_bench.py --database-url postgresql://u:p@host:port/db   # an empty database
  python bench/report_bench.py --reuse --database-url …                      # time the units already there
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from functools import partial
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=5, help="sample units to build (default 5)")
    ap.add_argument("--period", default="2023H1")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    ap.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    ap.add_argument("--reuse", action="store_true", help="use the units already in the database")
    args = ap.parse_args()

    os.environ.setdefault("FENGQING_HOME", tempfile.mkdtemp(prefix="fengqing-report-bench-"))
    if args.database_url:
        os.environ["FENGQING_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    from fengqing.org.models import Unit
    from fengqing.periods import parse_period

    call_command("migrate", verbosity=0)
    if not args.reuse:
        from tests.report.sample import build_unit

        t = time.perf_counter()
        for i in range(args.units):
            build_unit(name=f"河川市第{i + 1}水务局", short=f"第{i + 1}水务局", code=f"B{i + 1:03d}", seed=i)
        print(f"built {args.units} sample units in {time.perf_counter() - t:.1f} s")
    units = list(Unit.objects.order_by("pk"))
    if not units:
        sys.exit("no units in the database")
    run(units, parse_period(args.period), args.repeat)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


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


def run(units, period, repeat: int) -> None:
    from fengqing.report.builder import build_document
    from fengqing.report.render import docx, html, json, markdown, pdf

    unit = units[0]
    build_document(unit, period, appendix=True)  # compile the templates, warm the caches
    doc = build_document(unit, period, appendix=True)
    texts = paragraphs(doc)
    floor = best(lambda: bare_docx(texts), repeat)
    build = best(lambda: build_document(unit, period, appendix=True), repeat)
    renderers = {"docx": docx.render, "md": markdown.render, "html": html.render, "json": json.render}
    print(f"\none unit ({unit.name}, {period.code}, {len(texts)} paragraphs, {len(doc.facts)} facts), "
          f"best of {repeat}:")
    print(f"  floor: bare python-docx, same paragraphs        {floor * 1000:8.1f} ms")
    print(f"  build the document (facts, sentences, scores)   {build * 1000:8.1f} ms   {build / floor:6.1f} × floor")
    for fmt, render in renderers.items():
        r = best(partial(render, doc), repeat)
        print(f"  {fmt:5} render {r * 1000:8.1f} ms;  build + render {(build + r) * 1000:8.1f} ms "
              f"  {(build + r) / floor:6.1f} × floor")
    docx_bytes = docx.render(doc)
    if pdf.soffice():
        r = best(lambda: pdf.from_docx(docx_bytes), 1)
        print(f"  pdf   (LibreOffice from the .docx) {r * 1000:8.1f} ms  {(build + r) / floor:6.1f} × floor")
    r = best(lambda: pdf.from_html(html.render(doc, for_print=True)), 1)
    print(f"  pdf   (WeasyPrint from the HTML)   {r * 1000:8.1f} ms  {(build + r) / floor:6.1f} × floor")

    def all_units():
        for u in units:
            docx.render(build_document(u, period, appendix=True))


    total = best(all_units, 1)
    floor_all = best(lambda: [bare_docx(texts) for _ in units], 1)
    print(f"\nall {len(units)} units, .docx: {total:.2f} s ({total / len(units) * 1000:.0f} ms a unit); "
          f"floor {floor_all:.2f} s; ratio {total / floor_all:.1f} × floor")


if __name__ == "__main__":
    main()
