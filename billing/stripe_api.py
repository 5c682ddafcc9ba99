"""The one way to Stripe. Every call goes through here, so the key, the API version, the API
base (a local stand-in in tests) and idempotency keys are settled in one place. Calls that
write are made from the outbox (billing.outbox.services), which stores them, with their
idempotency key, first.

Objects come back as plain dicts (StripeObject.to_dict()): a StripeObject is no dict, and its
attributes collide with dict methods for fields such as `items`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import stripe
from django.conf import settings

if TYPE_CHECKING:
    from stripe.params import SubscriptionUpdateParams

# The API version every request names (the Stripe-Version header), set here rather than left to
# the library's default or the Stripe account's, because the shape of what Stripe sends depends
# on it and billing reads that shape: since 2025-03-31 a subscription's period sits on its items
# and an invoice names its subscription under parent.subscription_details. This is the version
# stripe 16.x is generated for (stripe._api_version) and the one whose objects the stand-in
# answers with (shared/stripe/fixtures3.json). A new major of the library means a new version,
# so pyproject pins stripe>=16,<17; moving on is a change of its own, with this line.
API_VERSION = "2026-10-28.endive"
stripe.api_version = API_VERSION


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    # No silent retries inside the library: a failed write is retried by the outbox, with the
    # same idempotency key, where it is stored and visible.
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=API_VERSION,
        base_addresses={"api": base, "connect": base, "files": base} if base else None,
        max_network_retries=0,
    )


def _options(idempotency_key: str | None = None, stripe_account: str = "") -> stripe.RequestOptions:
    options: stripe.RequestOptions = {}
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


def _stored(obj: Any) -> dict[str, Any]:
    """The object as the outbox stores it (JSON): the library turns Stripe's decimal strings
    (unit_amount_decimal) into Decimal, which JSON cannot hold; back to Stripe's own string."""
    stored: dict[str, Any] = json.loads(json.dumps(obj.to_dict(), default=str))
    return stored


# Writes made through the outbox: operation name -> the call. Each takes the stored params,
# the idempotency key and the connected account (blank for the platform's own account).
Operation = Callable[[dict[str, Any], str, str], dict[str, Any]]


def _create(resource: Callable[[], Any]) -> Operation:
    def call(params: dict[str, Any], idempotency_key: str, stripe_account: str) -> dict[str, Any]:
        return _stored(
            resource().create(params=params, options=_options(idempotency_key, stripe_account))
        )

    return call


def _subscription_update(
    params: dict[str, Any], idempotency_key: str, stripe_account: str
) -> dict[str, Any]:
    params = dict(params)
    subscription_id = params.pop("id")
    return _stored(
        client().v1.subscriptions.update(
            subscription_id,
            # The stored params are the ones made for this call (billing.sponsorship,
            # billing.subscriptions), as JSON.
            params=cast("SubscriptionUpdateParams", params),
            options=_options(idempotency_key, stripe_account),
        )
    )


OPERATIONS: dict[str, Operation] = {
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
