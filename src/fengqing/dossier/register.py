"""The register of 党风廉政意见 requests: each one's state (待回复 until a person confirmed its conclusion, then
已回复) and how many days the reply took. The state is computed in the query, so a page reads only its rows."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from ..ledger.models import IntegrityOpinion
from .models import Reply

PENDING, REPLIED = "待回复", "已回复"


def register(unit, state: str = "") -> QuerySet:
    replies = Reply.objects.filter(request=OuterRef("pk"))
    qs = IntegrityOpinion.objects.filter(unit=unit).select_related("subject__department").annotate(
        replied_at=Subquery(replies.values("decided_at")[:1]),
        replied=Subquery(replies.values("conclusion")[:1]))
    if state == PENDING:
        qs = qs.filter(replied_at__isnull=True)
    elif state == REPLIED:
        qs = qs.filter(replied_at__isnull=False)
    return qs.order_by("-date", "id")


def days_taken(row) -> int | None:
    """Days from the request's date to the confirmation (the local date of it), None while pending."""
    if row.replied_at is None:
        return None
    from django.utils import timezone

    return (timezone.localtime(row.replied_at).date() - row.date).days
