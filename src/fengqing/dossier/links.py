"""Which person a petition names. 反映对象 is free text ("办公室张三、李四"); a person of the unit whose name occurs in
it is linked automatically when no other person of the unit has that name. A shared name is left for the
discipline group to confirm; the group can also confirm, reject or correct any link (``PetitionLink``).

The text is read through the ORM and matched here, not in SQL: the ledger may store it encrypted."""

from __future__ import annotations

import re
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
    by_petition: dict[int, list[Candidate]] = field(default_factory=dict)
    petitions: dict[int, Petition] = field(default_factory=dict)

    def of_person(self, person_id: int) -> tuple[list[tuple[Petition, str]], list[Petition]]:
        """(petitions linked to the person with the link's state, petitions naming a person of the same name
        that nobody has confirmed yet)."""
        linked, shared = [], []
        for pid, candidates in self.by_petition.items():
            for c in candidates:
                if c.person.pk == person_id and c.state in (AUTO, CONFIRMED):
                    linked.append((self.petitions[pid], c.state))
                elif c.person.pk == person_id and c.state == SHARED:
                    shared.append(self.petitions[pid])
        key = lambda p: (p.received, p.pk)  # noqa: E731
        return sorted(linked, key=lambda x: key(x[0])), sorted(shared, key=key)


def names_in(text: str, pattern: re.Pattern | None) -> list[str]:
    """The people's names occurring in the text, the longest at each place (王军华 is not also 王军)."""
    return list(dict.fromkeys(m.group() for m in pattern.finditer(text))) if pattern and text else []


def name_pattern(names) -> re.Pattern | None:
    names = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))) if names else None


def resolve(unit, petitions=None) -> Links:
    """Every petition of the unit (or those given) with its candidate people and their state."""
    people = list(Person.objects.filter(unit=unit).select_related("department"))
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_name[p.name].append(p)
    by_id = {p.pk: p for p in people}
    pattern = name_pattern(by_name)
    petitions = list(Petition.objects.filter(unit=unit) if petitions is None else petitions)
    decisions: dict[int, dict[int, bool]] = defaultdict(dict)
    for pet_id, person_id, linked in PetitionLink.objects.filter(
            petition__in=[p.pk for p in petitions]).values_list("petition_id", "person_id", "linked"):
        decisions[pet_id][person_id] = linked
    links = Links()
    for pet in petitions:
        decided = decisions.get(pet.pk, {})
        found: dict[int, str] = {}
        for name in names_in(pet.subject, pattern):
            same = by_name[name]
            for p in same:
                found[p.pk] = AUTO if len(same) == 1 else SHARED
        for person_id, linked in decided.items():
            found[person_id] = CONFIRMED if linked else REJECTED
        if CONFIRMED in found.values():  # the group said whom it names: the namesakes are not in doubt any more
            found = {i: REJECTED if s == SHARED else s for i, s in found.items()}
        links.petitions[pet.pk] = pet
        links.by_petition[pet.pk] = [Candidate(by_id[i], s) for i, s in found.items() if i in by_id]
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
