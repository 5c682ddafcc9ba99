"""Reads of the outbox."""

from __future__ import annotations

from datetime import timedelta

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
