"""The one way to Stripe. Every call goes through here, so the key, the API base (a local
stand-in in tests) and idempotency keys are settled in one place. Calls that write are made
from the outbox (billing.outbox.services), which stores them, with their idempotency key, first.

Objects come back as plain dicts (StripeObject.to_dict()): a StripeObject is no dict, and its
attributes collide with dict methods for fields such as `items`."""

from __future__ import annotations

import json
from typing import Any

import stripe
from django.conf import settings


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    addresses = {"api": base, "connect": base, "files": base} if base else None
    # No silent retries inside the library: a failed write is retried by the outbox, with the
    # same idempotency key, where it is stored and visible.
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=addresses, max_network_retries=0
    )


def _options(idempotency_key: str | None = None, stripe_account: str = "") -> dict[str, str]:
    options = {}
    if idempotency_key:
        options["idempotency_key"] = idempotency_key
    if stripe_account:
        options["stripe_account"] = stripe_account
    return options


def retrieve_subscription(subscription_id: str) -> dict[str, Any]:
    return client().v1.subscriptions.retrieve(subscription_id).to_dict()


def retrieve_invoice(invoice_id: str) -> dict[str, Any]:
    return client().v1.invoices.retrieve(invoice_id).to_dict()


def retrieve_customer(customer_id: str) -> dict[str, Any]:
    return client().v1.customers.retrieve(customer_id).to_dict()


def retrieve_checkout_session(session_id: str, *, stripe_account: str = "") -> dict[str, Any]:
    return (
        client()
        .v1.checkout.sessions.retrieve(session_id, options=_options(stripe_account=stripe_account))
        .to_dict()
    )


def retrieve_account(account_id: str) -> dict[str, Any]:
    return client().v1.accounts.retrieve(account_id).to_dict()


def create_customer(*, schema: str, name: str, idempotency_key: str) -> dict[str, Any]:
    """A Stripe customer carrying the cooperative's schema, so webhooks map back to it."""
    return (
        client()
        .v1.customers.create(
            params={"name": name, "metadata": {"schema": schema}},
            options=_options(idempotency_key),
        )
        .to_dict()
    )


def _stored(obj: Any) -> dict[str, Any]:
    """The object as the outbox stores it (JSON): the library turns Stripe's decimal strings
    (unit_amount_decimal) into Decimal, which JSON cannot hold; back to Stripe's own string."""
    return json.loads(json.dumps(obj.to_dict(), default=str))


# Writes made through the outbox: operation name -> the call. Each takes the stored params,
# the idempotency key and the connected account (blank for the platform's own account).
def _create(resource: Any) -> Any:
    def call(params: dict[str, Any], idempotency_key: str, stripe_account: str) -> dict:
        return _stored(
            resource().create(params=params, options=_options(idempotency_key, stripe_account))
        )

    return call


def _subscription_update(params: dict[str, Any], idempotency_key: str, stripe_account: str) -> dict:
    params = dict(params)
    subscription_id = params.pop("id")
    return _stored(
        client().v1.subscriptions.update(
            subscription_id, params=params, options=_options(idempotency_key, stripe_account)
        )
    )


OPERATIONS = {
    "customer.create": _create(lambda: client().v1.customers),
    "product.create": _create(lambda: client().v1.products),
    "price.create": _create(lambda: client().v1.prices),
    "checkout_session.create": _create(lambda: client().v1.checkout.sessions),
    "portal_session.create": _create(lambda: client().v1.billing_portal.sessions),
    "account.create": _create(lambda: client().v1.accounts),
    "account_link.create": _create(lambda: client().v1.account_links),
    "subscription.update": _subscription_update,
    # A network's subscription, paid by invoice (billing.sponsorship.services).
    "subscription.create": _create(lambda: client().v1.subscriptions),
}
