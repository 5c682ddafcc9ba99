"""Writes for plans and a cooperative's subscription.

Plans are kept in the database (billing.Plan) and mirrored to Stripe as one product and one
recurring monthly price each, through the outbox. Stripe prices are immutable: a changed
monthly price gets a new Stripe price (the idempotency key carries the amount), and
subscriptions on the old price keep it until they change plan. The free pilot is not mirrored
(see billing.subscriptions.selectors).

A cooperative subscribes through Stripe Checkout, changes plan, and manages its payment details
and invoices in Stripe's customer portal. Every write to Stripe goes through the outbox.
Changing plan while subscribed is a subscription.update through the outbox (not the portal):
the member limit is checked here, the same as for a first choice, and the change is prorated
at once. The portal is for payment details, invoices and cancelling.

What Stripe says about a subscription is copied here (``subscription_sync``): from the webhook
(billing.webhooks), after a plan change, and when the treasurer is back from Checkout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import stripe
from django.core.cache import caches
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing import stripe_api
from billing.access.middleware import access_cache_key
from billing.access.selectors import sponsorship_running
from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result
from billing.outbox.services import StripeUnavailable, outbox_call_now, outbox_enqueue
from billing.sponsorship.models import NetworkSubscription
from billing.sponsorship.selectors import network_subscription_for
from billing.sponsorship.services import network_subscription_apply
from billing.subscriptions.models import Plan, Subscription
from billing.subscriptions.selectors import (
    ENDED,
    member_count,
    plan_fits,
    plan_is_free,
    plan_of_item,
    remote_state,
)
from shared.audit.services import audit_record
from shared.validation import field_error
from tenants.models import Cooperative

S = Subscription.Status
# A running subscription whose plan can be changed in place.
CHANGEABLE = frozenset({S.TRIALING, S.ACTIVE, S.PAST_DUE})
PAYMENT_METHODS = ["card", "ideal", "sepa_debit"]


class UnknownCustomer(Exception):
    """A Stripe customer that maps to no cooperative (not ours, or its schema is gone)."""


# --- plans at Stripe ---------------------------------------------------------------------------


def _product_key(plan: Plan) -> str:
    return f"plan-product-{plan.code}"


def _price_key(plan: Plan) -> str:
    return f"plan-price-{plan.code}-{plan.monthly_price_cents}"


def _price_params(plan: Plan) -> dict[str, Any]:
    return {
        "product": plan.stripe_product_id,
        "unit_amount": plan.monthly_price_cents,
        "currency": plan.currency,
        "recurring": {"interval": "month"},
        "nickname": plan.name,
        "metadata": {"plan": plan.code},
    }


@dataclass(frozen=True)
class PlanSync:
    code: str
    # "free" (not mirrored), "done" (product and price at Stripe), "pending" (Stripe did not
    # answer; the outbox retries and a rerun finishes it), "failed" (Stripe refused).
    state: str
    stripe_requests: int = 0


def plans_sync_stripe() -> list[PlanSync]:
    """Mirror every active paid plan to Stripe. Running it again makes no Stripe call: each
    step is a stored outbox call under a stable key, found again and not repeated."""
    return [plan_sync_stripe(plan=plan) for plan in Plan.objects.filter(active=True)]


def plan_sync_stripe(*, plan: Plan) -> PlanSync:
    if plan_is_free(plan=plan):
        return PlanSync(plan.code, "free")
    attempts_before = _attempts(plan)
    if not plan.stripe_product_id:
        call = outbox_call_now(
            operation="product.create",
            params={"name": f"Noaber {plan.name}", "metadata": {"plan": plan.code}},
            idempotency_key=_product_key(plan),
            on_result="plan_product_stored",
        )
        if call.status == OutboxCall.Status.DONE:
            plan_product_stored(call=call)  # also when the call was done before: same id again
        plan.refresh_from_db()
        if not plan.stripe_product_id:
            return PlanSync(plan.code, _state(call), _attempts(plan) - attempts_before)
    call = outbox_call_now(
        operation="price.create",
        params=_price_params(plan),
        idempotency_key=_price_key(plan),
        on_result="plan_price_stored",
    )
    if call.status == OutboxCall.Status.DONE:
        plan_price_stored(call=call)
    plan.refresh_from_db()
    return PlanSync(plan.code, _state(call), _attempts(plan) - attempts_before)


def _state(call: OutboxCall) -> str:
    return {"done": "done", "pending": "pending", "failed": "failed"}[call.status]


def _attempts(plan: Plan) -> int:
    keys = [_product_key(plan), _price_key(plan)]
    return sum(
        OutboxCall.objects.filter(idempotency_key__in=keys).values_list("attempts", flat=True)
    )


def _result(call: OutboxCall) -> dict[str, Any]:
    """The answer of a call that is done (on_result runs only for those)."""
    assert call.result is not None, f"outbox call {call.pk} has no result yet"
    result: dict[str, Any] = call.result
    return result


@outbox_result("plan_product_stored")
def plan_product_stored(*, call: OutboxCall) -> None:
    """on_result of product.create: keep the product id, then ask for the plan's price (after
    commit), so a product that only came through on a retry still gets its price."""
    code = call.params["metadata"]["plan"]
    product_id = _result(call)["id"]
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(code=code).first()
        if plan is None:
            return
        if plan.stripe_product_id != product_id:
            plan.stripe_product_id = product_id
            plan.save(update_fields=["stripe_product_id"])
        if not plan_is_free(plan=plan):
            outbox_enqueue(
                operation="price.create",
                params=_price_params(plan),
                idempotency_key=_price_key(plan),
                on_result="plan_price_stored",
            )


@outbox_result("plan_price_stored")
def plan_price_stored(*, call: OutboxCall) -> None:
    """on_result of price.create: the price becomes the plan's, unless the plan's amount has
    changed meanwhile (a late retry of an old amount never replaces a newer price)."""
    code = call.params["metadata"]["plan"]
    cents = int(call.params["unit_amount"])
    price_id = _result(call)["id"]
    Plan.objects.filter(code=code, monthly_price_cents=cents).exclude(
        stripe_price_id=price_id
    ).update(stripe_price_id=price_id)


# --- the cooperative's Stripe customer ---------------------------------------------------------


def stripe_customer_ensure(*, cooperative: Cooperative) -> Subscription:
    """The cooperative's one Stripe customer, created once through the outbox. The idempotency
    key is the schema, so a retry after a crash between Stripe's write and ours gets the same
    customer back. Raises StripeUnavailable while Stripe has not answered."""
    existing = Subscription.objects.filter(cooperative=cooperative).first()
    if existing is not None:
        return existing
    call = outbox_call_now(
        operation="customer.create",
        params={"name": cooperative.name, "metadata": {"schema": cooperative.schema_name}},
        idempotency_key=f"customer-{cooperative.schema_name}",
        cooperative=cooperative,
        on_result="customer_stored",
    )
    if call.status != OutboxCall.Status.DONE:
        raise StripeUnavailable(call.last_error)
    return customer_stored(call=call)


@outbox_result("customer_stored")
def customer_stored(*, call: OutboxCall) -> Subscription:
    """on_result of customer.create: the cooperative's Subscription row with the customer. Runs
    once when the call comes through (perhaps on a retry), and again harmlessly from
    stripe_customer_ensure."""
    subscription, _created = Subscription.objects.get_or_create(
        cooperative_id=call.cooperative_id, defaults={"stripe_customer_id": _result(call)["id"]}
    )
    return subscription


# --- what Stripe says about a subscription -----------------------------------------------------


def subscription_sync(*, stripe_subscription_id: str) -> Subscription | NetworkSubscription:
    """Copy Stripe's current subscription onto the cooperative's Subscription (or, for a
    network's customer, onto the network's). Saves only when something differs, so syncing
    twice changes nothing more."""
    remote = stripe_api.retrieve_subscription(stripe_subscription_id)
    if not Subscription.objects.filter(stripe_customer_id=remote["customer"]).exists():
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
    item, state = remote_state(remote=remote)
    status = state["status"]
    wanted: dict[str, Any] = {
        "stripe_subscription_id": remote["id"],
        "plan": plan_of_item(item=item),
        **state,
    }
    changed = {k: v for k, v in wanted.items() if getattr(subscription, k) != v}
    if not changed:
        return subscription
    before = subscription.status
    for name, value in changed.items():
        setattr(subscription, name, value)
    subscription.save()
    if "status" in changed:
        # Requests read the access level from a cache of one minute: drop it now.
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
    if subscription.status in ENDED or subscription.status == S.NONE:
        return True
    current = stripe_api.retrieve_subscription(current_id)
    if current["status"] in ENDED:
        return True
    return int(remote.get("created") or 0) >= int(current.get("created") or 0)


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
    _refuse_unless_choosable(cooperative=cooperative, plan=plan)
    try:
        subscription = stripe_customer_ensure(cooperative=cooperative)
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


def _refuse_unless_choosable(*, cooperative: Cooperative, plan: Plan) -> None:
    if not plan.active:
        raise field_error("plan", _("Deze abonnementsvorm bestaat niet meer."), "inactive")
    if plan_is_free(plan=plan):
        raise field_error(
            "plan",
            _("De pilot is gratis en hoeft u niet te kiezen: zonder abonnement gebruikt u hem."),
            "free",
        )
    if not plan.stripe_price_id:
        raise field_error(
            "plan", _("Deze abonnementsvorm is nog niet te koop. Probeer het later."), "not_ready"
        )
    if sponsorship_running(cooperative=cooperative) is not None:
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
        session = stripe_api.retrieve_checkout_session(_result(call)["id"])
    except stripe.StripeError:
        return True  # Stripe cannot say now; its first answer is the best we have
    return bool(session.get("status") == "open")


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
    return ChoiceOutcome(url=_result(call)["url"])


def _plan_change(*, subscription: Subscription, plan: Plan, actor_id: int | None) -> ChoiceOutcome:
    if subscription.plan_id == plan.pk:
        raise field_error("plan", _("Dit is al uw abonnementsvorm."), "same")
    stripe_subscription_id = subscription.stripe_subscription_id or ""
    try:
        remote = stripe_api.retrieve_subscription(stripe_subscription_id)
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
            "id": stripe_subscription_id,
            "items": [{"id": item_id, "price": plan.stripe_price_id}],
            "proration_behavior": "create_prorations",
            "metadata": {"schema": schema, "plan": plan.code},
        },
        idempotency_key=f"plan-change-{schema}-{stripe_subscription_id}-{plan.code}-{version}",
        cooperative=subscription.cooperative,
        on_result="plan_change_stored",
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


@outbox_result("plan_change_stored")
def plan_change_stored(*, call: OutboxCall) -> None:
    """on_result of a plan change: read the subscription back at once (the webhook follows)."""
    subscription_sync(stripe_subscription_id=_result(call)["id"])


# --- the customer portal -----------------------------------------------------------------------


def portal_start(*, cooperative: Cooperative, return_url: str) -> str:
    """A link to Stripe's customer portal (payment details, invoices, cancelling). Portal
    links are short-lived and create nothing to pay, so the key only joins clicks within the
    same minute. Returns "" while Stripe does not answer."""
    if sponsorship_running(cooperative=cooperative) is not None:
        raise field_error(
            None, _("Uw abonnement wordt door een netwerk betaald; hier valt niets te beheren."),
            "sponsored",
        )  # fmt: skip
    try:
        subscription = stripe_customer_ensure(cooperative=cooperative)
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
    return str(_result(call)["url"]) if call.status == OutboxCall.Status.DONE else ""


# --- Stripe tells us a Checkout ended ----------------------------------------------------------


def checkout_session_sync(*, session: dict[str, Any]) -> Subscription | NetworkSubscription | None:
    """A subscription Checkout completed: read its subscription from Stripe. The subscription's
    customer says which cooperative it is (never the session's metadata alone)."""
    if session.get("mode") != "subscription" or session.get("status") != "complete":
        return None
    subscription_id = session.get("subscription")
    if isinstance(subscription_id, dict):
        subscription_id = subscription_id.get("id")
    if not subscription_id:
        return None
    return subscription_sync(stripe_subscription_id=str(subscription_id))


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
