"""A demo unit's organisation: departments, Party branches and people, with the staff changes of its profile."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..org.models import Department, PartyBranch, Person, Unit
from .dates import AS_OF, between, workday
from .names import NameMaker
from .profiles import Dept, UnitProfile

POSTS = {
    "公务员": ("一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员"),
    "参公事业": ("一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "一级科员", "二级科员"),
    "事业": ("高级工程师", "工程师", "工程师", "助理工程师", "技术员", "会计", "管理岗位八级", "管理岗位九级"),
    "工勤": ("驾驶员", "驾驶员", "文印员", "技术工人"),
    "编外": ("编外用工（综合文秘）", "编外用工（驾驶员）", "编外用工（窗口服务）", "编外用工（巡查员）"),
}
ENTRY_POSTS = {"公务员": "二级科员", "参公事业": "二级科员", "事业": "助理工程师"}
POLITICAL = ("中共党员", "中共预备党员", "共青团员", "群众", "民主党派")
POLITICAL_WEIGHTS = (68, 3, 8, 17, 4)
MEMBERS = ("中共党员", "中共预备党员")


def in_service(p: Person, d: date) -> bool:
    """DESIGN §4: joined by d, and still 在职 or leaving only after d."""
    return (p.joined is None or p.joined <= d) and (p.status == "在职" or p.status_date > d)


@dataclass
class Staff:
    departments: list[Department]
    branches: list[PartyBranch]
    people: list[Person]
    #: each leadership seat's holders in turn, the secretary's seat first
    seats: list[list[Person]]
    #: department id → index of the seat in charge of it (分管领导)
    in_charge: dict[int, int]
    #: people appointed department head inside the demo's periods, with the date
    promoted: list[tuple[Person, date]] = field(default_factory=list)

    def at(self, d: date, *, establishment: bool = True) -> list[Person]:
        """People in service at d; only those on the establishment (not 编外) unless told otherwise."""
        return [p for p in self.people if in_service(p, d) and not (establishment and p.category == "编外")]

    def regulars_at(self, d: date) -> list[Person]:
        """Staff in service at d who are neither leaders nor heads: the usual subjects of talks and cases."""
        return [p for p in self.at(d) if not p.is_leader and not p.is_dept_head]

    def heads_at(self, d: date) -> list[Person]:
        since = {p.pk: day for p, day in self.promoted}
        return [p for p in self.at(d) if p.is_dept_head and since.get(p.pk, date.min) <= d]

    def leader(self, seat: int, d: date) -> Person:
        holders = self.seats[seat]
        return next((p for p in holders if in_service(p, d)), holders[-1])

    def leader_of(self, p: Person, d: date) -> Person:
        """Who talks to p: the secretary for leaders and heads, else the leader in charge of p's department."""
        if p.is_leader or p.is_dept_head or p.department_id is None:
            return self.leader(0, d)
        return self.leader(self.in_charge[p.department_id], d)


class _Roster:
    """People drafted in memory, saved at the end with one bulk insert."""

    def __init__(self, unit: Unit, profile: UnitProfile, rng: random.Random):
        self.unit, self.profile, self.rng = unit, profile, rng
        self.names = NameMaker(rng)
        self.people: list[Person] = []
        self.branch_of: dict[str, str] = {}  # 工号 → branch name
        self.retired_branches = [b.name for b in profile.branches if b.kind == "退休"]
        # leaders are of the category of the unit's own office: 公务员 in a bureau, 参公事业 in the archives
        self.leader_category = profile.departments[0].category

    def add(self, *, dept: Department | None, post: str, category: str, joined: date, branch: str,
            political: str = "", gender: str = "", leader: bool = False, head: bool = False) -> Person:
        rng = self.rng
        gender = gender or ("男" if rng.random() < 0.6 else "女")
        political = political or rng.choices(POLITICAL, weights=POLITICAL_WEIGHTS)[0]
        p = Person(unit=self.unit, staff_no=f"{self.profile.prefix}{len(self.people) + 1:04d}",
                   name=self.names.make(gender), gender=gender, department=dept, post=post, is_leader=leader,
                   is_dept_head=head, category=category, status="在职", joined=joined, political_status=political)
        self.people.append(p)
        self.branch_of[p.staff_no] = branch if political in MEMBERS else ""
        return p

    def joined(self, first: int, last: int) -> date:
        return between(self.rng, date(first, 1, 1), date(last, 12, 31))

    def leave(self, p: Person, status: str, when: date) -> None:
        p.status, p.status_date = status, when
        if status == "退休" and self.branch_of[p.staff_no]:
            self.branch_of[p.staff_no] = self.rng.choice(self.retired_branches)

    def leaders(self) -> list[list[Person]]:
        seats = []
        for i, post in enumerate(self.profile.leaders):
            political = "中共党员" if "党" in post else "民主党派"
            seats.append([self.add(dept=None, post=post, category=self.leader_category, joined=self.joined(1988, 2005),
                                   branch=self.profile.branches[0].name, political=political,
                                   gender="男" if i == 0 else "", leader=True)])
        return seats

    def department(self, dept: Department, spec: Dept) -> tuple[Person, Person | None]:
        head = self.add(dept=dept, post=spec.head_post, category=spec.category, joined=self.joined(1993, 2010),
                        branch=spec.branch, political="中共党员", head=True)
        deputy = None
        if spec.size >= 5:
            deputy = self.add(dept=dept, post="副" + spec.head_post, category=spec.category,
                              joined=self.joined(1998, 2014), branch=spec.branch, political="中共党员")
        for _ in range(spec.size - 1 - (deputy is not None)):
            self.add(dept=dept, post=self.rng.choice(POSTS[spec.category]), category=spec.category,
                     joined=self.joined(1990, 2021), branch=spec.branch)
        for _ in range(spec.workers):
            self.add(dept=dept, post=self.rng.choice(POSTS["工勤"]), category="工勤", joined=self.joined(1992, 2020),
                     branch=spec.branch)
        return head, deputy

    def auxiliaries(self, depts: list[tuple[Department, Dept]]) -> None:
        for i in range(self.profile.auxiliaries):
            dept, spec = self.rng.choice(depts)
            # the first is a Party member: 编外 members count as 在职党员 but not as 在编在职人员 (DESIGN §4)
            political = "中共党员" if i == 0 else self.rng.choice(("群众", "群众", "共青团员"))
            self.add(dept=dept, post=self.rng.choice(POSTS["编外"]), category="编外", joined=self.joined(2015, 2021),
                     branch=spec.branch, political=political)

    def retirees(self, categories: list[str]) -> None:
        for i in range(self.profile.retirees):
            political = "中共党员" if self.rng.random() < 0.85 else "群众"
            p = self.add(dept=None, post="", category=self.rng.choice(categories), joined=self.joined(1972, 1990),
                         branch=self.retired_branches[i % len(self.retired_branches)], political=political)
            p.status, p.status_date = "退休", self.joined(2006, 2021)

    def candidate(self, when: date) -> Person:
        """Someone on the establishment, neither leader nor head, in service at ``when`` for a year already."""
        pool = [p for p in self.people if p.status == "在职" and not p.is_leader and not p.is_dept_head
                and p.category != "编外" and p.joined <= when - timedelta(days=365)]
        return self.rng.choice(pool)


def build_staff(unit: Unit, profile: UnitProfile, rng: random.Random) -> Staff:
    depts = Department.objects.bulk_create([Department(unit=unit, name=d.name, kind=d.kind, order=i + 1)
                                            for i, d in enumerate(profile.departments)])
    specs = list(zip(depts, profile.departments))
    roster = _Roster(unit, profile, rng)
    seats = roster.leaders()
    head_and_deputy = {dept.name: roster.department(dept, spec) for dept, spec in specs}
    roster.auxiliaries(specs)
    roster.retirees(sorted({spec.category for spec in profile.departments}))
    promoted = _apply_events(roster, profile, seats, specs, head_and_deputy)

    branches = _save_branches(unit, profile, roster)
    by_name = {b.name: b for b in branches}
    for p in roster.people:
        p.branch = by_name.get(_branch_at(profile, roster.branch_of[p.staff_no], p.status_date or AS_OF))
    Person.objects.bulk_create(roster.people)

    deputy_seats = list(range(1, len(seats))) or [0]
    in_charge = {dept.pk: deputy_seats[i % len(deputy_seats)] for i, dept in enumerate(depts)}
    return Staff(departments=depts, branches=branches, people=roster.people, seats=seats, in_charge=in_charge,
                 promoted=promoted)


def _apply_events(roster: _Roster, profile: UnitProfile, seats: list[list[Person]],
                  specs: list[tuple[Department, Dept]], head_and_deputy: dict) -> list[tuple[Person, date]]:
    ev, rng = profile.events, roster.rng
    for when in ev.retirements:
        roster.leave(roster.candidate(when), "退休", when)
    for when in ev.transfers:
        roster.leave(roster.candidate(when), "调出", when)
    for when in ev.joins:
        dept, spec = rng.choice([s for s in specs if s[1].category in ENTRY_POSTS])
        roster.add(dept=dept, post=ENTRY_POSTS[spec.category], category=spec.category, joined=when,
                   branch=spec.branch, political=rng.choice(("共青团员", "共青团员", "中共党员", "中共预备党员")))
    if ev.leader_swap:
        left, arrived = ev.leader_swap
        seat = seats[-2]
        roster.leave(seat[0], "调出", left)
        seat.append(roster.add(dept=None, post=seat[0].post, category=roster.leader_category, joined=arrived,
                               branch=profile.branches[0].name, political="中共党员", leader=True))
    promoted = []
    if ev.head_retires:
        head, deputy = head_and_deputy[rng.choice([name for name, (_, dep) in head_and_deputy.items() if dep])]
        roster.leave(head, "退休", ev.head_retires)
        deputy.is_dept_head, deputy.post = True, head.post
        promoted.append((deputy, workday(ev.head_retires + timedelta(days=26))))
    return promoted


def _branch_at(profile: UnitProfile, name: str, when: date) -> str:
    """The branch a member of ``name`` belonged to at ``when``: a dissolved branch's members moved on."""
    for b in profile.branches:
        if b.name == name and b.dissolved and b.dissolved <= when:
            return b.merged_into
    return name


def _save_branches(unit: Unit, profile: UnitProfile, roster: _Roster) -> list[PartyBranch]:
    secretaries = {}
    for p in roster.people:
        branch = roster.branch_of[p.staff_no]
        heads_it = p.is_dept_head and p.status == "在职" and branch not in roster.retired_branches
        elder = p.status == "退休" and p.status_date.year < 2022 and branch in roster.retired_branches
        if branch and (heads_it or elder):
            secretaries.setdefault(branch, p.name)
    return PartyBranch.objects.bulk_create([
        PartyBranch(unit=unit, name=b.name, kind=b.kind, secretary=secretaries.get(b.name, ""), founded=b.founded,
                    dissolved=b.dissolved)
        for b in profile.branches])
