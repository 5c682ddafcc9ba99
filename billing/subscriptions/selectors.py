"""Reads of plans and subscriptions: which plan fits a cooperative, what /abonnement/ shows,
and what a Stripe subscription's state means here (for a cooperative's subscription and, but
for the period start, a network's: billing.sponsorship reads it from here).

The free pilot is not mirrored to Stripe and has no Stripe subscription at all. A EUR 0
subscription would bring a Stripe customer, a Checkout, monthly EUR 0 invoices and webhooks for
nothing, and a starting group without a treasurer would have to go through Stripe's pages
first. The access layer already treats "no subscription yet" as full use
(billing.access.selectors), so the pilot is simply that state, and its plan row says up to how
many members it is meant for. A cooperative that grows beyond it sees a notice on /abonnement/
and picks a paid plan there; members are never blocked for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from django_tenants.utils import schema_context

from billing.access.selectors import Access, cooperative_access, sponsorship_running
from billing.sponsorship.models import NetworkSubscription
from billing.subscriptions.models import Plan, Subscription
from cooperatives.settlement import Member
from tenants.models import Cooperative

S = Subscription.Status
# Subscriptions that are over: an event about one of these never replaces another subscription.
ENDED = frozenset({S.CANCELED, S.INCOMPLETE_EXPIRED})
GRACE = timedelta(days=7)


# --- plans -------------------------------------------------------------------------------------


def plan_is_free(*, plan: Plan) -> bool:
    return plan.monthly_price_cents == 0


def plan_fits(*, plan: Plan, members: int) -> bool:
    """Is the plan big enough for this many members? (No limit: always.)"""
    return plan.max_members is None or members <= plan.max_members


def plan_pilot() -> Plan | None:
    """The free plan a cooperative without a subscription is on."""
    return Plan.objects.filter(active=True, monthly_price_cents=0).order_by("code").first()


def plan_of_item(*, item: dict[str, Any]) -> Plan | None:
    """The plan of a subscription item: by its Stripe price, or, for a price the plan has
    since replaced (prices are immutable), by the plan code in the price's metadata."""
    price = item.get("price") or {}
    if not price.get("id"):
        return None
    plan = Plan.objects.filter(stripe_price_id=price["id"]).first()
    if plan is None and (code := (price.get("metadata") or {}).get("plan")):
        plan = Plan.objects.filter(code=code).first()
    return plan


def member_count(*, cooperative: Cooperative) -> int:
    """Active members of the cooperative, counted in its own schema."""
    with schema_context(cooperative.schema_name):
        return Member.objects.filter(status=Member.Status.ACTIVE).count()


# --- a Stripe subscription's state -------------------------------------------------------------


def remote_state(*, remote: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A Stripe subscription's first item, and its status, period and grace as stored on a
    cooperative's (or, but for the period start, a network's) subscription."""
    item: dict[str, Any] = remote["items"]["data"][0] if remote["items"]["data"] else {}
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
        "grace_until": start + GRACE if status == S.PAST_DUE and start else None,
    }


def _when(timestamp: int | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc) if timestamp else None


# --- what /abonnement/ shows -------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChoice:
    plan: Plan
    fits: bool
    current: bool

    @property
    def euros(self) -> Decimal:
        return Decimal(self.plan.monthly_price_cents) / 100


@dataclass(frozen=True)
class SubscriptionOverview:
    status: str
    access: Access
    plan: Plan | None
    current_period_end: datetime | None
    grace_until: datetime | None
    sponsored_by: str
    members: int
    # The cooperative has more members than its plan is meant for.
    too_big: bool
    choices: list[PlanChoice] = field(default_factory=list)
    # Since when the network pays (None when the cooperative is not sponsored).
    sponsored_since: datetime | None = None

    @property
    def status_label(self) -> str:
        return S.word(self.status)


def subscription_overview(*, cooperative: Cooperative) -> SubscriptionOverview:
    """What /abonnement/ and the API show: the status as Stripe last said, the access it
    gives, the plan, and which plans fit the cooperative's number of members."""
    members = member_count(cooperative=cooperative)
    access = cooperative_access(cooperative=cooperative)
    sponsorship = sponsorship_running(cooperative=cooperative)
    sponsored_by = ""
    plan: Plan | None
    if sponsorship is not None:
        paid_by = NetworkSubscription.objects.filter(network_id=sponsorship.network_id).first()
        status = paid_by.status if paid_by else S.NONE
        plan = sponsorship.plan
        period_end = paid_by.current_period_end if paid_by else None
        grace = paid_by.grace_until if paid_by else None
        sponsored_by = sponsorship.network.name
    else:
        own = Subscription.objects.filter(cooperative=cooperative).select_related("plan").first()
        status = own.status if own else S.NONE
        if own is not None and status != S.NONE:
            plan, period_end, grace = own.plan, own.current_period_end, own.grace_until
        else:
            plan, period_end, grace = plan_pilot(), None, None
    choices = [
        PlanChoice(p, plan_fits(plan=p, members=members), plan is not None and p.pk == plan.pk)
        for p in Plan.objects.filter(active=True)
    ]
    return SubscriptionOverview(
        status=status,
        access=access,
        plan=plan,
        current_period_end=period_end,
        grace_until=grace,
        sponsored_by=sponsored_by,
        sponsored_since=sponsorship.started_at if sponsorship is not None else None,
        members=members,
        too_big=plan is not None and not plan_fits(plan=plan, members=members),
        choices=choices,
    )
