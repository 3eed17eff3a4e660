"""A demo unit's records about its people and posts: 谈话, 四种形态, 干部选任, 廉政意见, 挂职, 述责述廉,
信访举报, 廉政风险点."""

from __future__ import annotations

from datetime import date, timedelta

from .. import choices as C
from ..ledger.models import (Discipline, DutyReport, IntegrityOpinion, Petition, Posting, Promotion, RiskPoint,
                             Talk)
from ..org.models import Person
from . import vocabulary as V
from .context import Context
from .dates import AS_OF, HALVES, YEARS, between, spread, workday
from .staff import in_service

FORMS = {str(i + 1): form for i, form in enumerate(C.DISCIPLINE_FORM)}


def build_oversight(ctx: Context) -> None:
    talks: list[Talk] = []
    petitions = _petitions(ctx, talks)
    disciplines = _disciplines(ctx, talks)
    promotions, opinions = _promotions(ctx, talks)
    opinions += _deferred_opinions(ctx, talks)
    talks += _integrity_talks(ctx) + _other_talks(ctx)
    Talk.objects.bulk_create(talks)
    Petition.objects.bulk_create(petitions)
    Discipline.objects.bulk_create(disciplines)
    Promotion.objects.bulk_create(promotions)
    IntegrityOpinion.objects.bulk_create(opinions)
    Posting.objects.bulk_create(_postings(ctx))
    DutyReport.objects.bulk_create(_duty_reports(ctx))
    RiskPoint.objects.bulk_create(_risk_points(ctx))


def _talker(ctx: Context, p: Person, d: date) -> str:
    """The secretary himself is talked to by the head of the discipline group."""
    leader = ctx.staff.leader_of(p, d)
    return f"{ctx.profile.group}组长" if leader.pk == p.pk else leader.name


def _window(p: Person, start: date, end: date) -> tuple[date, date]:
    """The part of [start, end] in which p is in service."""
    if p.joined and p.joined > start:
        start = p.joined
    if p.status != "在职" and p.status_date <= end:
        end = p.status_date - timedelta(days=1)
    return start, end


def _serves_within(p: Person, start: date, end: date) -> bool:
    first, last = _window(p, start, end)
    return first <= last


def _integrity_talks(ctx: Context) -> list[Talk]:
    """廉洁纪律谈话 with a share of the staff by 30 June and a larger share by year end; newcomers on arrival."""
    rng, staff = ctx.rng, ctx.staff
    out = []
    for year in YEARS:
        start, end = date(year, 1, 1), date(year, 12, 31)
        pool = [p for p in staff.people if p.category != "编外" and _serves_within(p, start, end)]
        newcomers = [p for p in pool if p.joined and p.joined.year == year]
        for p in newcomers:
            d = workday(p.joined + timedelta(days=rng.randint(2, 12)))
            out.append(Talk(unit=ctx.unit, date=d, subject=p, kind="廉洁纪律谈话", talker=_talker(ctx, p, d),
                            reason=V.NEWCOMER_TALK))
        others = rng.sample([p for p in pool if p not in newcomers], len(pool) - len(newcomers))
        by_june, by_december = (round(share * len(others)) for share in ctx.practice.talk_coverage)
        for k, p in enumerate(others[:by_december]):
            first, last = _window(p, *((date(year, 3, 1), date(year, 6, 28)) if k < by_june
                                       else (date(year, 7, 10), date(year, 11, 30))))
            if first > last:
                continue
            d = between(rng, first, last)
            out.append(Talk(unit=ctx.unit, date=d, subject=p, kind="廉洁纪律谈话", talker=_talker(ctx, p, d),
                            reason=rng.choice(V.TALK_REASONS["廉洁纪律谈话"])))
    return out


def _other_talks(ctx: Context) -> list[Talk]:
    rng, staff = ctx.rng, ctx.staff
    out = []
    per_half = 4 + len(staff.departments) // 2
    for i, half in enumerate(HALVES):
        kinds = ["谈心谈话"] * per_half + ["提醒谈话"] * (1 + len(staff.departments) // 10) + ["谈话提醒"] * (i % 2)
        for kind, d in zip(kinds, sorted(between(rng, half.start, half.end) for _ in kinds)):
            p = rng.choice(staff.at(d) if kind == "谈心谈话" else staff.regulars_at(d))
            out.append(Talk(unit=ctx.unit, date=d, subject=p, kind=kind, talker=_talker(ctx, p, d),
                            reason=rng.choice(V.TALK_REASONS[kind])))
        subordinates = [p for p in staff.heads_at(half.end) if p.department.kind == "下属单位"]
        if half.start.month == 7 and subordinates:  # once a year the head of a subordinate unit is summoned
            d = between(rng, half.start, half.end)
            p = rng.choice(subordinates)
            out.append(Talk(unit=ctx.unit, date=d, subject=p, kind="约谈", talker=staff.leader(0, d).name,
                            reason=rng.choice(V.TALK_REASONS["约谈"])))
    return out


def _petitions(ctx: Context, talks: list[Talk]) -> list[Petition]:
    """Petitions received each half; the first about a named person in each year leads to 谈话函询."""
    rng, staff, profile = ctx.rng, ctx.staff, ctx.profile
    out, numbers, inquired = [], {}, set()
    for half, results in zip(HALVES, profile.practice.petitions):
        for received, result in sorted((_received(rng, half, result), result) for result in results):
            numbers[received.year] = numbers.get(received.year, 0) + 1
            person = rng.choice(staff.regulars_at(received)) if rng.random() < 0.6 else None
            category = rng.choice(V.PETITION_CATEGORIES)
            if person and received.year not in inquired and result in ("不属实", "了结"):
                inquired.add(received.year)
                category = "违规收受礼品礼金"
                d = workday(received + timedelta(days=rng.randint(7, 15)))
                talks.append(Talk(unit=ctx.unit, date=d, subject=person, kind="谈话函询",
                                  talker=f"{profile.group}组长", reason=V.TALK_REASONS["谈话函询"][0]))
            closed = None if result == "在办" else min(AS_OF, workday(received + timedelta(days=rng.randint(20, 60))))
            out.append(Petition(unit=ctx.unit, received=received,
                                number=f"{profile.prefix}-XF-{received.year}-{numbers[received.year]:03d}",
                                subject=person.name if person else rng.choice(staff.departments).name,
                                category=category, result=result, closed=closed))
    return out


def _received(rng, half, result: str) -> date:
    """A petition still 在办 at AS_OF came in during its last two months; the others in time to be closed."""
    if result == "在办":
        return between(rng, max(half.start, AS_OF - timedelta(days=60)), AS_OF)
    return between(rng, half.start, half.end - timedelta(days=20))


def _disciplines(ctx: Context, talks: list[Talk]) -> list[Discipline]:
    """The 四种形态 of each half; handling of the first form takes each kind in turn, 诫勉 with its talk."""
    rng, staff = ctx.rng, ctx.staff
    out, first_forms = [], 0
    for half, forms in zip(HALVES, ctx.practice.disciplines):
        for code, d in zip(forms, spread(rng, half.start, half.end, len(forms))):
            form = FORMS[code]
            p = rng.choice(staff.regulars_at(d))
            if code == "1":
                handling = V.DISCIPLINE_HANDLING[form][first_forms % len(V.DISCIPLINE_HANDLING[form])]
                first_forms += 1
            else:
                handling = rng.choice(V.DISCIPLINE_HANDLING[form])
            if handling == "诫勉":
                talks.append(Talk(unit=ctx.unit, date=d, subject=p, kind="诫勉谈话", talker=f"{ctx.profile.group}组长",
                                  reason="落实监督执纪第一种形态，对其予以诫勉"))
            out.append(Discipline(unit=ctx.unit, date=d, subject=p, form=form, handling=handling,
                                  source=rng.choice(V.DISCIPLINE_SOURCES)))
    return out


def _promotions(ctx: Context, talks: list[Talk]) -> tuple[list[Promotion], list[IntegrityOpinion]]:
    """干部选任 with the four checks of 凡提四必, each preceded by the discipline group's opinion and, for a
    promotion, followed by the pre-appointment talk."""
    rng, staff = ctx.rng, ctx.staff
    size = len(staff.departments)
    plan = []  # (date, person, matter)
    for year in YEARS:
        for matter, count in (("提拔", 1 + size // 8), ("进一步使用", max(1, size // 8)), ("选调", size // 10)):
            for k in range(count):
                half = HALVES[2 * (year - 2022) + k % 2]
                d = between(rng, half.start + timedelta(days=20), half.end - timedelta(days=15))
                plan.append((d, rng.choice(staff.regulars_at(d)), matter))
        candidates = staff.at(date(year, 1, 31))
        for winner in rng.sample(candidates, max(2, len(candidates) // 25)):
            plan.append((between(rng, date(year, 2, 1), date(year, 2, 20)), winner, "评先评优"))
    plan += [(d, p, "提拔") for p, d in staff.promoted]
    plan.sort(key=lambda item: (item[0], item[1].staff_no))

    careless = [k for k, (d, _, matter) in enumerate(plan)
                if HALVES[2].contains(d) and matter in ("提拔", "进一步使用")]
    careless = set(rng.sample(careless, min(len(careless), ctx.practice.careless_promotions)))
    promotions, opinions = [], []
    for k, (d, p, matter) in enumerate(plan):
        checks = {"file_reviewed": True, "matters_verified": True, "opinion_heard": True, "petitions_checked": True}
        if matter == "评先评优":
            checks.update(file_reviewed=False, matters_verified=False)
        if k in careless:
            checks[rng.choice(("matters_verified", "opinion_heard", "petitions_checked"))] = False
        promotions.append(Promotion(unit=ctx.unit, date=d, subject=p, matter=matter, **checks))
        if checks["opinion_heard"]:
            opinion_matter = {"选调": "人员选调", "评先评优": "评先评优"}.get(matter, "干部选拔任用")
            opinions.append(IntegrityOpinion(unit=ctx.unit, date=workday(d - timedelta(days=rng.randint(4, 10))),
                                             subject=p, matter=opinion_matter, conclusion="同意"))
        if matter == "提拔":
            t = workday(d + timedelta(days=rng.randint(3, 10)))
            talks.append(Talk(unit=ctx.unit, date=t, subject=p, kind="任前廉政谈话", talker=staff.leader(0, t).name,
                              reason=V.TALK_REASONS["任前廉政谈话"][0]))
    return promotions, opinions


def _deferred_opinions(ctx: Context, talks: list[Talk]) -> list[IntegrityOpinion]:
    """Someone under 谈话函询 is put forward for an award meanwhile: the discipline group asks to wait."""
    return [IntegrityOpinion(unit=ctx.unit, date=workday(t.date + timedelta(days=5)), subject=t.subject,
                             matter="评先评优", conclusion="暂缓")
            for t in talks if t.kind == "谈话函询"]


def _postings(ctx: Context) -> list[Posting]:
    rng, staff = ctx.rng, ctx.staff
    terms = ((date(2022, 3, 1), date(2023, 2, 28)), (date(2023, 3, 1), None), (date(2022, 9, 1), date(2023, 8, 31)))
    out = []
    for k, (start, end) in enumerate(terms[:1 + len(staff.departments) // 10]):
        young = [p for p in staff.regulars_at(start) if p.joined.year >= 2008 and (end is None or in_service(p, end))]
        out.append(Posting(unit=ctx.unit, subject=rng.choice(young), host=ctx.fill(V.POSTING_HOSTS[k], start),
                           start=start, end=end))
    return out


def _duty_reports(ctx: Context) -> list[DutyReport]:
    """The heads' annual 述责述廉 with the anonymous votes of the staff present."""
    rng, pr = ctx.rng, ctx.practice
    out = []
    for year in YEARS:
        d = ctx.duty_days[year]
        heads = ctx.staff.heads_at(d)
        reporting = sorted(rng.sample(heads, round(pr.duty_report_share * len(heads))), key=lambda p: p.staff_no)
        on_site = set(p.pk for p in rng.sample(reporting, min(len(reporting), 2 + len(reporting) // 5)))
        for p in reporting:
            # near the profile's shares, so the unit's satisfaction rate does not hang on the seed
            voters = pr.voters + rng.randint(-3, 3)
            fairly_good, average, poor = (max(0, round(voters * share + rng.uniform(-1, 1))) for share in pr.votes[1:])
            out.append(DutyReport(unit=ctx.unit, date=d, reporter=p, on_site=p.pk in on_site,
                                  good=voters - fairly_good - average - poor, fairly_good=fairly_good,
                                  average=average, poor=poor))
    return out


def _risk_points(ctx: Context) -> list[RiskPoint]:
    """Risk points of the departments covered, mostly reviewed in spring 2023, a few stale since 2021."""
    rng, staff, pr = ctx.rng, ctx.staff, ctx.practice
    specs = dict(zip((d.pk for d in staff.departments), ctx.profile.departments))
    depts = rng.sample(staff.departments, round(pr.risk_coverage * len(staff.departments)))
    depts.sort(key=lambda d: d.order or 0)
    heads = {p.department_id: p for p in staff.heads_at(AS_OF)}
    review = between(rng, date(2023, 3, 6), date(2023, 3, 24))
    out = []
    for dept in depts:
        owner = heads[dept.pk].name if dept.pk in heads else ""
        for post, description, level, controls in V.RISKS[specs[dept.pk].risk]:
            out.append(RiskPoint(unit=ctx.unit, code=f"{ctx.profile.prefix}-FX-{len(out) + 1:03d}", department=dept,
                                 post=post, description=description, level=level, controls=controls, owner=owner,
                                 reviewed=workday(review + timedelta(days=rng.randint(0, 6)))))
    for point in rng.sample(out, pr.stale_reviews):
        point.reviewed = between(rng, date(2021, 11, 1), date(2021, 11, 30))
    for point in rng.sample([p for p in out if p.level == "高"], pr.uncontrolled_high_risks):
        point.controls = ""
    return out
