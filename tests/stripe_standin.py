"""The Stripe stand-in (billing.standin) for tests, plus signed webhook events: events in
Stripe's own shape, signed with the stripe library's own signing code."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from django.conf import settings
from django.db import transaction

from billing.standin import KINDS, StripeStandin, resources, running_standin
from billing.subscriptions import services

__all__ = [
    "StripeStandin",
    "event_body",
    "post_event",
    "running_standin",
    "signature",
    "stripe_standin",
    "subscribed",
]

# A subscription period at the stand-in (subscribed): 30 days from 2026-09-22.
START = 1_790_000_000
END = START + 30 * 86400
SECRET = "whsec_standin_secret"
CONNECT_SECRET = "whsec_standin_connect_secret"


@pytest.fixture
def stripe_standin(settings: Any) -> Iterator[StripeStandin]:
    """A running stand-in with the platform's Stripe settings pointed at it."""
    with running_standin() as standin:
        settings.STRIPE_API_BASE = standin.base
        settings.STRIPE_SECRET_KEY = "sk_test_standin"
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
        yield standin


def event_body(
    standin: StripeStandin, *, event_id: str, event_type: str, kind: str, obj_id: str,
    created: int | None = None, snapshot: dict[str, Any] | None = None, account: str = "",
) -> str:  # fmt: skip
    """A webhook event in Stripe's own shape, its data.object a snapshot of the stand-in's
    object at sending time (with `snapshot` written over it: an old state, say). `account`
    makes it an event of a connected account."""
    event = copy.deepcopy(resources()["event"])
    obj = standin.object(kind, obj_id) or {"id": obj_id, "object": KINDS[kind][1]}
    event.update(id=event_id, type=event_type, created=created or int(time.time()))
    event["data"] = {"object": {**obj, **(snapshot or {})}}
    if account:
        event["account"] = account
    return json.dumps(event)


def signature(body: str, secret: str, *, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, signed with the stripe library's own code."""
    timestamp = timestamp or int(time.time())
    signed = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return f"t={timestamp},v1={signed}"


def post_event(client: Any, body: str, *, secret: str = SECRET) -> Any:
    """Post a signed event to the real webhook endpoint on the apex domain."""
    return client.post(
        "/api/v1/billing/stripe/webhook/",
        data=body,
        content_type="application/json",
        HTTP_HOST=settings.PLATFORM_DOMAIN,
        HTTP_STRIPE_SIGNATURE=signature(body, secret),
    )


def subscribed(coop: Any, standin: StripeStandin, *, sub_id: str, status: str, plan: str) -> Any:
    """The cooperative's Stripe subscription to ``plan`` (its code) in ``status`` exists at the
    stand-in and here, for the period START-END."""
    subscription = services.stripe_customer_ensure(cooperative=coop.cooperative)
    standin.subscription(sub_id, customer=subscription.stripe_customer_id, status=status,
                         price=f"price_{plan}", period_start=START, period_end=END)  # fmt: skip
    with transaction.atomic():
        return services.subscription_sync(stripe_subscription_id=sub_id)
