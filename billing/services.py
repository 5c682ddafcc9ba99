"""Billing services (public schema): Stripe customers, received webhook events, and bringing a
cooperative's Subscription in line with what Stripe says now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import stripe_api
from billing.models import Plan, StripeEvent, Subscription
from shared.audit.services import audit_record
from tenants.models import Cooperative

GRACE = timedelta(days=7)


class UnknownCustomer(Exception):
    """A Stripe customer that maps to no cooperative (not ours, or its schema is gone)."""


def ensure_stripe_customer(*, cooperative: Cooperative) -> Subscription:
    """The cooperative's one Stripe customer, created once. The idempotency key is the schema,
    so a retry after a crash between Stripe's write and ours gets the same customer back."""
    existing = Subscription.objects.filter(cooperative=cooperative).first()
    if existing is not None:
        return existing
    customer = stripe_api.create_customer(
        schema=cooperative.schema_name,
        name=cooperative.name,
        idempotency_key=f"customer-{cooperative.schema_name}",
    )
    return Subscription.objects.create(cooperative=cooperative, stripe_customer_id=customer["id"])


def record_stripe_event(
    *, event_id: str, event_type: str, object_id: str, created: int, account: str = ""
) -> bool:
    """Store a verified event under its unique id and queue its processing after commit.
    Returns False for a duplicate: ON CONFLICT DO NOTHING makes a concurrent second insert wait
    for the first and then do nothing, so exactly one delivery is ever processed."""
    from billing.tasks import process_stripe_event

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
                datetime.fromtimestamp(created, tz=UTC),
                timezone.now(),
            ],
        )
        inserted = cursor.fetchone() is not None
    if inserted:
        transaction.on_commit(lambda: process_stripe_event.delay(event_id=event_id))
    return inserted


def process_event(*, event_id: str) -> None:
    """Apply one stored event, once. The event only says which object changed; its current
    state is read from Stripe, so events arriving out of order cannot leave an old state."""
    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if event.processed_at is not None:
            return
        if event.type.startswith("customer.subscription."):
            sync_subscription(stripe_subscription_id=event.object_id)
        elif event.type.startswith("invoice."):
            invoice = stripe_api.retrieve_invoice(event.object_id)
            subscription_id = _invoice_subscription_id(invoice)
            if subscription_id:
                sync_subscription(stripe_subscription_id=subscription_id)
        elif event.type.startswith("checkout.session."):
            _checkout_session_changed(session_id=event.object_id, account=event.account)
        elif event.type == "account.updated":
            from billing.connect import connect_account_sync

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
        from billing.subscribe import checkout_session_sync

        checkout_session_sync(session=session)
    elif (session.get("metadata") or {}).get("kind") == "klus":
        from billing.klussen.online import klus_checkout_sync

        klus_checkout_sync(session=session, account=account)


def record_processing_error(*, event_id: str, error: str) -> None:
    StripeEvent.objects.filter(event_id=event_id).update(error=error[:2000])


def sync_subscription(*, stripe_subscription_id: str) -> Subscription:
    """Copy Stripe's current subscription onto the cooperative's Subscription. Saves only when
    something differs, so syncing twice changes nothing more."""
    remote = stripe_api.retrieve_subscription(stripe_subscription_id)
    subscription = _subscription_for_customer(remote["customer"])
    item = remote["items"]["data"][0] if remote["items"]["data"] else {}
    price_id = item["price"]["id"] if item else ""
    start = _when(item.get("current_period_start") or remote.get("current_period_start"))
    end = _when(item.get("current_period_end") or remote.get("current_period_end"))
    status = remote["status"]
    wanted: dict[str, Any] = {
        "stripe_subscription_id": remote["id"],
        "status": status,
        "plan": Plan.objects.filter(stripe_price_id=price_id).first() if price_id else None,
        "current_period_start": start,
        "current_period_end": end,
        # A failed renewal is billed at the start of the new period, so the grace runs from
        # there; Stripe moves the period end a whole period ahead when it renews.
        "grace_until": start + GRACE if status == Subscription.Status.PAST_DUE and start else None,
    }
    changed = {k: v for k, v in wanted.items() if getattr(subscription, k) != v}
    if not changed:
        return subscription
    before = subscription.status
    for field, value in changed.items():
        setattr(subscription, field, value)
    subscription.save()
    if "status" in changed:
        # Requests read the access level from a cache of one minute: drop it now.
        from billing.middleware import access_cache_key

        caches["tenancy"].delete(access_cache_key(subscription.cooperative_id))
        with schema_context(subscription.cooperative.schema_name):
            audit_record(
                actor_id=None,
                action="billing.subscription_status",
                target=subscription,
                summary=f"Abonnement: {before or '-'} → {status}",
                changes={"status": [before, status]},
            )
    return subscription


def _subscription_for_customer(customer_id: str) -> Subscription:
    """The Subscription for a Stripe customer: by its id in the public schema, or else (a
    customer made outside this app, e.g. by hand in Stripe) by the schema in its metadata."""
    found = Subscription.objects.select_for_update().filter(stripe_customer_id=customer_id)
    if subscription := found.select_related("cooperative").first():
        return subscription
    schema = stripe_api.retrieve_customer(customer_id)["metadata"].get("schema")
    cooperative = Cooperative.objects.filter(schema_name=schema).first() if schema else None
    if cooperative is None:
        raise UnknownCustomer(customer_id)
    # One Stripe customer per cooperative: never silently move a cooperative to another one.
    if Subscription.objects.filter(cooperative=cooperative).exists():
        raise UnknownCustomer(f"{customer_id}: {schema} heeft al een andere Stripe-klant")
    return Subscription.objects.create(cooperative=cooperative, stripe_customer_id=customer_id)


def _invoice_subscription_id(invoice: dict[str, Any]) -> str | None:
    # API versions from 2025 keep it under parent.subscription_details; older ones at the top.
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return details.get("subscription") or invoice.get("subscription")


def _when(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None
