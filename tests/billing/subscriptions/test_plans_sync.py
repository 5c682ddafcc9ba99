"""Plans live in the database and are mirrored to Stripe (a product and a monthly price each)
through the outbox: once, with stable idempotency keys, so a rerun or a retry creates nothing
twice, and a changed price gets a new Stripe price. The free pilot is not at Stripe."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from billing.outbox.models import OutboxCall
from billing.subscriptions.models import Plan, Subscription


def sync() -> str:
    out = StringIO()
    call_command("billing_sync_plans", stdout=out, stderr=StringIO())
    return out.getvalue()


def posts(standin, path: str) -> list[str | None]:
    return [r.idempotency_key for r in standin.requests if r.method == "POST" and r.path == path]


PAID = ["onbeperkt", "tot150", "tot500"]


def test_the_default_plans_are_a_free_pilot_and_three_paid_sizes(alfa, beta):
    plans = {p.code: p for p in Plan.objects.all()}
    assert {
        code: (p.max_members, p.monthly_price_cents, p.currency, p.trial_days)
        for code, p in plans.items()
    } == {
        "pilot": (50, 0, "eur", 0),
        "tot150": (150, 1500, "eur", 30),
        "tot500": (500, 3500, "eur", 30),
        "onbeperkt": (None, 6000, "eur", 30),
    }
    assert all(p.active and not p.stripe_price_id for p in plans.values())


def test_sync_creates_one_product_and_one_monthly_price_per_paid_plan(stripe_standin, alfa, beta):
    output = sync()

    products = stripe_standin.created("products")
    prices = stripe_standin.created("prices")
    assert len(products) == 3 and len(prices) == 3
    assert sorted(posts(stripe_standin, "/v1/products")) == [f"plan-product-{c}" for c in PAID]
    assert sorted(posts(stripe_standin, "/v1/prices")) == [
        "plan-price-onbeperkt-6000", "plan-price-tot150-1500", "plan-price-tot500-3500",
    ]  # fmt: skip
    by_plan = {p["metadata"]["plan"]: p for p in prices}
    assert by_plan["tot150"]["unit_amount"] == 1500
    assert by_plan["tot150"]["currency"] == "eur"
    assert by_plan["tot150"]["recurring"] == {"interval": "month"}
    for plan in Plan.objects.exclude(code="pilot"):
        assert plan.stripe_product_id.startswith("prod_standin")
        assert plan.stripe_price_id.startswith("price_standin")
        assert stripe_standin.prices[plan.stripe_price_id]["product"] == plan.stripe_product_id
    pilot = Plan.objects.get(code="pilot")
    assert (pilot.stripe_product_id, pilot.stripe_price_id) == ("", "")
    assert "pilot: gratis, niet bij Stripe" in output
    # Plans are the platform's: no cooperative got a Stripe customer from this.
    assert not Subscription.objects.exists()


def test_running_the_sync_again_makes_no_call_to_stripe(stripe_standin, alfa, beta):
    sync()
    ids = dict(Plan.objects.values_list("code", "stripe_price_id"))
    requests = len(stripe_standin.requests)

    sync()

    assert len(stripe_standin.requests) == requests
    assert dict(Plan.objects.values_list("code", "stripe_price_id")) == ids
    assert len(stripe_standin.created("prices")) == 3


def test_a_changed_price_gets_a_new_stripe_price_and_keeps_the_product(stripe_standin, alfa):
    sync()
    plan = Plan.objects.get(code="tot150")
    old_price, product = plan.stripe_price_id, plan.stripe_product_id
    Plan.objects.filter(pk=plan.pk).update(monthly_price_cents=1900)

    sync()

    plan.refresh_from_db()
    assert plan.stripe_product_id == product
    assert plan.stripe_price_id != old_price
    assert stripe_standin.prices[plan.stripe_price_id]["unit_amount"] == 1900
    assert posts(stripe_standin, "/v1/prices").count("plan-price-tot150-1900") == 1
    assert len(stripe_standin.created("products")) == 3
    assert len(stripe_standin.created("prices")) == 4


def test_a_lost_answer_is_retried_with_the_same_key_and_creates_one_price(
    stripe_standin, alfa, beta
):
    # Stripe makes the first price, but the answer never arrives; the outbox's retry (Celery,
    # inline here) asks again with the same key and gets the first price back.
    stripe_standin.fail_next("/v1/prices", times=1, after_write=True)

    sync()

    assert len(stripe_standin.created("prices")) == 3
    keys = posts(stripe_standin, "/v1/prices")
    assert len(keys) == 4
    first = keys[0]
    assert keys.count(first) == 2
    call = OutboxCall.objects.get(idempotency_key=first)
    assert (call.status, call.attempts) == ("done", 2)
    code = call.params["metadata"]["plan"]
    assert Plan.objects.get(code=code).stripe_price_id == call.result["id"]


def test_stripe_away_leaves_the_plan_pending_and_a_rerun_finishes_it(
    stripe_standin, alfa, monkeypatch
):
    from billing import tasks

    # No inline retry: the broker would run it later.
    monkeypatch.setattr(tasks.run_outbox_call, "apply_async", lambda **kwargs: None)
    stripe_standin.fail_next("/v1/products", times=1)

    first = sync()

    assert "Stripe antwoordt niet" in first
    assert Plan.objects.filter(stripe_price_id="").exclude(code="pilot").count() == 1

    sync()

    assert Plan.objects.filter(stripe_price_id="").exclude(code="pilot").count() == 0
    assert len(stripe_standin.created("products")) == 3
    assert len(stripe_standin.created("prices")) == 3
