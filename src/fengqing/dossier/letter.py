"""The 党风廉政意见回复: for a request (a 廉政意见 record) and the others of its batch (same unit, date and
matter), each person's checks (:mod:`.checks`), the rules' proposal, the conclusion a person confirmed, and the
letter as a document of the report's model (GB/T 9704: title, 主送, one paragraph per person, 落款, 成文日期)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from .. import choices as C
from ..accounts import audit
from ..accounts.models import AuditEntry
from ..errors import DossierError
from ..ledger.models import IntegrityOpinion
from ..org.models import Unit
from ..report.document import Closing, Document, Paragraph, Title
from ..report.naming import unit_names
from ..report.runs import Run
from .checks import PersonChecks, check_person
from .common import cn_date, ref
from .links import resolve
from .models import Reply
from .rules import RULES_BY_CODE, Settings, settings_for

MATTER_WORDS = {"干部选拔任用": "提拔任用", "人员选调": "选调", "评先评优": "评先评优", "其他": "有关事项"}
CONCLUSION_WORDS = {"同意": "同意其{}", "暂缓": "建议暂缓其{}", "不同意": "不同意其{}"}


@dataclass
class Opinion:
    """One person of the batch."""

    request: IntegrityOpinion
    checks: PersonChecks
    proposed: str
    reply: Reply | None

    @property
    def conclusion(self) -> str:
        return self.reply.conclusion if self.reply else self.proposed

    @property
    def person(self):
        return self.request.subject


@dataclass
class Batch:
    unit: Unit
    date: date
    matter: str
    settings: Settings
    opinions: list[Opinion]

    @property
    def request_ids(self) -> list[int]:
        return [o.request.pk for o in self.opinions]

    @property
    def title(self) -> str:
        first = self.opinions[0].person.name
        many = f"等{len(self.opinions)}名" if len(self.opinions) > 1 else ""
        return f"关于{first}{many}同志党风廉政意见的回复"


def find_request(unit: Unit, request_id) -> IntegrityOpinion:
    try:
        return IntegrityOpinion.objects.select_related("subject").get(unit=unit, pk=int(request_id))
    except (ValueError, TypeError, IntegrityOpinion.DoesNotExist):
        raise DossierError(f"{unit.short_name}没有编号为“{request_id}”的廉政意见记录") from None


def draft(unit: Unit, request_id) -> Batch:
    """The batch of the request with every person's checks and proposal."""
    request = find_request(unit, request_id)
    requests = list(IntegrityOpinion.objects.filter(unit=unit, date=request.date, matter=request.matter)
                    .select_related("subject__department").order_by("id"))
    settings = settings_for(unit)
    links = resolve(unit)
    replies = {r.request_id: r for r in Reply.objects.filter(request__in=requests)}
    opinions = []
    for r in requests:
        checks = check_person(r.subject, r.date, settings, links)
        opinions.append(Opinion(r, checks, settings.propose(checks.triggered), replies.get(r.pk)))
    return Batch(unit, request.date, request.matter, settings, opinions)


def confirm(unit: Unit, request_id, conclusion: str, reason: str, actor: str, via: str) -> Reply:
    """A person's conclusion for one request; a conclusion other than the rules' proposal needs a reason. The
    ledger's 廉政意见 record takes the confirmed conclusion, so the report counts what was replied."""
    reason = (reason or "").strip()
    if conclusion not in C.OPINION_CONCLUSION:
        raise DossierError(f"结论应为同意、暂缓或不同意，而不是“{conclusion}”")
    if len(reason) > 500:
        raise DossierError("理由不超过500字")
    batch = draft(unit, request_id)
    opinion = next(o for o in batch.opinions if o.request.pk == int(request_id))
    if conclusion != opinion.proposed and not reason:
        raise DossierError(f"规则建议“{opinion.proposed}”，改为“{conclusion}”须填写理由")
    with transaction.atomic():
        reply = opinion.reply or Reply(unit=unit, request=opinion.request)
        before = audit.snapshot(reply) if reply.pk else None
        reply.proposed, reply.conclusion, reply.reason = opinion.proposed, conclusion, reason
        reply.decided_by, reply.decided_at = actor, timezone.now()
        reply.save()
        changes = [audit.Change(AuditEntry.UPDATE if before else AuditEntry.CREATE, reply, before,
                                audit.snapshot(reply))]
        record = opinion.request
        if record.conclusion != conclusion:
            old = audit.snapshot(record)
            record.conclusion = conclusion
            record.save(update_fields=["conclusion"])
            changes.append(audit.Change(AuditEntry.UPDATE, record, old, audit.snapshot(record)))
        audit.record(actor, via, changes, {unit.pk: unit.name})
    return reply


def _describe(person) -> str:
    where = "".join(x for x in (person.department.name if person.department_id else "", person.post) if x)
    return f"（{where}）" if where else ""


def letter_document(batch: Batch, letter_date: date) -> tuple[Document, list[dict]]:
    """The letter, and per person what the JSON lists beside it."""
    unit = batch.unit
    end, start = batch.date, batch.opinions[0].checks.start
    many = len(batch.opinions) > 1
    names = "、".join(o.person.name for o in batch.opinions)
    blocks: list = [
        Paragraph([Run(f"{unit.party_org_name}：")], indent=False),
        Paragraph([Run(f"你单位{cn_date(end)}就{batch.matter}征求"), Run(names, "name"),
                   Run(f"同志党风廉政意见。我组查阅了{'上述同志' if many else '该同志'}"),
                   Run(cn_date(start), "date"), Run("至"), Run(cn_date(end), "date"),
                   Run("期间受到四种形态处理、诫勉和提醒谈话、被信访举报反映以及干部选任的记录（此后的记录不在"
                       "查阅范围内），现回复如下：")]),
    ]
    facts, persons = [], []
    for i, o in enumerate(batch.opinions, 1):
        runs = [Run(f"{i}．", "label")] if many else []
        runs += [Run(o.person.name, "name"), Run(f"同志{_describe(o.person)}：经查，")]
        clauses = []
        for check in o.checks.checks:
            if not check.findings and not check.none_text:
                continue
            fid = f"{i}.{check.code}"
            text = "；".join(f.text for f in check.findings) or check.none_text
            facts.append({"id": fid, "text": text, "value": len(check.findings), "records": check.records,
                          "window": [start.isoformat(), end.isoformat()]})
            clauses.append(Run(text, "fact", fid))
        for j, clause in enumerate(clauses):
            runs += [clause, Run("；" if j < len(clauses) - 1 else "。")]
        triggered = sorted(o.checks.triggered, key=list(RULES_BY_CODE).index)
        cid = f"{i}.conclusion"
        word = CONCLUSION_WORDS[o.conclusion].format(MATTER_WORDS.get(batch.matter, batch.matter))
        basis = [r for c in o.checks.checks for f in c.findings if set(f.rules) & set(triggered) for r in f.records]
        facts.append({"id": cid, "text": word, "value": o.conclusion, "records": basis
                      + ([ref(o.reply)] if o.reply else [])})
        runs += [Run("综上，"), Run(word, "fact", cid), Run("。")]
        blocks.append(Paragraph(runs))
        persons.append({
            "request": o.request.pk, "name": o.person.name, "staff_no": o.person.staff_no,
            "proposed": o.proposed, "conclusion": o.conclusion, "confirmed": o.reply is not None,
            "reason": o.reply.reason if o.reply else "", "decided_by": o.reply.decided_by if o.reply else "",
            "decided_at": o.reply.decided_at.isoformat() if o.reply else None,
            "rules": [{"code": c, "text": RULES_BY_CODE[c].text, "conclusion": batch.settings.conclusions[c]}
                      for c in triggered],
            "checks": [{"code": c.code, "statement": None if c.findings else (c.none_text or None),
                        "found": [{"text": f.text, "records": list(f.records), "rules": list(f.rules)}
                                  for f in c.findings]} for c in o.checks.checks],
        })
    blocks += [Paragraph([Run("特此函复。")]),
               Closing(unit_names(unit).discipline_group, cn_date(letter_date))]
    doc = Document(unit=unit.name, period=end.isoformat(), title=Title([Run(batch.title)]), blocks=blocks,
                   facts=facts, basic={})
    return doc, persons
