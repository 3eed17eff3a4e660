"""A demo unit's problems of each half-year and their rectification measures (问题, 整改措施)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from .. import choices as C
from ..rectify.models import Measure, Problem
from . import vocabulary as V
from .context import Context
from .dates import AS_OF, HALVES, workday


def _month_end(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def build_rectification(ctx: Context) -> None:
    rng, staff = ctx.rng, ctx.staff
    problems, drafts, previous = [], [], set()
    for i, half in enumerate(HALVES):
        chosen = _choose(rng, ctx.practice.problems, previous)
        previous = {p[1] for p in chosen}
        for n, (aspect, title, description, measures) in enumerate(chosen, start=1):
            found = half.end + timedelta(days=20)  # the half is analysed in the month after it
            problem = Problem(unit=ctx.unit, code=f"{half.code}-{n:02d}", period=half.code, aspect=aspect,
                              title=title, description=ctx.fill(description, found),
                              source=rng.choice(V.PROBLEM_SOURCES))
            problems.append(problem)
            for months, text in zip((2, 4, 6), measures):
                deadline = _month_end(half.end, months)
                seat = rng.randrange(len(staff.seats))
                drafts.append((i, problem, ctx.fill(text, found), staff.leader(seat, deadline).name, deadline))
    Problem.objects.bulk_create(problems)
    Measure.objects.bulk_create(_measures(ctx, drafts))


def _choose(rng, k: int, previous: set[str]) -> list[tuple]:
    """k problems of different 方面, none repeating a title of the half before, in the order of 方面."""
    fresh = [p for p in V.PROBLEMS if p[1] not in previous]
    aspects = rng.sample(sorted({p[0] for p in fresh}, key=C.PROBLEM_ASPECT.index), k)
    chosen = [rng.choice([p for p in fresh if p[0] == aspect]) for aspect in aspects]
    return sorted(chosen, key=lambda p: C.PROBLEM_ASPECT.index(p[0]))


def _measures(ctx: Context, drafts: list[tuple]) -> list[Measure]:
    """Measures due by AS_OF are done on time, except the profile's overdue (never done) and late ones;
    measures due later are under way or not started."""
    rng, pr = ctx.rng, ctx.practice
    out = []
    for i, _ in enumerate(HALVES):
        mine = [d for d in drafts if d[0] == i]
        # late ones need room after the deadline to be finished before AS_OF
        due = [k for k, d in enumerate(mine) if d[4] <= AS_OF - timedelta(days=45)]
        picked = rng.sample(due, min(len(due), pr.overdue_measures[i] + pr.late_measures[i]))
        overdue, late = set(picked[:pr.overdue_measures[i]]), set(picked[pr.overdue_measures[i]:])
        for k, (_, problem, text, owner, deadline) in enumerate(mine):
            if deadline > AS_OF:
                status, done = ("推进中" if k % 3 == 0 else "未开始"), None
            elif k in overdue:
                status, done = "推进中", None
            elif k in late:
                status, done = "已完成", min(AS_OF, workday(deadline + timedelta(days=rng.randint(15, 45))))
            else:
                status, done = "已完成", workday(deadline - timedelta(days=rng.randint(2, 30)))
            out.append(Measure(problem=problem, text=text, owner=owner, deadline=deadline, status=status,
                               done_date=done))
    return out
