"""The unit's basic situation at a period's end date E (DESIGN §4)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .. import choices as C
from ..assess.sources import in_service, on_establishment
from ..org.models import Department, PartyBranch, Person, Unit
from .fact import Fact
from .tally import Spec, prepared_tally

#: fact id → the key of the JSON rendering's "basic" object, in the order the report states them
BASIC_KEYS = {
    "basic.departments": "科室", "basic.subunits": "下属单位", "basic.leaders": "领导班子成员",
    "basic.staff": "在编在职人员", "basic.civil_servants": "公务员", "basic.workers": "工勤",
    "basic.managed": "参公事业", "basic.institution": "事业", "basic.branches": "党支部",
    "basic.branches_active": "在职党支部", "basic.branches_retired": "退休党支部", "basic.members": "党员",
    "basic.members_active": "在职党员", "basic.members_retired": "退休党员",
}


def retired(end: date) -> Q:
    return Q(status="退休", status_date__lte=end)


def basic_facts(unit: Unit, end: date) -> list[Fact]:
    departments, _ = prepared_tally(lambda v: Department.objects.filter(unit=v.unit), [
        Spec("basic.departments", label("basic.departments"), Q(kind="科室"), "个", choice=("kind", "科室")),
        Spec("basic.subunits", label("basic.subunits"), Q(kind="下属单位"), "个", choice=("kind", "下属单位")),
    ], unit=unit.pk)
    # one pair of queries for both
    persons, _ = prepared_tally(lambda v: Person.objects.filter(unit=v.unit),
                                lambda v: _people(v.end) + _members(v.end), unit=unit.pk, end=end)
    branches, _ = prepared_tally(lambda v: PartyBranch.objects.filter(unit=v.unit), lambda v: _branches(v.end),
                                 unit=unit.pk, end=end)
    people = len(_people(end))
    return departments + persons[:people] + branches + persons[people:]


def label(fact_id: str) -> str:
    return BASIC_KEYS[fact_id]


def _people(end: date) -> list[Spec]:
    serving, staff = in_service(end), on_establishment(end)
    return [
        Spec("basic.leaders", label("basic.leaders"), serving & Q(is_leader=True), "人"),
        Spec("basic.staff", label("basic.staff"), staff, "人"),
        *(Spec(fid, label(fid), staff & Q(category=cat), "人") for fid, cat in (
            ("basic.civil_servants", "公务员"), ("basic.workers", "工勤"), ("basic.managed", "参公事业"),
            ("basic.institution", "事业"))),
    ]


def _members(end: date) -> list[Spec]:
    member, serving = Q(political_status__in=C.PARTY_MEMBER_STATUSES), in_service(end)
    return [
        Spec("basic.members", label("basic.members"), member & (serving | retired(end)), "人"),
        Spec("basic.members_active", label("basic.members_active"), member & serving, "人"),
        Spec("basic.members_retired", label("basic.members_retired"), member & retired(end), "人"),
    ]


def _branches(end: date) -> list[Spec]:
    existing = (Q(founded__isnull=True) | Q(founded__lte=end)) & (Q(dissolved__isnull=True) | Q(dissolved__gt=end))
    return [
        Spec("basic.branches", label("basic.branches"), existing, "个"),
        Spec("basic.branches_active", label("basic.branches_active"), existing & Q(kind="在职"), "个"),
        Spec("basic.branches_retired", label("basic.branches_retired"), existing & Q(kind="退休"), "个"),
    ]
