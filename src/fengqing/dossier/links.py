"""Which person a petition names. 反映对象 is free text ("办公室张三、李四"); a person of the unit whose name occurs in
it is linked automatically when no other person of the unit has that name. A shared name is left for the
discipline group to confirm; the group can also confirm, reject or correct any link (``PetitionLink``).

The text is read through the ORM and matched here, not in SQL: the ledger may store it encrypted."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from ..accounts import audit
from ..accounts.models import AuditEntry
from ..errors import DossierError
from ..ledger.models import Petition
from ..org.models import Person
from .models import PetitionLink

AUTO, CONFIRMED, SHARED, REJECTED = "自动关联", "已确认", "同名待确认", "已否定"


@dataclass(frozen=True)
class Candidate:
    person: Person
    state: str  # AUTO / CONFIRMED / SHARED / REJECTED


@dataclass
class Links:
    """Candidates by petition id. Only petitions naming someone are kept, and only as ids: a unit may hold tens
    of thousands of petitions, of which a file or a page needs a few."""

    by_petition: dict[int, list[Candidate]] = field(default_factory=dict)

    def of_person(self, person_id: int) -> tuple[list[tuple[Petition, str]], list[Petition]]:
        """(petitions linked to the person with the link's state, petitions naming a person of the same name
        that nobody has confirmed yet), oldest first."""
        states = {pid: c.state for pid, cs in self.by_petition.items() for c in cs if c.person.pk == person_id}
        petitions = Petition.objects.filter(pk__in=list(states)).order_by("received", "id")
        linked = [(p, states[p.pk]) for p in petitions if states[p.pk] in (AUTO, CONFIRMED)]
        return linked, [p for p in petitions if states[p.pk] == SHARED]


@dataclass(frozen=True)
class Names:
    """The unit's people's names (two characters or more) by length, longest first, for scanning text."""

    by_length: tuple[tuple[int, frozenset[str]], ...]

    @classmethod
    def of(cls, names) -> Names:
        names = {n for n in names if len(n) >= 2}
        return cls(tuple((k, frozenset(n for n in names if len(n) == k))
                         for k in sorted({len(n) for n in names}, reverse=True)))

    def found_in(self, text: str) -> list[str]:
        """The names occurring in the text, the longest at each place (王军华 is not also 王军), each once.
        A set lookup per place and length: a regular expression of a thousand names is far slower."""
        found, i = {}, 0
        while i < len(text):
            for k, names in self.by_length:
                if text[i:i + k] in names:
                    found[text[i:i + k]] = None
                    i += k
                    break
            else:
                i += 1
        return list(found)


def resolve(unit) -> Links:
    """Every petition of the unit with its candidate people and their state."""
    people = list(Person.objects.filter(unit=unit).only("id", "unit_id", "name", "staff_no"))
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_name[p.name].append(p)
    by_id = {p.pk: p for p in people}
    names = Names.of(by_name)
    decisions: dict[int, dict[int, bool]] = defaultdict(dict)
    # the unit's decisions are few: all of them, rather than a parameter per petition
    for pet_id, person_id, linked in PetitionLink.objects.filter(unit=unit).values_list(
            "petition_id", "person_id", "linked"):
        decisions[pet_id][person_id] = linked
    links = Links()
    # (id, text) pairs, not model instances: building 20,000 petitions would cost most of a page
    for pet_id, subject in Petition.objects.filter(unit=unit).values_list("pk", "subject"):
        decided = decisions.get(pet_id, {})
        found: dict[int, str] = {}
        for name in names.found_in(subject or ""):
            same = by_name[name]
            for p in same:
                found[p.pk] = AUTO if len(same) == 1 else SHARED
        for person_id, linked in decided.items():
            found[person_id] = CONFIRMED if linked else REJECTED
        # the group said which of the namesakes it names: the others are not in doubt any more
        settled = {by_id[i].name for i, s in found.items() if s == CONFIRMED and i in by_id}
        found = {i: REJECTED if s == SHARED and by_id[i].name in settled else s for i, s in found.items()}
        if found:
            links.by_petition[pet_id] = [Candidate(by_id[i], s) for i, s in found.items() if i in by_id]
    return links


def decide(petition: Petition, person: Person, linked: bool, actor: str, via: str) -> None:
    """Record the group's decision on a petition and a person, in the audit log too."""
    if person.unit_id != petition.unit_id:
        raise DossierError("只能关联本单位的人员")
    with transaction.atomic():
        link = PetitionLink.objects.filter(petition=petition, person=person).first()
        before = audit.snapshot(link) if link else None
        if link is None:
            link = PetitionLink(unit_id=petition.unit_id, petition=petition, person=person, linked=linked,
                                decided_by=actor)
        link.linked, link.decided_by = linked, actor
        link.save()
        action = AuditEntry.UPDATE if before else AuditEntry.CREATE
        audit.record(actor, via, [audit.Change(action, link, before, audit.snapshot(link))])
