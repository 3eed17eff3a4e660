"""The 廉政档案 of one person: identity and service, then every record naming them, by year (DESIGN §2 terms):
talks, the four forms, petitions (linked by name, see :mod:`.links`), promotions and their four checks, duty
reports and their vote shares, postings, earlier 党风廉政意见 and their conclusions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from ..ledger import models as L
from ..org.models import Person
from ..report.document import Document, Heading, Paragraph, Table, Title
from ..report.runs import Run
from .common import cn_date, cn_number, percent, ref
from .links import Links, resolve
from .models import Reply

FOUR_CHECKS = (("file_reviewed", "档案必审"), ("matters_verified", "个人事项必核"), ("opinion_heard", "纪检意见必听"),
               ("petitions_checked", "信访举报必查"))


@dataclass(frozen=True)
class Entry:
    date: date
    kind: str  # 谈话 / 四种形态 / 信访举报 / 干部选任 / 述责述廉 / 挂职 / 廉政意见
    text: str
    records: tuple[str, ...]

    def as_dict(self) -> dict:
        return {"date": self.date.isoformat(), "kind": self.kind, "text": self.text, "records": list(self.records)}


@dataclass
class PersonFile:
    person: Person
    identity: list[tuple[str, str]]
    entries: list[Entry]  # newest first
    shared: list[L.Petition] = field(default_factory=list)  # same-name petitions not yet confirmed

    def years(self) -> list[tuple[int, list[Entry]]]:
        return [(y, list(es)) for y, es in groupby(self.entries, key=lambda e: e.date.year)]


def missing_checks(p: L.Promotion) -> list[str]:
    return [label for attr, label in FOUR_CHECKS if not getattr(p, attr)]


def identity_of(p: Person) -> list[tuple[str, str]]:
    branch = p.branch.name if p.branch_id else ""
    roles = "、".join(r for r, on in (("班子成员", p.is_leader), ("机构负责人", p.is_dept_head)) if on)
    status = p.status + (f"（{cn_date(p.status_date)}）" if p.status_date and p.status != "在职" else "")
    rows = [("姓名", p.name), ("工号", p.staff_no), ("性别", p.gender), ("单位", p.unit.name),
            ("所在机构", p.department.name if p.department_id else ""), ("职务", p.post), ("身份", roles),
            ("人员类别", p.category), ("政治面貌", p.political_status), ("所在党支部", branch),
            ("入职日期", cn_date(p.joined) if p.joined else ""), ("状态", status)]
    return [(k, v) for k, v in rows if v]


def build_file(person: Person, links: Links | None = None) -> PersonFile:
    """Everything on record about the person; ``links``: the unit's petition links when already resolved."""
    person = Person.objects.select_related("unit", "department", "branch").get(pk=person.pk)
    entries: list[Entry] = []
    for t in L.Talk.objects.filter(subject=person):
        detail = "；".join(x for x in (f"谈话人：{t.talker}" if t.talker else "", f"事由：{t.reason}" if t.reason else "")
                          if x)
        entries.append(Entry(t.date, "谈话", t.kind + (f"（{detail}）" if detail else ""), (ref(t),)))
    for d in L.Discipline.objects.filter(subject=person):
        source = f"（线索来源：{d.source}）" if d.source else ""
        entries.append(Entry(d.date, "四种形态", f"{d.form}：{d.handling}{source}", (ref(d),)))
    for p in L.Promotion.objects.filter(subject=person):
        missing = missing_checks(p)
        checks = "“凡提四必”均已执行" if not missing else f"“凡提四必”未执行：{'、'.join(missing)}"
        entries.append(Entry(p.date, "干部选任", f"{p.matter}（{checks}）", (ref(p),)))
    for r in L.DutyReport.objects.filter(reporter=person):
        votes = r.good + r.fairly_good + r.average + r.poor
        share = f"，好和较好占{percent(r.good + r.fairly_good, votes)}" if votes else ""
        text = (f"述责述廉{'（现场述责）' if r.on_site else ''}；民主测评好{r.good}票、较好{r.fairly_good}票、"
                f"一般{r.average}票、差{r.poor}票{share}")
        entries.append(Entry(r.date, "述责述廉", text, (ref(r),)))
    for g in L.Posting.objects.filter(subject=person):
        until = f"至{cn_date(g.end)}" if g.end else "起"
        entries.append(Entry(g.start, "挂职", f"在{g.host}挂职（{cn_date(g.start)}{until}）", (ref(g),)))
    replies = {r.request_id: r for r in Reply.objects.filter(request__subject=person)}
    for o in L.IntegrityOpinion.objects.filter(subject=person):
        reply = replies.get(o.pk)
        if reply:
            text = f"{o.matter}，回复结论{reply.conclusion}（{cn_date(reply.decided_at.date())}确认）"
            records = (ref(o), ref(reply))
        else:
            text, records = f"{o.matter}，台账记载结论{o.conclusion}", (ref(o),)
        entries.append(Entry(o.date, "党风廉政意见", text, records))
    links = links if links is not None else resolve(person.unit)
    linked, shared = links.of_person(person.pk)
    for pet, state in linked:
        entries.append(Entry(pet.received, "信访举报", petition_text(pet) + f"（{state}）", (ref(pet),)))
    entries.sort(key=lambda e: (e.date, e.kind), reverse=True)
    return PersonFile(person, identity_of(person), entries, shared)


def petition_text(pet: L.Petition) -> str:
    parts = [f"编号{pet.number}" if pet.number else "", f"问题类别：{pet.category}" if pet.category else "",
             f"办理结果：{pet.result or '未填写'}", f"办结日期：{cn_date(pet.closed)}" if pet.closed else ""]
    return "信访举报，" + "；".join(x for x in parts if x)


def file_document(f: PersonFile) -> Document:
    """The file as a document of the report's model: 一、基本情况 (a table), 二、廉政记录 by year (a table per
    year), 三、待确认的信访举报 when a same-name petition awaits the group."""
    p = f.person
    basic = Heading(1, [Run("一、", "label"), Run("基本情况")],
                    children=[Table(["项目", "内容"], [[[Run(k)], [Run(v)]] for k, v in f.identity])])
    years = [Heading(2, [Run(f"（{cn_number(i)}）", "label"), Run(f"{y}年")],
                     children=[Table(["日期", "类别", "情况"],
                                     [[[Run(cn_date(e.date), "date")], [Run(e.kind)], [Run(e.text)]] for e in es])])
             for i, (y, es) in enumerate(f.years(), 1)]
    records = Heading(1, [Run("二、", "label"), Run("廉政记录")],
                      children=years or [Paragraph([Run("台账中没有涉及本人的谈话、四种形态、信访举报、干部选任、"
                                                        "述责述廉、挂职和党风廉政意见记录。")])])
    blocks = [basic, records]
    if f.shared:
        rows = [[[Run(cn_date(x.received), "date")], [Run(x.number or "—")], [Run(x.subject)],
                 [Run(x.result or "未填写")]] for x in f.shared]
        blocks.append(Heading(1, [Run("三、", "label"), Run("待确认的信访举报")], children=[
            Paragraph([Run(f"以下信访举报的反映对象含“{p.name}”，本单位有同名人员，须由纪检监察组确认是否反映本人，"
                           "确认前不计入本档案。")]),
            Table(["收件日期", "编号", "反映对象", "办理结果"], rows)]))
    return Document(unit=p.unit.name, period="", title=Title([Run(f"{p.name}同志廉政档案")]), blocks=blocks,
                    facts=[], basic={})


def file_json(f: PersonFile) -> dict:
    return {"person": dict(f.identity), "years": [{"year": y, "entries": [e.as_dict() for e in es]}
                                                  for y, es in f.years()],
            "unconfirmed_petitions": [ref(x) for x in f.shared]}
