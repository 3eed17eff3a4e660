"""The standard facts of a 党风廉政意见 for one person and one request date (issue: the letter). Four checks,
each over the look-back window [request date − N years, request date]; records dated after the request date
are not read at all. Each check reports what it found, every finding with its records and the rules it
triggers; a check that found nothing says 未发现 for exactly what it looked at."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..ledger import models as L
from ..org.models import Person
from .common import add_months, cn_date, ref
from .file import missing_checks
from .links import Links
from .rules import Settings

HEAVY_FORMS = ("第三种形态", "第四种形态")
HANDLING_FORMS = ("第二种形态", *HEAVY_FORMS)
ADMONITION_TALKS = ("诫勉谈话",)
REMINDER_TALKS = ("提醒谈话", "谈话提醒")
SUBSTANTIATED = ("属实", "部分属实")
PROMOTIONS = ("提拔", "进一步使用")


@dataclass(frozen=True)
class Finding:
    text: str
    records: tuple[str, ...]
    rules: tuple[str, ...] = ()


@dataclass
class Check:
    code: str
    none_text: str  # what 未发现 states when nothing is found; "" for a check that states only what it finds
    findings: list[Finding] = field(default_factory=list)

    @property
    def records(self) -> list[str]:
        return [r for f in self.findings for r in f.records]


@dataclass
class PersonChecks:
    person: Person
    start: date
    end: date
    checks: list[Check]

    @property
    def triggered(self) -> set[str]:
        return {r for c in self.checks for f in c.findings for r in f.rules}


def window_start(request_date: date, years: int) -> date:
    try:
        return request_date.replace(year=request_date.year - years)
    except ValueError:  # 29 February
        return request_date.replace(year=request_date.year - years, day=28)


def pending_at(pet: L.Petition, end: date) -> bool:
    """Still being handled on ``end``: no outcome yet, or one reached only after it."""
    return pet.result in ("", "在办") or (pet.closed is not None and pet.closed > end)


def check_person(person: Person, request_date: date, settings: Settings, links: Links) -> PersonChecks:
    end, start = request_date, window_start(request_date, settings.window_years)
    in_window = lambda d: start <= d <= end  # noqa: E731
    forms = Check("forms", "未发现其受到第二至第四种形态处理")
    talks = Check("talks", "未发现其受到诫勉、提醒谈话")
    petitions = Check("petitions", "未发现反映其问题的信访举报")
    promotions = Check("promotions", "")

    admonitions: list[tuple[date, object, str]] = []  # (date, record, how recorded) of every 诫勉 before the end
    for d in L.Discipline.objects.filter(subject=person, date__lte=end).order_by("date", "id"):
        if d.form in HANDLING_FORMS:
            months = settings.influence_months(d.handling, d.form)
            until = None if months is None else add_months(d.date, months)
            running = until is None or until > end
            if not in_window(d.date) and not running:
                continue  # outside the window and its influence over: not read
            said = "影响期长期" if until is None else f"影响期至{cn_date(until)}"
            rules = ("heavy_form",) if d.form in HEAVY_FORMS and in_window(d.date) else ()
            rules += ("influence",) if running else (() if d.form in HEAVY_FORMS else ("light_form",))
            forms.findings.append(Finding(f"{cn_date(d.date)}受到{d.form}处理（{d.handling}），{said}"
                                          + ("，截至征求意见之日尚未届满" if running else ""), (ref(d),), rules))
        elif "诫勉" in d.handling or "提醒" in d.handling:
            admonitions.append((d.date, d, f"受到{d.form}处理（{d.handling}）"))
    for t in L.Talk.objects.filter(subject=person, date__lte=end, kind__in=ADMONITION_TALKS + REMINDER_TALKS)\
            .order_by("date", "id"):
        admonitions.append((t.date, t, f"受到{t.kind}"))
    for when, rec, said in sorted(admonitions, key=lambda x: x[0]):
        is_admonition = "诫勉" in said
        months = settings.influence_months("诫勉") if is_admonition else 0
        running = is_admonition and (months is None or add_months(when, months) > end)
        if not in_window(when) and not running:
            continue
        rule = "admonition" if running else "talk"
        until = f"，影响期至{cn_date(add_months(when, months))}，截至征求意见之日尚未届满" if running and months else ""
        talks.findings.append(Finding(f"{cn_date(when)}{said}{until}", (ref(rec),), (rule,)))

    linked, shared = links.of_person(person.pk)
    for pet, _state in linked:
        if pet.received > end:
            continue
        pending = pending_at(pet, end)
        number = f"（编号{pet.number}）" if pet.number else ""
        if pending:
            petitions.findings.append(Finding(f"{cn_date(pet.received)}收到反映其问题的信访举报{number}，"
                                              f"截至征求意见之日仍在办理", (ref(pet),), ("petition_pending",)))
        elif in_window(pet.closed or pet.received):
            closed = f"，{cn_date(pet.closed)}办结" if pet.closed else ""
            rules = ("petition_substantiated",) if pet.result in SUBSTANTIATED else ()
            petitions.findings.append(Finding(f"{cn_date(pet.received)}收到反映其问题的信访举报{number}"
                                              f"{closed}，办理结果为{pet.result}", (ref(pet),), rules))
    unsure = [p for p in shared if p.received <= end and (in_window(p.received) or pending_at(p, end))]
    if unsure:
        petitions.findings.append(Finding(
            f"另有{len(unsure)}件信访举报的反映对象为“{person.name}”，因本单位有同名人员，尚未确认是否反映其本人",
            tuple(ref(p) for p in unsure), ("petition_unconfirmed",)))

    for p in L.Promotion.objects.filter(subject=person, date__gte=start, date__lt=end, matter__in=PROMOTIONS)\
            .order_by("date", "id"):
        missing = missing_checks(p)
        if missing:
            promotions.findings.append(Finding(f"{cn_date(p.date)}{p.matter}时，“凡提四必”中{'、'.join(missing)}"
                                               f"未执行", (ref(p),), ("promotion_checks",)))
        else:
            promotions.findings.append(Finding(f"{cn_date(p.date)}{p.matter}时，“凡提四必”均已执行", (ref(p),)))
    return PersonChecks(person, start, end, [forms, talks, petitions, promotions])
