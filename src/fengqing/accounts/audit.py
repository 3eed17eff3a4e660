"""Writing the audit log. Every path that changes records (web, import, command line) reports its changes here;
bulk paths hand over whole lists so the log costs one bulk insert, not a query per record."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry


@dataclass(frozen=True)
class Change:
    action: str  # AuditEntry.CREATE / UPDATE / DELETE
    obj: models.Model
    before: dict | None = None
    after: dict | None = None


def snapshot(obj: models.Model) -> dict:
    """The record's stored values as JSON-safe data (foreign keys as ids)."""
    data = {}
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, FieldFile):
            value = value.name  # the stored path, not the file
        data[field.attname] = value
    return data


def cli_actor() -> str:
    try:
        return f"命令行（{getpass.getuser()}）"
    except (KeyError, OSError):
        return "命令行"


def _unit_of(obj: models.Model):
    if hasattr(obj, "unit_id"):
        return obj.unit_id
    measure = getattr(obj, "measure", None)  # evidence reaches its unit through its measure's problem
    problem = getattr(obj if measure is None else measure, "problem", None)
    return problem.unit_id if problem is not None else None


def record(actor: str, via: str, changes: Iterable[Change], unit_names: dict[int, str] | None = None) -> int:
    """Append one entry per change; returns how many were written."""
    unit_names = unit_names or {}
    entries = []
    for ch in changes:
        unit_id = _unit_of(ch.obj)
        entries.append(AuditEntry(
            actor=actor, via=via, action=ch.action, model=str(ch.obj._meta.verbose_name),
            object_id=str(ch.obj.pk), unit_id=unit_id, unit_name=unit_names.get(unit_id, ""),
            before=ch.before if ch.action != AuditEntry.CREATE else None,
            after=ch.after if ch.action != AuditEntry.DELETE else None,
        ))
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)
