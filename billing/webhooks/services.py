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
from billing.outbox.models import OutboxCall
from billing.subscriptions.models import Plan, Subscription
from billing.webhooks.models import StripeEvent
from shared.audit.services import audit_record
from tenants.models import Cooperative

GRACE = timedelta(days=7)


class UnknownCustomer(Exception):
    """A Stripe customer that maps to no cooperative (not ours, or its schema is gone)."""


class StripeUnavailable(Exception):
    """Stripe did not answer (or refused) a call a person waits for. The call stays in the
    outbox, which retries it with the same idempotency key; the page says so in Dutch."""


def ensure_stripe_customer(*, cooperative: Cooperative) -> Subscription:
    """The cooperative's one Stripe customer, created once through the outbox. The idempotency
    key is the schema, so a retry after a crash between Stripe's write and ours gets the same
    customer back. Raises StripeUnavailable while Stripe has not answered."""
    existing = Subscription.objects.filter(cooperative=cooperative).first()
    if existing is not None:
        return existing
    from billing.outbox.services import outbox_call_now

    call = outbox_call_now(
        operation="customer.create",
        params={"name": cooperative.name, "metadata": {"schema": cooperative.schema_name}},
        idempotency_key=f"customer-{cooperative.schema_name}",
        cooperative=cooperative,
        on_result="billing.webhooks.services.customer_stored",
    )
    if call.status != OutboxCall.Status.DONE:
        raise StripeUnavailable(call.last_error)
    return customer_stored(call)


def customer_stored(call: OutboxCall) -> Subscription:
    """on_result of customer.create: the cooperative's Subscription row with the customer. Runs
    once when the call comes through (perhaps on a retry), and again harmlessly from
    ensure_stripe_customer."""
    subscription, _created = Subscription.objects.get_or_create(
        cooperative_id=call.cooperative_id, defaults={"stripe_customer_id": call.result["id"]}
    )
    return subscription


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
            from billing.connect.services import connect_account_sync

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
        from billing.subscriptions.services import checkout_session_sync

        checkout_session_sync(session=session)
    elif (session.get("metadata") or {}).get("kind") == "klus":
        from billing.klussen.online import klus_checkout_sync

        klus_checkout_sync(session=session, account=account)


def record_processing_error(*, event_id: str, error: str) -> None:
    StripeEvent.objects.filter(event_id=event_id).update(error=error[:2000])


# Subscriptions that are over: an event about one of these never replaces another subscription.
ENDED = frozenset({Subscription.Status.CANCELED, Subscription.Status.INCOMPLETE_EXPIRED})


def sync_subscription(*, stripe_subscription_id: str) -> Subscription | Any:
    """Copy Stripe's current subscription onto the cooperative's Subscription (or, for a
    network's customer, onto the network's). Saves only when something differs, so syncing
    twice changes nothing more."""
    remote = stripe_api.retrieve_subscription(stripe_subscription_id)
    if not Subscription.objects.filter(stripe_customer_id=remote["customer"]).exists():
        from billing.sponsorship.services import (
            network_subscription_apply,
            network_subscription_for,
        )

        network_subscription = network_subscription_for(customer_id=remote["customer"])
        if network_subscription is not None:
            return network_subscription_apply(
                network_subscription=network_subscription, remote=remote
            )
    subscription = _subscription_for_customer(remote["customer"])
    if not _replaces(subscription, remote):
        # A late event of an older subscription of the same customer (one that ended before
        # the current one began): the current subscription's state stays.
        return subscription
    item, state = remote_state(remote)
    status = state["status"]
    wanted: dict[str, Any] = {
        "stripe_subscription_id": remote["id"],
        "plan": plan_of_item(item),
        **state,
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
        from billing.access.middleware import access_cache_key

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


def _replaces(subscription: Subscription, remote: dict[str, Any]) -> bool:
    """May Stripe's subscription `remote` become the cooperative's current one? Its own
    subscription always; another one of the same customer only when it is not over, and then
    only when the stored one is over or is older (two running at once: the newest counts)."""
    current_id = subscription.stripe_subscription_id
    if not current_id or current_id == remote["id"]:
        return True
    if remote["status"] in ENDED:
        return False
    if subscription.status in ENDED or subscription.status == Subscription.Status.NONE:
        return True
    current = stripe_api.retrieve_subscription(current_id)
    if current["status"] in ENDED:
        return True
    return int(remote.get("created") or 0) >= int(current.get("created") or 0)


def remote_state(remote: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Stripe subscription's first item, and its status, period and grace as stored on a
    cooperative's (or, but for the period start, a network's) subscription."""
    item = remote["items"]["data"][0] if remote["items"]["data"] else {}
    start = _when(item.get("current_period_start") or remote.get("current_period_start"))
    status = remote["status"]
    return item, {
        "status": status,
        "current_period_start": start,
        "current_period_end": _when(
            item.get("current_period_end") or remote.get("current_period_end")
        ),
        # A failed renewal is billed at the start of the new period, so the grace runs from
        # there; Stripe moves the period end a whole period ahead when it renews.
        "grace_until": start + GRACE if status == Subscription.Status.PAST_DUE and start else None,
    }


def plan_of_item(item: dict[str, Any]) -> Plan | None:
    """The plan of a subscription item: by its Stripe price, or, for a price the plan has
    since replaced (prices are immutable), by the plan code in the price's metadata."""
    price = item.get("price") or {}
    if not price.get("id"):
        return None
    plan = Plan.objects.filter(stripe_price_id=price["id"]).first()
    if plan is None and (code := (price.get("metadata") or {}).get("plan")):
        plan = Plan.objects.filter(code=code).first()
    return plan


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
