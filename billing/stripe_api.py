"""The one way to Stripe. Every call goes through here, so the key, the API base (a local
stand-in in tests) and idempotency keys are settled in one place.

Objects come back as plain dicts (StripeObject.to_dict()): a StripeObject is no dict, and its
attributes collide with dict methods for fields such as `items`."""

from __future__ import annotations

from typing import Any

import stripe
from django.conf import settings


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    addresses = {"api": base, "connect": base, "files": base} if base else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=addresses)


def retrieve_subscription(subscription_id: str) -> dict[str, Any]:
    return client().v1.subscriptions.retrieve(subscription_id).to_dict()


def retrieve_invoice(invoice_id: str) -> dict[str, Any]:
    return client().v1.invoices.retrieve(invoice_id).to_dict()


def retrieve_customer(customer_id: str) -> dict[str, Any]:
    return client().v1.customers.retrieve(customer_id).to_dict()


def create_customer(*, schema: str, name: str, idempotency_key: str) -> dict[str, Any]:
    """A Stripe customer carrying the cooperative's schema, so webhooks map back to it."""
    return (
        client()
        .v1.customers.create(
            params={"name": name, "metadata": {"schema": schema}},
            options={"idempotency_key": idempotency_key},
        )
        .to_dict()
    )
