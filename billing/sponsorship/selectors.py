"""Reads of network sponsorship."""

from __future__ import annotations

from billing import stripe_api
from billing.sponsorship.models import NetworkSubscription


def network_subscription_for(*, customer_id: str) -> NetworkSubscription | None:
    """The network's subscription for a Stripe customer: by its id, or by the network in the
    customer's metadata (how Stripe's events for a network map back)."""
    found = NetworkSubscription.objects.filter(stripe_customer_id=customer_id).first()
    if found is not None:
        return found
    slug = (stripe_api.retrieve_customer(customer_id).get("metadata") or {}).get("network")
    if not slug:
        return None
    return NetworkSubscription.objects.filter(network__slug=slug).first()
