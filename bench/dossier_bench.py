"""Benchmark of the 廉政档案 and the 党风廉政意见回复 (issue 14).

Builds one unit of --people people with, per person, two talks, a 四种形态 record, a promotion and a duty
report, and --petitions petitions whose 反映对象 names a random person (a tenth of the names shared by two
people), then times, in --repeat rounds each measuring every step once (after one warm-up round, printed apart:
the first document of a process also loads fonts and compiles queries), the median of each step and the lowest
and highest ratio of a round to the same round's floor, no best-of-N:

  floor    the person's own records alone (one query per kind, no petitions) and the file's paragraphs
           written with bare python-docx (no styles, no tables, no layout);
  file     ``build_file`` + ``file_document`` + the .docx: the floor plus reading and matching every petition of
           the unit (the 反映对象 is matched in Python, as the ledger may store it encrypted);
  letter   ``draft`` + ``letter_document`` + the .docx for a batch of 10 requests.

  python bench/dossier_bench.py                                 # 300 people, 2,000 petitions, SQLite
  python bench/dossier_bench.py --people 1500 --petitions 20000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def build(people: int, petitions: int):
    from fengqing.ledger import models as L
    from fengqing.org.models import Person, Unit

    rnd = random.Random(14)
    unit = Unit.objects.create(name="河川市测试局", short_name="测试局", party_org_name="中共河川市测试局党组")
    names = [f"员工{i:05d}" for i in range(people)]
    for i in range(0, people // 10 * 2, 2):  # a tenth of the names shared by two people
        names[i + 1] = names[i]
    Person.objects.bulk_create(Person(unit=unit, staff_no=f"B{i:05d}", name=n, category="公务员", status="在职",
                                      political_status="群众") for i, n in enumerate(names))
    staff = list(Person.objects.filter(unit=unit))
    day = lambda: date(2019, 1, 1) + timedelta(days=rnd.randrange(5 * 365))  # noqa: E731
    L.Talk.objects.bulk_create(L.Talk(unit=unit, date=day(), subject=p, kind=rnd.choice(("廉洁纪律谈话", "提醒谈话")))
                               for p in staff for _ in range(2))
    L.Discipline.objects.bulk_create(L.Discipline(unit=unit, date=day(), subject=p, form="第二种形态",
                                                  handling="党内警告处分") for p in staff)
    L.Promotion.objects.bulk_create(L.Promotion(unit=unit, date=day(), subject=p, matter="提拔") for p in staff)
    L.DutyReport.objects.bulk_create(L.DutyReport(unit=unit, date=day(), reporter=p, good=9, fairly_good=3)
                                     for p in staff)
    L.Petition.objects.bulk_create(L.Petition(unit=unit, received=day(), number=f"XF-{i}",
                                              subject=f"某科{rnd.choice(names)}", result=rnd.choice(("在办", "属实", "不属实")))
                                   for i in range(petitions))
    for p in staff[:10]:
        L.IntegrityOpinion.objects.create(unit=unit, date=date(2023, 11, 30), subject=p, matter="干部选拔任用",
                                          conclusion="同意")
    return unit, staff


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--petitions", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    os.environ.setdefault("FENGQING_HOME", tempfile.mkdtemp(prefix="fengqing-dossier-bench-"))
    if args.database_url:
        os.environ["FENGQING_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fengqing.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fengqing.dossier.file import build_file, file_document
    from fengqing.dossier.letter import draft, letter_document
    from fengqing.ledger import models as L
    from fengqing.ledger.models import IntegrityOpinion
    from fengqing.report.render import docx

    t = time.perf_counter()
    unit, staff = build(args.people, args.petitions)
    print(f"built 1 unit, {args.people} people, {args.petitions} petitions in {time.perf_counter() - t:.1f} s")
    person = staff[2]
    request = IntegrityOpinion.objects.filter(unit=unit).first()

    from io import BytesIO

    import docx as python_docx

    from fengqing.report.document import block_runs, walk
    from fengqing.report.runs import plain

    texts = [plain(r) for b in walk(file_document(build_file(person)).blocks) for r in block_runs(b)]

    def floor():
        for model, field in ((L.Talk, "subject"), (L.Discipline, "subject"), (L.Promotion, "subject"),
                             (L.DutyReport, "reporter"), (L.Posting, "subject"), (L.IntegrityOpinion, "subject")):
            list(model.objects.filter(**{field: person}))
        d = python_docx.Document()
        for text in texts:
            d.add_paragraph(text)
        d.save(BytesIO())

    steps = {"floor": floor,
             "file": lambda: docx.render(file_document(build_file(person))),
             "letter": lambda: docx.render(letter_document(draft(unit, request.pk), date(2023, 12, 5))[0])}
    first = {name: timed(fn) for name, fn in steps.items()}
    rounds = [{name: timed(fn) for name, fn in steps.items()} for _ in range(args.repeat)]
    med = {name: statistics.median(r[name] for r in rounds) for name in steps}
    print(f"median of {args.repeat} rounds (ratio range over the rounds); first round, not counted: "
          + ", ".join(f"{name} {t * 1000:.1f} ms" for name, t in first.items()))
    labels = {"floor": "floor: own records (6 queries) + bare .docx", "file": "file: build + document + .docx",
              "letter": "letter for 10 people: draft + document + .docx"}
    for name, label in labels.items():
        line = f"  {label:<48}{med[name] * 1000:8.1f} ms"
        if name != "floor":
            ratios = [r[name] / r["floor"] for r in rounds]
            line += f"   {med[name] / med['floor']:5.1f} × floor ({min(ratios):.1f}–{max(ratios):.1f})"
        print(line)


if __name__ == "__main__":
    main()
