"""The one permission layer (DESIGN §1, §7): what a user may see and change.

Every web view and download asks a ``Scope`` for its querysets and decisions; no view filters by unit or
role on its own. Sensitive records (DESIGN §2) are left out of the querysets of roles that may not see them
and are offered to those roles as counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .. import choices as C
from ..ledger import models as L
from ..org import models as O
from ..rectify import models as R
from .models import ADMIN_ROLES, Role

#: roles that see business records, and those that see sensitive ones in detail
RECORD_ROLES = (Role.CLERK, Role.LEADERSHIP, Role.DISCIPLINE, Role.SUPERVISOR)
SENSITIVE_ROLES = (Role.LEADERSHIP, Role.DISCIPLINE, Role.SUPERVISOR)

ORG_MODELS = (O.Department, O.PartyBranch, O.Person)
LEDGER_MODELS = (L.Study, L.Meeting, L.Document, L.DutyTask, L.Liaison, L.IntegrityOpinion, L.PublicExpense,
                 L.Education, L.Talk, L.Discipline, L.Promotion, L.Posting, L.RiskPoint, L.DutyReport, L.Petition)
RECTIFY_MODELS = (R.Problem, R.Measure)

#: what each role may create, change and delete (DESIGN §7 "may change")
_WRITABLE: dict[str | None, tuple[type[models.Model], ...]] = {
    Role.CLERK: (*ORG_MODELS, *(m for m in LEDGER_MODELS if m not in (L.Discipline, L.Petition))),
    Role.LEADERSHIP: RECTIFY_MODELS,
    Role.DISCIPLINE: (L.Discipline, L.Petition, L.Talk, L.IntegrityOpinion, L.Liaison, *RECTIFY_MODELS),
    Role.SUPERVISOR: (R.Problem,),
}


def sensitive_q(model: type[models.Model]) -> Q | None:
    """The rows of ``model`` that are sensitive, or None when the model has none."""
    if getattr(model, "sensitive", False):
        return Q(pk__isnull=False)
    if model is L.Talk:
        return Q(kind__in=C.SENSITIVE_TALK_KINDS)
    return None


def is_sensitive(obj: models.Model) -> bool:
    return getattr(type(obj), "sensitive", False) or getattr(obj, "is_sensitive", False)


@dataclass(frozen=True)
class Scope:
    role: str | None
    unit_ids: frozenset[int]

    @classmethod
    def of(cls, user) -> Scope:
        assignment = getattr(user, "assignment", None) if user.is_authenticated else None
        if assignment is None or assignment.suspended:
            return cls(None, frozenset())
        ids = frozenset(assignment.units.values_list("id", flat=True)) if assignment.role in RECORD_ROLES \
            else frozenset()
        return cls(assignment.role, ids)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "未分配角色"

    # -- seeing ---------------------------------------------------------------------------------------------
    @property
    def sees_records(self) -> bool:
        return self.role in RECORD_ROLES

    @property
    def sees_sensitive(self) -> bool:
        return self.role in SENSITIVE_ROLES

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def sees_reading(self) -> bool:
        """The reader's findings (copied text, 套话, measures, 纸面销号) across the units in scope: the bodies
        that judge reports, not the units that write them."""
        return self.role in (Role.SUPERVISOR, Role.DISCIPLINE)

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    def units(self) -> models.QuerySet:
        return O.Unit.objects.filter(id__in=self.unit_ids) if self.sees_records else O.Unit.objects.none()

    def has_unit(self, unit_id: int) -> bool:
        return self.sees_records and unit_id in self.unit_ids

    def may_see(self, obj: models.Model) -> bool:
        """May this user see this record in detail, sensitivity alone considered? Asked also of records not
        saved, such as the rows of a workbook."""
        return self.sees_sensitive or not is_sensitive(obj)

    def records(self, model: type[O.UnitRecord], unit_id: int | None = None) -> models.QuerySet:
        """The rows of ``model`` this user may see in detail, optionally of one unit."""
        if not self.sees_records or (unit_id is not None and unit_id not in self.unit_ids):
            return model._default_manager.none()
        ids = [unit_id] if unit_id is not None else list(self.unit_ids)
        qs = model.of_units(ids)
        hidden = sensitive_q(model)
        if hidden is not None and not self.sees_sensitive:
            qs = qs.exclude(hidden)
        return qs

    def hidden_count(self, model: type[O.UnitRecord], unit_id: int, within: Q | None = None) -> int:
        """How many sensitive rows of the unit (within ``within``) this user sees only as a count."""
        hidden = sensitive_q(model)
        if hidden is None or self.sees_sensitive or not self.has_unit(unit_id):
            return 0
        qs = model.of_unit(unit_id).filter(hidden)
        return qs.filter(within).count() if within is not None else qs.count()

    # -- changing -------------------------------------------------------------------------------------------
    def may_write(self, model: type[models.Model], unit_id: int) -> bool:
        return self.has_unit(unit_id) and model in _WRITABLE.get(self.role, ())

    def may_change(self, obj: O.UnitRecord) -> bool:
        """May this user change or delete this very record (a clerk never a sensitive talk)?"""
        return self.may_write(type(obj), obj.unit_id) and self.may_see(obj)

    def may_import(self, unit_id: int) -> bool:
        return self.has_unit(unit_id) and self.role in (Role.CLERK, Role.DISCIPLINE)

    def may_replace(self, unit_id: int) -> bool:
        """Import with replacement, which deletes rows the workbook lacks, sensitive ones included."""
        return self.may_import(unit_id) and self.sees_sensitive

    def may_export(self, unit_id: int) -> bool:
        # the export holds every record, sensitive ones included
        return self.has_unit(unit_id) and self.sees_sensitive

    def may_edit_narrative(self, unit_id: int) -> bool:
        return self.has_unit(unit_id) and self.role == Role.LEADERSHIP

    def may_sign_off(self, unit_id: int) -> bool:
        """Sign off the unit's report for a period, or withdraw the sign-off."""
        return self.has_unit(unit_id) and self.role == Role.LEADERSHIP

    def may_submit(self, unit_id: int) -> bool:
        """Submit the unit's report to the supervisor (报送): its signed version or an uploaded file."""
        return self.has_unit(unit_id) and self.role == Role.LEADERSHIP

    def may_send_back(self, unit_id: int) -> bool:
        """Send a unit's submitted report back with a comment (退回)."""
        return self.has_unit(unit_id) and self.role == Role.SUPERVISOR

    @property
    def sees_submissions(self) -> bool:
        """The list of every unit in scope with its submission state, the deadline and the .zip of reports."""
        return self.role == Role.SUPERVISOR

    def may_see_dossier(self, unit_id: int) -> bool:
        """Open a person's 廉政档案 and read the 党风廉政意见 register and letters: sensitive records in detail."""
        return self.has_unit(unit_id) and self.sees_sensitive

    def may_reply_opinion(self, unit_id: int) -> bool:
        """Confirm a 党风廉政意见 conclusion, change the rules, confirm or correct a petition's person."""
        return self.has_unit(unit_id) and self.role == Role.DISCIPLINE

    def may_accept_suggestions(self, unit_id: int) -> bool:
        return self.may_write(R.Problem, unit_id) and self.may_write(R.Measure, unit_id)
