"""Reads of the stored Stripe events."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from billing.webhooks.models import StripeEvent

# An event never tried is left this long for the task queued when it came in.
NEVER_TRIED_GRACE = timedelta(minutes=2)
# An event tried before is left this long after its last try: more than the longest wait
# between two of its own retries (10 minutes), so a retry under way is not doubled.
RETRYING_GRACE = timedelta(minutes=15)


def stripe_events_left_behind() -> list[str]:
    """Events not processed whose processing is no longer under way: never started (the broker
    was down, a worker crashed) or out of retries. Events that failed for good wait for a
    person (or Stripe's redelivery) instead."""
    now = timezone.now()
    return list(
        StripeEvent.objects.filter(processed_at=None, failed_at=None)
        .filter(
            Q(attempted_at=None, received_at__lt=now - NEVER_TRIED_GRACE)
            | Q(attempted_at__lt=now - RETRYING_GRACE)
        )
        .order_by("received_at")
        .values_list("event_id", flat=True)
    )
