"""The demo database: three fictional units of 河川市 with records for 2022H1–2023H2 in every table.

``build_demo(seed)`` deletes the demo units (only those) and builds them again in one transaction; the same
seed gives the same data, value for value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, F

from ..errors import FengqingError
from ..ledger import models as ledger
from ..org.models import Department, PartyBranch, Person, Unit
from ..rectify.models import Measure, Problem
from .context import Context
from .dates import YEARS, between
from .oversight import build_oversight
from .profiles import PROFILES, UnitProfile
from .rectification import build_rectification
from .staff import build_staff
from .work import build_work

#: the record tables in the order of the interchange workbook's sheets (DESIGN §3)
TABLES = (
    Department, Person, PartyBranch, ledger.Study, ledger.Meeting, ledger.Document, ledger.DutyTask,
    ledger.Liaison, ledger.IntegrityOpinion, ledger.PublicExpense, ledger.Education, ledger.Talk,
    ledger.Discipline, ledger.Promotion, ledger.Posting, ledger.RiskPoint, ledger.DutyReport, ledger.Petition,
    Problem, Measure,
)
DEMO_UNIT_NAMES = tuple(p.name for p in PROFILES)


@dataclass(frozen=True)
class UnitSummary:
    name: str
    short_name: str
    #: (table name as in DESIGN §3, rows) in the order of TABLES
    counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    units: tuple[UnitSummary, ...]


def build_demo(seed: int = 2023) -> DemoSummary:
    """Replace the demo units with freshly built ones; other units are left as they are."""
    with transaction.atomic():
        _check_codes_free()
        delete_units(DEMO_UNIT_NAMES)
        for profile in PROFILES:
            _build_unit(profile, seed)
    return DemoSummary(seed=seed, units=summarize(DEMO_UNIT_NAMES))


def _check_codes_free() -> None:
    codes = {p.code: p.name for p in PROFILES}
    other = Unit.objects.filter(code__in=codes).exclude(name__in=DEMO_UNIT_NAMES).order_by("name").first()
    if other:
        raise FengqingError(f"单位代码“{other.code}”已被单位“{other.name}”使用，无法生成演示单位“{codes[other.code]}”")


def delete_units(names: tuple[str, ...]) -> None:
    """Delete the units; all their records go with them."""
    Unit.objects.filter(name__in=names).delete()


def _build_unit(profile: UnitProfile, seed: int) -> Unit:
    # one random source per unit, seeded by text (stable across runs, unlike hash()), so units are independent
    rng = random.Random(f"{seed}:{profile.code}")
    unit = Unit.objects.create(name=profile.name, short_name=profile.short_name, code=profile.code,
                               party_org_name=profile.party_org_name, leadership_title=profile.leadership_title,
                               parent_name=profile.parent_name)
    staff = build_staff(unit, profile, rng)
    duty_days = {year: between(rng, date(year, 1, 10), date(year, 1, 20)) for year in YEARS}
    ctx = Context(unit=unit, profile=profile, staff=staff, rng=rng, duty_days=duty_days)
    build_work(ctx)
    build_oversight(ctx)
    build_rectification(ctx)
    return unit


def summarize(names: tuple[str, ...]) -> tuple[UnitSummary, ...]:
    """Rows per table for each named unit: one GROUP BY query per table."""
    units = list(Unit.objects.filter(name__in=names))
    ids = {u.pk: u.name for u in units}
    per_table = {}
    for model in TABLES:
        rows = (model.of_units(ids).values(uid=F(model.unit_path))
                .annotate(n=Count("pk")).order_by())
        per_table[model] = {ids[row["uid"]]: row["n"] for row in rows}
    order = {name: i for i, name in enumerate(names)}
    return tuple(
        UnitSummary(name=u.name, short_name=u.short_name,
                    counts=tuple((str(m._meta.verbose_name), per_table[m].get(u.name, 0)) for m in TABLES))
        for u in sorted(units, key=lambda u: order[u.name]))
