"""A cooperative subscribes through Stripe Checkout, changes plan, and manages its payment
details and invoices in Stripe's customer portal. Every write to Stripe goes through the outbox.

Changing plan while subscribed is a subscription.update through the outbox (not the portal):
the member limit is checked here, the same as for a first choice, and the change is prorated
at once. The portal is for payment details, invoices and cancelling.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import stripe
from django.db import transaction
from django.utils.translation import gettext as _

from billing import stripe_api
from billing.access.selectors import Access, cooperative_access, sponsorship_running
from billing.outbox.models import OutboxCall
from billing.outbox.services import outbox_call_now
from billing.sponsorship.models import NetworkSubscription
from billing.subscriptions.models import Plan, Subscription
from billing.subscriptions.plans import member_count, plan_fits, plan_is_free, plan_pilot
from billing.webhooks.services import (
    ENDED,
    StripeUnavailable,
    ensure_stripe_customer,
    sync_subscription,
)
from shared.audit.services import audit_record
from shared.validation import field_error
from tenants.models import Cooperative

S = Subscription.Status
# A running subscription whose plan can be changed in place.
CHANGEABLE = frozenset({S.TRIALING, S.ACTIVE, S.PAST_DUE})
PAYMENT_METHODS = ["card", "ideal", "sepa_debit"]


# --- reading -----------------------------------------------------------------------------------


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

    @property
    def status_label(self) -> str:
        if self.status == S.NONE:
            return _("gratis pilot") if self.plan is not None else _("nog geen abonnement")
        return str(S(self.status).label)


def subscription_overview(*, cooperative: Cooperative) -> SubscriptionOverview:
    """What /abonnement/ and the API show: the status as Stripe last said, the access it
    gives, the plan, and which plans fit the cooperative's number of members."""
    members = member_count(cooperative=cooperative)
    access = cooperative_access(cooperative)
    sponsorship = sponsorship_running(cooperative)
    sponsored_by = ""
    if sponsorship is not None:
        paid_by = NetworkSubscription.objects.filter(network_id=sponsorship.network_id).first()
        status = paid_by.status if paid_by else S.NONE
        plan: Plan | None = sponsorship.plan
        period_end = paid_by.current_period_end if paid_by else None
        grace = paid_by.grace_until if paid_by else None
        sponsored_by = sponsorship.network.name
    else:
        own = Subscription.objects.filter(cooperative=cooperative).select_related("plan").first()
        status = own.status if own else S.NONE
        has_own = own is not None and status != S.NONE
        plan = own.plan if has_own else plan_pilot()
        period_end = own.current_period_end if has_own else None
        grace = own.grace_until if has_own else None
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
        members=members,
        too_big=plan is not None and not plan_fits(plan=plan, members=members),
        choices=choices,
    )


# --- choosing a plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceOutcome:
    # Stripe's Checkout page to send the treasurer to (a first subscription, or a new one).
    url: str = ""
    # Stripe did not answer: the outbox retries; clicking again reuses the same call.
    pending: bool = False
    # The plan of the running subscription was changed in place.
    changed: bool = False


def subscription_choose(
    *, cooperative: Cooperative, plan: Plan, actor_id: int | None, return_url: str
) -> ChoiceOutcome:
    """The treasurer (or chair) picks a plan. A refusal raises ValidationError and writes
    nothing; Stripe not answering gives a pending outcome."""
    if not plan.active:
        raise field_error("plan", _("Deze abonnementsvorm bestaat niet meer."), "inactive")
    if plan_is_free(plan):
        raise field_error(
            "plan",
            _("De pilot is gratis en hoeft u niet te kiezen: zonder abonnement gebruikt u hem."),
            "free",
        )
    if not plan.stripe_price_id:
        raise field_error(
            "plan", _("Deze abonnementsvorm is nog niet te koop. Probeer het later."), "not_ready"
        )
    if sponsorship_running(cooperative) is not None:
        raise field_error(
            "plan",
            _("Uw abonnement wordt door een netwerk betaald; u hoeft niets te kiezen."),
            "sponsored",
        )
    members = member_count(cooperative=cooperative)
    if not plan_fits(plan=plan, members=members):
        raise field_error(
            "plan",
            _(
                "Uw coöperatie heeft %(n)s leden; %(plan)s is voor ten hoogste %(max)s leden. "
                "Kies een grotere abonnementsvorm."
            )
            % {"n": members, "plan": plan.name, "max": plan.max_members},
            "too_small",
        )
    try:
        subscription = ensure_stripe_customer(cooperative=cooperative)
    except StripeUnavailable:
        return ChoiceOutcome(pending=True)
    if subscription.stripe_subscription_id and subscription.status in CHANGEABLE:
        return _plan_change(subscription=subscription, plan=plan, actor_id=actor_id)
    if subscription.status not in ENDED and subscription.status != S.NONE:
        raise field_error(
            "plan",
            _(
                "Er staat nog een betaling open. Rond die eerst af via 'Betaalgegevens en "
                "facturen beheren'."
            ),
            "open_payment",
        )
    return _checkout_start(
        subscription=subscription, plan=plan, actor_id=actor_id, return_url=return_url
    )


def _checkout_key(subscription: Subscription, plan: Plan) -> str:
    """One key per intent: a double click (or a click while Stripe is retried) finds the same
    call and so the same Checkout session; once that session is finished, expired or was
    refused, the next click is a new attempt with the next number."""
    prefix = f"checkout-{subscription.cooperative.schema_name}-{plan.code}-"
    earlier = OutboxCall.objects.filter(
        operation="checkout_session.create", idempotency_key__startswith=prefix
    )
    last = earlier.order_by("-pk").first()
    if last is not None and _still_open(last):
        return last.idempotency_key
    return f"{prefix}{earlier.count() + 1}"


def _still_open(call: OutboxCall) -> bool:
    if call.status == OutboxCall.Status.PENDING:
        return True
    if call.status == OutboxCall.Status.FAILED:
        return False
    try:
        session = stripe_api.retrieve_checkout_session(call.result["id"])
    except stripe.StripeError:
        return True  # Stripe cannot say now; its first answer is the best we have
    return session.get("status") == "open"


def _checkout_start(
    *, subscription: Subscription, plan: Plan, actor_id: int | None, return_url: str
) -> ChoiceOutcome:
    cooperative = subscription.cooperative
    schema = cooperative.schema_name
    metadata = {"schema": schema, "plan": plan.code}
    subscription_data: dict[str, Any] = {"metadata": metadata}
    # The trial is for a cooperative's first subscription only.
    if not subscription.stripe_subscription_id and plan.trial_days:
        subscription_data["trial_period_days"] = plan.trial_days
    separator = "&" if "?" in return_url else "?"
    call = outbox_call_now(
        operation="checkout_session.create",
        params={
            "mode": "subscription",
            "customer": subscription.stripe_customer_id,
            "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
            "payment_method_types": PAYMENT_METHODS,
            "subscription_data": subscription_data,
            "metadata": metadata,
            "client_reference_id": schema,
            "locale": "nl",
            "success_url": f"{return_url}{separator}betaald=1&sessie={{CHECKOUT_SESSION_ID}}",
            "cancel_url": f"{return_url}{separator}afgebroken=1",
        },
        idempotency_key=_checkout_key(subscription, plan),
        cooperative=cooperative,
    )
    if call.status == OutboxCall.Status.PENDING:
        return ChoiceOutcome(pending=True)
    if call.status == OutboxCall.Status.FAILED:
        raise field_error(
            "plan", _("Stripe kon het afrekenen niet starten. Probeer het later opnieuw."), "stripe"
        )
    audit_record(
        actor_id=actor_id,
        action="billing.checkout_started",
        target=subscription,
        summary=f"Afrekenen gestart voor {plan.code}",
    )
    return ChoiceOutcome(url=call.result["url"])


def _plan_change(*, subscription: Subscription, plan: Plan, actor_id: int | None) -> ChoiceOutcome:
    if subscription.plan_id == plan.pk:
        raise field_error("plan", _("Dit is al uw abonnementsvorm."), "same")
    try:
        remote = stripe_api.retrieve_subscription(subscription.stripe_subscription_id)
    except (stripe.APIError, stripe.APIConnectionError, stripe.RateLimitError):
        return ChoiceOutcome(pending=True)
    item_id = remote["items"]["data"][0]["id"]
    schema = subscription.cooperative.schema_name
    # The key names the state it starts from (the row's last change), so a double click is one
    # change, and changing back later is a new one.
    version = int(subscription.updated_at.timestamp())
    call = outbox_call_now(
        operation="subscription.update",
        params={
            "id": subscription.stripe_subscription_id,
            "items": [{"id": item_id, "price": plan.stripe_price_id}],
            "proration_behavior": "create_prorations",
            "metadata": {"schema": schema, "plan": plan.code},
        },
        idempotency_key=f"plan-change-{schema}-{subscription.stripe_subscription_id}-"
        f"{plan.code}-{version}",
        cooperative=subscription.cooperative,
        on_result="billing.subscriptions.services.plan_change_stored",
    )
    if call.status == OutboxCall.Status.PENDING:
        return ChoiceOutcome(pending=True)
    if call.status == OutboxCall.Status.FAILED:
        raise field_error(
            "plan", _("Stripe kon de abonnementsvorm niet wijzigen. Probeer het later."), "stripe"
        )
    audit_record(
        actor_id=actor_id,
        action="billing.plan_changed",
        target=subscription,
        summary=f"Abonnementsvorm gewijzigd naar {plan.code}",
    )
    return ChoiceOutcome(changed=True)


def plan_change_stored(call: OutboxCall) -> None:
    """on_result of a plan change: read the subscription back at once (the webhook follows)."""
    sync_subscription(stripe_subscription_id=call.result["id"])


# --- the customer portal -----------------------------------------------------------------------


def portal_start(*, cooperative: Cooperative, return_url: str) -> str:
    """A link to Stripe's customer portal (payment details, invoices, cancelling). Portal
    links are short-lived and create nothing to pay, so the key only joins clicks within the
    same minute. Returns "" while Stripe does not answer."""
    if sponsorship_running(cooperative) is not None:
        raise field_error(
            None, _("Uw abonnement wordt door een netwerk betaald; hier valt niets te beheren."),
            "sponsored",
        )  # fmt: skip
    try:
        subscription = ensure_stripe_customer(cooperative=cooperative)
    except StripeUnavailable:
        return ""
    call = outbox_call_now(
        operation="portal_session.create",
        params={
            "customer": subscription.stripe_customer_id,
            "return_url": return_url,
            "locale": "nl",
        },
        idempotency_key=f"portal-{cooperative.schema_name}-{int(time.time() // 60)}",
        cooperative=cooperative,
    )
    if call.status == OutboxCall.Status.FAILED:
        raise field_error(None, _("Stripe kon het overzicht niet openen."), "stripe")
    return call.result["url"] if call.status == OutboxCall.Status.DONE else ""


# --- Stripe tells us a Checkout ended ----------------------------------------------------------


def checkout_session_sync(*, session: dict[str, Any]) -> Subscription | None:
    """A subscription Checkout completed: read its subscription from Stripe. The subscription's
    customer says which cooperative it is (never the session's metadata alone)."""
    if session.get("mode") != "subscription" or session.get("status") != "complete":
        return None
    subscription_id = session.get("subscription")
    if isinstance(subscription_id, dict):
        subscription_id = subscription_id.get("id")
    if not subscription_id:
        return None
    return sync_subscription(stripe_subscription_id=subscription_id)


def checkout_return_sync(*, cooperative: Cooperative, session_id: str) -> None:
    """The treasurer is back from Checkout: read the session at once rather than wait for the
    webhook, but only a session of this cooperative's own customer."""
    subscription = Subscription.objects.filter(cooperative=cooperative).first()
    if subscription is None or not session_id.startswith("cs_"):
        return
    try:
        session = stripe_api.retrieve_checkout_session(session_id)
        if session.get("customer") == subscription.stripe_customer_id:
            with transaction.atomic():
                checkout_session_sync(session=session)
    except stripe.StripeError:
        return  # the webhook will bring it
