"""Reads of network sponsorship."""

from __future__ import annotations

from django.db.models import F, QuerySet

from billing import stripe_api
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.subscriptions.models import Plan
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership


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


def network_subscription_of(*, network: Network) -> NetworkSubscription | None:
    """The network's own subscription (None before its first sponsorship)."""
    return NetworkSubscription.objects.select_related("plan").filter(network=network).first()


def sponsorships_of_network(*, network: Network) -> QuerySet[Sponsorship]:
    """Every sponsorship of the network, running ones first, newest first."""
    return (
        Sponsorship.objects.select_related("cooperative", "plan")
        .filter(network=network)
        .order_by(F("ended_at").desc(nulls_first=True), "-started_at")
    )


def sponsorship_running_of_network(*, network: Network, pk: int) -> Sponsorship | None:
    """One running sponsorship of this network (another network's id is not found)."""
    return (
        Sponsorship.objects.select_related("cooperative")
        .filter(network=network, pk=pk, ended_at__isnull=True)
        .first()
    )


def cooperatives_to_sponsor(*, network: Network) -> list[Cooperative]:
    """The network's active members that no network pays for yet (whether one pays its own
    subscription is said by the service, in words, when the manager picks it)."""
    members = Membership.objects.filter(
        network=network, status=Membership.Status.ACTIVE, ended_at__isnull=True
    ).values("cooperative_id")
    sponsored = Sponsorship.objects.filter(ended_at__isnull=True).values("cooperative_id")
    return list(
        Cooperative.objects.filter(pk__in=members).exclude(pk__in=sponsored).order_by("name")
    )


def sponsorable_plans() -> QuerySet[Plan]:
    """The paid plans already at Stripe: what a network's first sponsorship can choose."""
    return (
        Plan.objects.filter(active=True)
        .exclude(stripe_price_id="")
        .exclude(monthly_price_cents=0)
        .order_by("monthly_price_cents")
    )
