"""Plans: kept in the database (billing.Plan), mirrored to Stripe as one product and one
recurring monthly price each, through the outbox.

The free pilot is not mirrored and has no Stripe subscription at all. A EUR 0 subscription
would bring a Stripe customer, a Checkout, monthly EUR 0 invoices and webhooks for nothing,
and a starting group without a treasurer would have to go through Stripe's pages first. The
access layer already treats "no subscription yet" as full use (billing.access.selectors), so
the pilot is simply that state, and its plan row says up to how many members it is meant for.
A cooperative that grows beyond it sees a notice on /abonnement/ and picks a paid plan there;
members are never blocked for it.

Stripe prices are immutable: a changed monthly price gets a new Stripe price (the idempotency
key carries the amount), and subscriptions on the old price keep it until they change plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import schema_context

from billing.outbox.models import OutboxCall
from billing.outbox.services import outbox_call_now, outbox_enqueue
from billing.subscriptions.models import Plan
from tenants.models import Cooperative


def plan_is_free(plan: Plan) -> bool:
    return plan.monthly_price_cents == 0


def plan_fits(*, plan: Plan, members: int) -> bool:
    """Is the plan big enough for this many members? (No limit: always.)"""
    return plan.max_members is None or members <= plan.max_members


def plan_pilot() -> Plan | None:
    """The free plan a cooperative without a subscription is on."""
    return Plan.objects.filter(active=True, monthly_price_cents=0).order_by("code").first()


def member_count(*, cooperative: Cooperative) -> int:
    """Active members of the cooperative, counted in its own schema."""
    from cooperatives.settlement import Member

    with schema_context(cooperative.schema_name):
        return Member.objects.filter(status=Member.Status.ACTIVE).count()


def _product_key(plan: Plan) -> str:
    return f"plan-product-{plan.code}"


def _price_key(plan: Plan) -> str:
    return f"plan-price-{plan.code}-{plan.monthly_price_cents}"


def _price_params(plan: Plan) -> dict:
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
    if plan_is_free(plan):
        return PlanSync(plan.code, "free")
    attempts_before = _attempts(plan)
    if not plan.stripe_product_id:
        call = outbox_call_now(
            operation="product.create",
            params={"name": f"Noaber {plan.name}", "metadata": {"plan": plan.code}},
            idempotency_key=_product_key(plan),
            on_result="billing.subscriptions.plans.plan_product_stored",
        )
        if call.status == OutboxCall.Status.DONE:
            plan_product_stored(call)  # also when the call was done before: same id again
        plan.refresh_from_db()
        if not plan.stripe_product_id:
            return PlanSync(plan.code, _state(call), _attempts(plan) - attempts_before)
    call = outbox_call_now(
        operation="price.create",
        params=_price_params(plan),
        idempotency_key=_price_key(plan),
        on_result="billing.subscriptions.plans.plan_price_stored",
    )
    if call.status == OutboxCall.Status.DONE:
        plan_price_stored(call)
    plan.refresh_from_db()
    return PlanSync(plan.code, _state(call), _attempts(plan) - attempts_before)


def _state(call: OutboxCall) -> str:
    return {"done": "done", "pending": "pending", "failed": "failed"}[call.status]


def _attempts(plan: Plan) -> int:
    keys = [_product_key(plan), _price_key(plan)]
    return sum(
        OutboxCall.objects.filter(idempotency_key__in=keys).values_list("attempts", flat=True)
    )


def plan_product_stored(call: OutboxCall) -> None:
    """on_result of product.create: keep the product id, then ask for the plan's price (after
    commit), so a product that only came through on a retry still gets its price."""
    code = call.params["metadata"]["plan"]
    with transaction.atomic():
        plan = Plan.objects.select_for_update().filter(code=code).first()
        if plan is None:
            return
        if plan.stripe_product_id != call.result["id"]:
            plan.stripe_product_id = call.result["id"]
            plan.save(update_fields=["stripe_product_id"])
        if not plan_is_free(plan):
            outbox_enqueue(
                operation="price.create",
                params=_price_params(plan),
                idempotency_key=_price_key(plan),
                on_result="billing.subscriptions.plans.plan_price_stored",
            )


def plan_price_stored(call: OutboxCall) -> None:
    """on_result of price.create: the price becomes the plan's, unless the plan's amount has
    changed meanwhile (a late retry of an old amount never replaces a newer price)."""
    code = call.params["metadata"]["plan"]
    cents = int(call.params["unit_amount"])
    Plan.objects.filter(code=code, monthly_price_cents=cents).exclude(
        stripe_price_id=call.result["id"]
    ).update(stripe_price_id=call.result["id"])
