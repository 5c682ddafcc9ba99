"""What a cooperative may do, given its subscription. Billing never deletes data: the worst is
read-only, in which members still read and export, until the cooperative pays.

A cooperative whose subscription a network pays (billing.Sponsorship) follows the network's
subscription instead of its own while the sponsorship runs."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils import timezone

from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.subscriptions.models import Subscription
from tenants.models import Cooperative

Access = Literal["full", "grace", "read_only"]

S = Subscription.Status
# No subscription yet is the cooperative's own trial (the free pilot); `incomplete` is a first
# payment still under way (Stripe expires it within a day), so the trial goes on meanwhile.
FULL = {S.NONE, S.TRIALING, S.ACTIVE, S.INCOMPLETE}


def access_for_status(
    *, status: str, grace_until: datetime | None, now: datetime | None = None
) -> Access:
    if status in FULL:
        return "full"
    now = now or timezone.now()
    if status == S.PAST_DUE and (grace_until is None or now < grace_until):
        return "grace"
    # unpaid, canceled, incomplete_expired, paused, and past_due once the grace has run out.
    return "read_only"


def sponsorship_running(*, cooperative: Cooperative) -> Sponsorship | None:
    return (
        Sponsorship.objects.filter(cooperative=cooperative, ended_at__isnull=True)
        .select_related("network", "plan")
        .first()
    )


def cooperative_access(*, cooperative: Cooperative, now: datetime | None = None) -> Access:
    sponsorship = sponsorship_running(cooperative=cooperative)
    if sponsorship is not None:
        paid_by = NetworkSubscription.objects.filter(network_id=sponsorship.network_id).first()
        if paid_by is None:
            return "full"
        return access_for_status(status=paid_by.status, grace_until=paid_by.grace_until, now=now)
    subscription = Subscription.objects.filter(cooperative=cooperative).first()
    if subscription is None:
        return "full"
    return access_for_status(
        status=subscription.status, grace_until=subscription.grace_until, now=now
    )
