"""Reads of the outbox."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from billing.outbox.models import OutboxCall


def outbox_stale_ids(*, older_than: timedelta = timedelta(minutes=2)) -> list[int]:
    """Pending calls whose own task was lost (a worker crash before it ran): the sweep
    starts them again."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxCall.objects.filter(
            status=OutboxCall.Status.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


def outbox_backlog() -> dict[str, float]:
    """What waits in the outbox, for the metrics: calls pending and failed, and the age in
    seconds of the oldest pending one (0 when none waits). Two queries on the status index."""
    counts = dict(
        OutboxCall.objects.filter(status__in=(OutboxCall.Status.PENDING, OutboxCall.Status.FAILED))
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    oldest = (
        OutboxCall.objects.filter(status=OutboxCall.Status.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    age = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
    return {
        "pending": float(counts.get(OutboxCall.Status.PENDING, 0)),
        "failed": float(counts.get(OutboxCall.Status.FAILED, 0)),
        "oldest_pending_seconds": age,
    }
