"""Small helpers for model declarations shared by the apps, and the test for a busy database."""

from __future__ import annotations

from django.db import OperationalError, models
from django.db.models import Q


def is_busy(exc: BaseException | None) -> bool:
    """Whether a database error is a lock wait given up: SQLite's "database is locked", PostgreSQL's
    lock_timeout or NOWAIT (SQLSTATE 55P03)."""
    if not isinstance(exc, OperationalError):
        return False
    return "database is locked" in str(exc) or getattr(exc.__cause__, "sqlstate", "") == "55P03"


def enum_field(values: tuple[str, ...], verbose: str, blank: bool = False) -> models.CharField:
    """A CharField holding one of ``values`` (or empty when ``blank``)."""
    extra = {"blank": True, "default": ""} if blank else {}
    return models.CharField(verbose, max_length=16, choices=[(v, v) for v in values], **extra)


def in_choices(table: str, field: str, values: tuple[str, ...], blank: bool = False) -> models.CheckConstraint:
    """A database CHECK that keeps an enumeration column within its values (choices alone are not enforced)."""
    allowed = list(values) + ([""] if blank else [])
    return models.CheckConstraint(condition=Q(**{f"{field}__in": allowed}), name=f"{table}_{field}_valid")


def non_negative(table: str, *fields: str) -> list[models.CheckConstraint]:
    return [models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}), name=f"{table}_{f}_non_negative")
            for f in fields]


def unique_per_unit(table: str, *fields: str, condition: Q | None = None) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["unit", *fields], name=f"{table}_unique_key", condition=condition)


def by_unit(table: str, field: str) -> models.Index:
    """(unit, field, id): the order in which a unit's register pages and its assessment read the rows, so a
    page or a period of one unit is a range of this index however large the table grows."""
    return models.Index(fields=["unit", field, "id"], name=f"{table.split('_', 1)[1]}_unit_{field}")
