"""A demo unit's own work records: 学习, 会议, 文件, 责任分工, 会商, 三公经费, 廉政教育."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .. import choices as C
from ..assess.festivals import festival_days
from ..ledger.models import Document, DutyTask, Education, Liaison, Meeting, PublicExpense, Study
from ..org.models import PartyBranch
from . import vocabulary as V
from .context import Context
from .dates import AS_OF, HALVES, YEARS, between, spread, workday

FILMS = {2022: "《零容忍》", 2023: "《持续发力 纵深推进》"}


def build_work(ctx: Context) -> None:
    Study.objects.bulk_create(_studies(ctx))
    Meeting.objects.bulk_create(_meetings(ctx))
    Document.objects.bulk_create(_documents(ctx))
    DutyTask.objects.bulk_create(_tasks(ctx))
    Liaison.objects.bulk_create(_liaisons(ctx))
    PublicExpense.objects.bulk_create(_expenses(ctx))
    Education.objects.bulk_create(_educations(ctx))


def _exists(branch: PartyBranch, d: date) -> bool:
    return (branch.founded is None or branch.founded <= d) and (branch.dissolved is None or branch.dissolved > d)


def _members(ctx: Context, branch: PartyBranch) -> int:
    return sum(1 for p in ctx.staff.people if p.branch_id == branch.pk)


def _branch_dates(ctx: Context, branch: PartyBranch, start: date, end: date, n: int) -> list[date]:
    return [d for d in spread(ctx.rng, start, end, n) if _exists(branch, d)]


def _studies(ctx: Context) -> list[Study]:
    rng, staff, unit = ctx.rng, ctx.staff, ctx.unit
    out = []
    for i, half in enumerate(HALVES):
        n = ctx.practice.central_studies[i]
        themes = rng.sample(V.CENTRAL_STUDY[i], n)
        for d, theme in zip(spread(rng, half.start + timedelta(days=10), half.end - timedelta(days=5), n), themes):
            attendees = sum(1 for p in staff.at(d) if p.is_leader) + rng.randint(2, 6)
            out.append(Study(unit=unit, date=d, kind="党组理论学习中心组", topic=ctx.fill(theme, d),
                             attendees=attendees))
        for branch in staff.branches:
            per_half = 3 if branch.kind == "在职" else 2
            for d in _branch_dates(ctx, branch, half.start, half.end, per_half):
                topic = rng.choice(V.BRANCH_STUDY + tuple("{branch}：" + t for t in V.CENTRAL_STUDY[i]))
                out.append(Study(unit=unit, date=d, kind="党支部集中学习",
                                 topic=ctx.fill(topic, d, branch=branch.name),
                                 attendees=max(3, _members(ctx, branch) - rng.randint(0, 3))))
        for d in spread(rng, half.start + timedelta(days=20), half.end, 2):
            out.append(Study(unit=unit, date=d, kind="干部职工集中学习", topic=ctx.fill(rng.choice(V.STAFF_STUDY), d),
                             attendees=len(staff.at(d, establishment=False)) - rng.randint(2, 8)))
    for year, month in ((2022, 11), (2023, 5)):
        d = between(rng, date(year, month, 8), date(year, month, 20))
        out.append(Study(unit=unit, date=d, kind="专题读书班", topic=V.READING_CLASS[year],
                         attendees=len(staff.heads_at(d)) + sum(1 for p in staff.at(d) if p.is_leader)))
    return out


def _meetings(ctx: Context) -> list[Meeting]:
    rng, staff, unit = ctx.rng, ctx.staff, ctx.unit
    out = []
    per_half = min(12, 4 + len(staff.departments) // 2)
    for i, half in enumerate(HALVES):
        dates = spread(rng, half.start + timedelta(days=5), half.end - timedelta(days=3), per_half)
        integrity = set(rng.sample(range(per_half), ctx.practice.integrity_meetings[i]))
        for k, d in enumerate(dates):
            pool = V.INTEGRITY_MEETING if k in integrity else V.PARTY_GROUP_MEETING
            out.append(Meeting(unit=unit, date=d, kind="党组会", topic=ctx.fill(rng.choice(pool), d),
                               integrity=k in integrity))
        # the half opens with a staff meeting on the last half's work, another follows on a current matter
        first = V.STAFF_MEETING[0] if half.start.month == 1 else V.STAFF_MEETING[1]
        for topic, start, end in ((first, half.start + timedelta(days=10), half.start + timedelta(days=40)),
                                  (rng.choice(V.STAFF_MEETING[2:]), half.start + timedelta(days=60), half.end)):
            d = between(rng, start, end)
            out.append(Meeting(unit=unit, date=d, kind="干部职工会", topic=ctx.fill(topic, d)))
        for branch in staff.branches:
            for d in _branch_dates(ctx, branch, half.start, half.end, 2):
                out.append(Meeting(unit=unit, date=d, kind="党支部会",
                                   topic=ctx.fill(rng.choice(V.BRANCH_MEETING), d, branch=branch.name)))
    for year in YEARS:
        for kind, topic, month, integrity in V.YEARLY_MEETINGS:
            d = ctx.duty_days[year] if kind == "述责述廉会议" else between(rng, date(year, month, 5), date(year, month, 25))
            out.append(Meeting(unit=unit, date=d, kind=kind, topic=ctx.fill(topic, d), integrity=integrity))
    return out


def _documents(ctx: Context) -> list[Document]:
    rng, unit = ctx.rng, ctx.unit
    out = []
    for year, plan_day in zip(YEARS, ctx.practice.study_plans):
        out.append(Document(unit=unit, date=plan_day, category="学习计划", title=ctx.fill(V.STUDY_PLAN, plan_day)))
        for category, title, month in V.DOCUMENTS:
            d = between(rng, date(year, month, 5), date(year, month, 25))
            out.append(Document(unit=unit, date=d, category=category, title=ctx.fill(title, d)))
    first, second = _split(rng, V.RULES, 2 if len(ctx.staff.departments) < 10 else 3)
    revised = [t + "（2023年修订）" for t in first[:1]]
    for year, titles in ((2022, first), (2023, second + revised)):
        for title, d in zip(titles, spread(rng, date(year, 4, 1), date(year, 11, 30), len(titles))):
            out.append(Document(unit=unit, date=d, category="内控制度", title=ctx.fill(title, d)))
    return out


def _split(rng, items: tuple[str, ...], k: int) -> tuple[list[str], list[str]]:
    chosen = rng.sample(items, 2 * k)
    return chosen[:k], chosen[k:]


def _tasks(ctx: Context) -> list[DutyTask]:
    rng, staff = ctx.rng, ctx.staff
    out = []
    for y, year in enumerate(YEARS):
        picked = sorted(rng.sample(V.TASKS, ctx.practice.tasks), key=lambda t: (t[1], t[2]))
        late = _late(rng, [k for k, t in enumerate(picked) if t[1] <= 6], [k for k, t in enumerate(picked) if t[1] > 6],
                     ctx.practice.late_tasks[y])
        for k, (text, month, day, by_secretary, role) in enumerate(picked):
            deadline = date(year, month, day)
            dept = _responsible(ctx, role)
            lead = staff.leader(0 if by_secretary else staff.in_charge[dept.pk], deadline)
            status, done = "已完成", max(date(year, 1, 4), workday(deadline - timedelta(days=rng.randint(3, 25))))
            if k in late:
                done = workday(deadline + timedelta(days=rng.randint(10, 45)))
                if k % 2 or done > AS_OF:  # half the late tasks were never finished
                    status, done = "推进中", None
            if text == V.STUDY_PLAN_TASK:  # done when the plan was issued, however late that was
                status, done = "已完成", ctx.practice.study_plans[y]
            elif text == V.DUTY_MEETING_TASK:
                status, done = "已完成", ctx.duty_days[year]
            out.append(DutyTask(unit=ctx.unit, task=ctx.fill(text, deadline), lead=lead.name, responsible=dept.name,
                                deadline=deadline, status=status, done_date=done))
    return out


def _responsible(ctx: Context, role: str):
    """The department of the task's kind; the office (the first department) when the unit has none."""
    pairs = list(zip(ctx.staff.departments, ctx.profile.departments))
    if role == "business":
        return ctx.rng.choice([dept for dept, spec in pairs if spec.risk not in V.ADMIN_RISKS])
    return next((dept for dept, spec in pairs if spec.risk == role), pairs[0][0])


def _late(rng, first: list[int], second: list[int], n: int) -> set[int]:
    """n of the tasks, taken from each half-year's in turn, so both halves show some."""
    pools, late = [rng.sample(first, len(first)), rng.sample(second, len(second))], set()
    for i in range(n):
        pool = pools[i % 2] or pools[(i + 1) % 2]
        late.add(pool.pop())
    return late


def _liaisons(ctx: Context) -> list[Liaison]:
    rng = ctx.rng
    out = []
    for i, half in enumerate(HALVES):
        n = ctx.practice.liaisons[i]
        forms = rng.sample(C.LIAISON_FORM, min(n, len(C.LIAISON_FORM)))
        forms += [rng.choice(C.LIAISON_FORM) for _ in range(n - len(forms))]
        for form, d in zip(forms, spread(rng, half.start + timedelta(days=10), half.end, n)):
            out.append(Liaison(unit=ctx.unit, date=d, form=form, content=ctx.fill(rng.choice(V.LIAISONS[form]), d)))
    return out


def _money(value: float) -> Decimal:
    return Decimal(round(value * 100)).scaleb(-2)


def _expenses(ctx: Context) -> list[PublicExpense]:
    pr, rng = ctx.practice, ctx.rng
    out = []
    for year in YEARS:
        factor = (1 + pr.expense_change) ** (year - 2022)
        for half, share in (("上半年", 0.45), ("下半年", 0.55)):
            for category, base in zip(C.EXPENSE_CATEGORY, pr.expense_2022):
                budget = base * factor * share
                spent = budget * pr.execution * rng.uniform(0.98, 1.02)
                out.append(PublicExpense(unit=ctx.unit, year=year, half=half, category=category,
                                         budget=_money(budget), spent=_money(spent)))
    return out


def _educations(ctx: Context) -> list[Education]:
    rng, staff, unit = ctx.rng, ctx.staff, ctx.unit
    out = []
    for y, year in enumerate(YEARS):
        # drawn for the whole year so that no kind of event repeats within it
        counts = ctx.practice.warning_educations[2 * y:2 * y + 2]
        events = rng.sample(V.WARNING_EDUCATION, sum(counts))
        for half, n, chosen in zip(HALVES[2 * y:2 * y + 2], counts, (events[:counts[0]], events[counts[0]:])):
            for (form, content), d in zip(chosen, spread(rng, half.start, half.end, n)):
                out.append(Education(unit=unit, date=d, form=form, content=ctx.fill(content, d, film=FILMS[year]),
                                     coverage=len(staff.at(d, establishment=False)) - rng.randint(0, 6)))
    out += _reminders(ctx)
    joiners: dict[date, int] = {}
    for p in staff.people:
        if p.joined and p.joined.year in YEARS and not p.is_leader:
            joiners[p.joined] = joiners.get(p.joined, 0) + 1
    for joined, count in sorted(joiners.items()):
        out.append(Education(unit=unit, date=workday(joined + timedelta(days=10)), form="新进人员培训",
                             content=V.NEWCOMER_TRAINING, coverage=count))
    for year in YEARS:
        for form, content, month, day in V.OTHER_EDUCATION:
            d = workday(date(year, month, day))
            out.append(Education(unit=unit, date=d, form=form, content=ctx.fill(content, d),
                                 coverage=len(staff.at(d, establishment=False))))
    return out


def _reminders(ctx: Context) -> list[Education]:
    """A 节假日廉洁提醒 a few days before each festival the unit did not miss; festivals two or three days apart
    (中秋 and 国庆 in 2023) share one."""
    rng = ctx.rng
    festivals = [f for year in (*YEARS, 2024) for f in festival_days(year)]
    out, covered = [], set()
    for k, (name, day) in enumerate(festivals):
        if day in covered or day in ctx.practice.missed_festivals:
            continue
        names = V.FESTIVAL_NAMES.get(name, name)
        if k + 1 < len(festivals) and (festivals[k + 1][1] - day).days <= 3:
            names += "、" + V.FESTIVAL_NAMES.get(festivals[k + 1][0], festivals[k + 1][0])
            covered.add(festivals[k + 1][1])
        d = workday(day - timedelta(days=rng.randint(2, 6)))
        if d > AS_OF:
            break
        out.append(Education(unit=ctx.unit, date=d, form="节假日廉洁提醒",
                             content=ctx.fill(V.HOLIDAY_REMINDER, d, festival=names),
                             coverage=len(ctx.staff.at(d, establishment=False))))
    return out
