"""The one way to Stripe. Every call goes through here, so the key, the API base (a local
stand-in in tests) and idempotency keys are settled in one place.

Objects come back as Stripe's own StripeObject; read them with ["key"], since attribute access
collides with dict methods for fields such as `items`."""

from __future__ import annotations

import stripe
from django.conf import settings


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    addresses = {"api": base, "connect": base, "files": base} if base else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=addresses)


def retrieve_subscription(subscription_id: str) -> stripe.Subscription:
    return client().v1.subscriptions.retrieve(subscription_id)


def retrieve_invoice(invoice_id: str) -> stripe.Invoice:
    return client().v1.invoices.retrieve(invoice_id)


def retrieve_customer(customer_id: str) -> stripe.Customer:
    return client().v1.customers.retrieve(customer_id)


def create_customer(*, schema: str, name: str, idempotency_key: str) -> stripe.Customer:
    """A Stripe customer carrying the cooperative's schema, so webhooks map back to it."""
    return client().v1.customers.create(
        params={"name": name, "metadata": {"schema": schema}},
        options={"idempotency_key": idempotency_key},
    )
