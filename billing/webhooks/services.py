"""Stripe's webhook events (public schema): stored once under their unique id, then applied by a
task. An event only says which object changed; its current state is read from Stripe and handed
to the feature it is about (subscriptions, a network's subscription, a connected account, a klus
paid online). This module is the dispatcher: it depends on those features, never they on it."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

import stripe
from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from billing import stripe_api
from billing.connect.services import connect_account_sync
from billing.klussen.services import klus_checkout_sync
from billing.subscriptions.services import (
    UnknownCustomer,
    checkout_session_sync,
    subscription_sync,
)
from billing.webhooks.models import StripeEvent


@shared_task(
    name="billing.tasks.process_stripe_event",
    autoretry_for=(stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError),
    retry_backoff=True,
    max_retries=8,
)
def process_stripe_event(*, event_id: str) -> None:
    """Apply a received event; a failure Stripe will not fix by retrying (an unknown object or
    customer) is kept on the event for a person to look at. (Defined next to the services
    that queue it; the name is the one queued messages carry.)"""
    try:
        stripe_event_process(event_id=event_id)
    except (stripe.InvalidRequestError, UnknownCustomer) as error:
        stripe_event_error_record(event_id=event_id, error=repr(error))


def stripe_event_record(
    *, event_id: str, event_type: str, object_id: str, created: int, account: str = ""
) -> bool:
    """Store a verified event under its unique id and queue its processing after commit.
    Returns False for a duplicate: ON CONFLICT DO NOTHING makes a concurrent second insert wait
    for the first and then do nothing, so exactly one delivery is ever processed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO billing_stripeevent"
            " (event_id, type, object_id, account, created, received_at, error)"
            " VALUES (%s, %s, %s, %s, %s, %s, '') ON CONFLICT (event_id) DO NOTHING RETURNING id",
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
    if inserted:
        transaction.on_commit(lambda: process_stripe_event.delay(event_id=event_id))
    return inserted


def stripe_event_process(*, event_id: str) -> None:
    """Apply one stored event, once. The event only says which object changed; its current
    state is read from Stripe, so events arriving out of order cannot leave an old state."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if event.processed_at is not None:
            return
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
        event.processed_at = timezone.now()
        event.error = ""
        event.save(update_fields=["processed_at", "error"])


def _checkout_session_changed(*, session_id: str, account: str) -> None:
    """A Checkout ended (paid, async payment settled or failed, expired). A subscription
    Checkout is on the platform's account; a klus paid online is on the cooperative's
    connected account, and the session's metadata says which klus."""
    session = stripe_api.retrieve_checkout_session(session_id, stripe_account=account)
    if session.get("mode") == "subscription":
        checkout_session_sync(session=session)
    elif (session.get("metadata") or {}).get("kind") == "klus":
        klus_checkout_sync(session=session, account=account)


def stripe_event_error_record(*, event_id: str, error: str) -> None:
    StripeEvent.objects.filter(event_id=event_id).update(error=error[:2000])


def _invoice_subscription_id(invoice: dict[str, Any]) -> str | None:
    # API versions from 2025 keep it under parent.subscription_details; older ones at the top.
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    found = details.get("subscription") or invoice.get("subscription")
    return str(found) if found else None
