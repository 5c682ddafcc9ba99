"""Stripe's webhook events (public schema): stored once under their unique id, then applied by a
task. An event only says which object changed; its current state is read from Stripe and handed
to the feature it is about (subscriptions, a network's subscription, a connected account, a klus
paid online). This module is the dispatcher: it depends on those features, never they on it.

No event is lost: the webhook stores the event and answers 2xx whatever happens next. Processing
is a Celery task started after commit and retried with back-off while Stripe (or the broker) is
away; a redelivery of an event not yet processed starts it again, and the sweep
(``billing.tasks.sweep_stripe_events``, every five minutes) starts any left behind, for instance
when the broker was down as the event came in. Processing locks the event's row and skips a
processed one, so however often it is started, an event has one effect."""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

import stripe
from celery import shared_task
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from billing import stripe_api
from billing.connect.services import connect_account_sync
from billing.klussen.services import klus_checkout_sync
from billing.outbox.services import RETRIABLE
from billing.subscriptions.services import (
    UnknownCustomer,
    checkout_session_sync,
    subscription_sync,
)
from billing.webhooks.models import StripeEvent
from billing.webhooks.selectors import stripe_events_left_behind

logger = logging.getLogger(__name__)

# Failures that retrying will not fix: Stripe does not know the object, or no cooperative has
# the customer. Kept on the event for a person; a redelivery by Stripe still tries again.
PERMANENT = (stripe.InvalidRequestError, UnknownCustomer)


@shared_task(
    name="billing.tasks.process_stripe_event",
    autoretry_for=RETRIABLE,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=10,
)
def process_stripe_event(*, event_id: str) -> None:
    """Apply a received event, retried with back-off (5 s doubling to 10 minutes) while Stripe
    is away; after the last retry the sweep takes over. (Defined next to the services that
    queue it; the name is the one queued messages carry.)"""
    try:
        stripe_event_process(event_id=event_id)
    except PERMANENT as error:
        stripe_event_failure_record(event_id=event_id, error=repr(error), permanent=True)
    except RETRIABLE as error:
        stripe_event_failure_record(event_id=event_id, error=repr(error), permanent=False)
        raise


def stripe_event_record(
    *, event_id: str, event_type: str, object_id: str, created: int, account: str = ""
) -> bool:
    """Store a verified event under its unique id and start its processing after commit.
    Returns False for a duplicate: ON CONFLICT DO NOTHING makes a concurrent second insert wait
    for the first and then do nothing. A duplicate of an event not yet processed (its first
    processing failed, or never started) starts processing again; a processed one is left."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO billing_stripeevent (event_id, type, object_id, account, created,"
            " received_at, error, attempts) VALUES (%s, %s, %s, %s, %s, %s, '', 0)"
            " ON CONFLICT (event_id) DO NOTHING RETURNING id",
            [
                event_id,
                event_type,
                object_id,
                account,
                datetime.fromtimestamp(created, tz=dt_timezone.utc),
                timezone.now(),
            ],
        )
        inserted = cursor.fetchone() is not None
    if inserted or StripeEvent.objects.filter(event_id=event_id, processed_at=None).exists():
        transaction.on_commit(lambda: stripe_event_process_soon(event_id=event_id))
    return inserted


def stripe_event_process_soon(*, event_id: str) -> bool:
    """Queue the event's processing; never raises. The event is stored, so when the broker is
    down (or, without a broker, processing inline fails after its retries) the webhook still
    answers 2xx and the sweep starts the event later. Returns whether it was queued."""
    try:
        process_stripe_event.delay(event_id=event_id)
    except Exception:
        logger.warning("Stripe event %s not processed now; the sweep retries it", event_id,
                       exc_info=True)  # fmt: skip
        return False
    return True


def stripe_event_process(*, event_id: str) -> None:
    """Apply one stored event, once. The event only says which object changed; its current
    state is read from Stripe, so events arriving out of order cannot leave an old state."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if event.processed_at is not None:
            return
        event.attempts += 1
        event.attempted_at = timezone.now()
        if event.type.startswith("customer.subscription."):
            subscription_sync(stripe_subscription_id=event.object_id)
        elif event.type.startswith("invoice."):
            invoice = stripe_api.retrieve_invoice(event.object_id)
            subscription_id = _invoice_subscription_id(invoice)
            if subscription_id:
                subscription_sync(stripe_subscription_id=subscription_id)
        elif event.type.startswith("checkout.session."):
            _checkout_session_changed(session_id=event.object_id, account=event.account)
        elif event.type == "account.updated":
            connect_account_sync(account=stripe_api.retrieve_account(event.object_id))
        event.processed_at = event.attempted_at
        event.error = ""
        event.failed_at = None
        event.save(update_fields=["processed_at", "error", "failed_at", "attempts", "attempted_at"])


def _checkout_session_changed(*, session_id: str, account: str) -> None:
    """A Checkout ended (paid, async payment settled or failed, expired). A subscription
    Checkout is on the platform's account; a klus paid online is on the cooperative's
    connected account, and the session's metadata says which klus."""
    session = stripe_api.retrieve_checkout_session(session_id, stripe_account=account)
    if session.get("mode") == "subscription":
        checkout_session_sync(session=session)
    elif (session.get("metadata") or {}).get("kind") == "klus":
        klus_checkout_sync(session=session, account=account)


def stripe_event_failure_record(*, event_id: str, error: str, permanent: bool) -> None:
    """Keep a failed try on the event (its own transaction was rolled back): the error for a
    person, the count and time for the sweep; ``permanent`` marks one retrying will not fix."""
    now = timezone.now()
    StripeEvent.objects.filter(event_id=event_id, processed_at=None).update(
        error=error[:2000],
        attempts=F("attempts") + 1,
        attempted_at=now,
        failed_at=now if permanent else None,
    )


def stripe_events_sweep() -> int:
    """Start again every event left behind (see ``selectors.stripe_events_left_behind``).
    Returns how many were queued."""
    return sum(stripe_event_process_soon(event_id=e) for e in stripe_events_left_behind())


def _invoice_subscription_id(invoice: dict[str, Any]) -> str | None:
    # API versions from 2025 keep it under parent.subscription_details; older ones at the top.
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = details.get("subscription") or invoice.get("subscription")
    return str(found) if found else None
