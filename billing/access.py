"""What a cooperative may do, given its subscription. Billing never deletes data: the worst is
read-only, in which members still read and export, until the cooperative pays."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils import timezone

from billing.models import Subscription
from tenants.models import Cooperative

Access = Literal["full", "grace", "read_only"]

S = Subscription.Status
# No subscription yet is the cooperative's own trial; `incomplete` is a first payment still
# under way (Stripe expires it within a day), so the trial goes on meanwhile.
FULL = {S.NONE, S.TRIALING, S.ACTIVE, S.INCOMPLETE}


def cooperative_access(cooperative: Cooperative, *, now: datetime | None = None) -> Access:
    subscription = Subscription.objects.filter(cooperative=cooperative).first()
    if subscription is None or subscription.status in FULL:
        return "full"
    now = now or timezone.now()
    if subscription.status == S.PAST_DUE and (
        subscription.grace_until is None or now < subscription.grace_until
    ):
        return "grace"
    # unpaid, canceled, incomplete_expired, paused, and past_due once the grace has run out.
    return "read_only"
