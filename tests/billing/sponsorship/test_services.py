"""A network (SAMEN030) pays the subscription of member cooperatives: one Stripe subscription
of the network whose quantity counts the sponsored cooperatives, changed through the outbox.
A sponsored cooperative's access follows the network's subscription; beta, not sponsored,
never follows it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from billing.access.selectors import cooperative_access
from billing.outbox.models import OutboxCall
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.sponsorship.selectors import network_subscription_for
from billing.sponsorship.services import network_quantity_push, sponsorship_end, sponsorship_start
from billing.subscriptions import services
from billing.subscriptions.models import Plan, Subscription
from tenants.models import Network
from tests.clients import logged_in_client
from tests.factories import MemberFactory, membership_make
from tests.stripe_standin import event_body, post_event


@pytest.fixture
def plan(db) -> Plan:
    Plan.objects.filter(code="tot150").update(stripe_product_id="prod_k", stripe_price_id="price_k")
    return Plan.objects.get(code="tot150")


@pytest.fixture
def samen030(alfa, beta) -> Network:
    network = Network.objects.create(name="SAMEN030", slug="samen030")
    membership_make(network, alfa.cooperative)
    membership_make(network, beta.cooperative)
    return network


def network_sub(network) -> NetworkSubscription:
    return NetworkSubscription.objects.get(network=network)


def start(network, coop, capture, plan=None) -> Sponsorship:
    with capture(execute=True):
        return sponsorship_start(
            network=network, cooperative=coop.cooperative, plan=plan, actor_id=None
        )


def test_a_sponsored_cooperative_has_full_use_while_the_network_pays(
    alfa, beta, plan, samen030, stripe_standin, django_capture_on_commit_callbacks
):
    start(samen030, alfa, django_capture_on_commit_callbacks, plan)

    [customer] = stripe_standin.created("customers")
    assert customer["metadata"] == {"network": "samen030"}
    [stripe_sub] = stripe_standin.created("subscriptions")
    assert stripe_sub["collection_method"] == "send_invoice"
    assert stripe_sub["quantity"] == 1 and stripe_sub["price"] == "price_k"
    billing = network_sub(samen030)
    assert (billing.status, billing.quantity) == ("active", 1)
    assert billing.stripe_subscription_id in stripe_standin.subscriptions
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    # No Stripe customer of alfa's own, nothing for beta.
    assert not Subscription.objects.exists()
    treasurer = MemberFactory(schema=alfa.schema, name="Penny", roles=["board_treasurer"])
    page = logged_in_client(alfa, member=treasurer).get("/abonnement/").content.decode()
    assert "Uw abonnement wordt betaald door SAMEN030" in page
    assert 'value="tot500"' not in page  # nothing to choose while the network pays
    api = logged_in_client(alfa, member=treasurer).get("/api/v1/billing/subscription/").json()
    assert (api["sponsored_by"], api["status"], api["plan"]["code"]) == (
        "SAMEN030", "active", "tot150",
    )  # fmt: skip


def test_the_quantity_follows_the_sponsorships(
    alfa, beta, plan, samen030, stripe_standin, django_capture_on_commit_callbacks
):
    start(samen030, alfa, django_capture_on_commit_callbacks, plan)
    start(samen030, beta, django_capture_on_commit_callbacks)
    sub_id = network_sub(samen030).stripe_subscription_id

    assert stripe_standin.subscriptions[sub_id]["quantity"] == 2
    assert network_sub(samen030).quantity == 2

    with django_capture_on_commit_callbacks(execute=True):
        sponsorship_end(cooperative=beta.cooperative, actor_id=None)

    assert stripe_standin.subscriptions[sub_id]["quantity"] == 1
    assert network_sub(samen030).quantity == 1
    assert len(stripe_standin.created("subscriptions")) == 1
    keys = list(
        OutboxCall.objects.filter(operation__startswith="subscription.")
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )
    assert keys == [
        "network-subscription-samen030", "network-quantity-samen030-1",
        "network-quantity-samen030-2",
    ]  # fmt: skip
    assert Sponsorship.objects.get(cooperative=beta.cooperative).ended_at is not None


def test_read_only_after_the_networks_subscription_is_canceled(
    alfa, beta, plan, samen030, stripe_standin, apex_client, django_capture_on_commit_callbacks
):
    start(samen030, alfa, django_capture_on_commit_callbacks, plan)
    sub_id = network_sub(samen030).stripe_subscription_id
    stripe_standin.subscriptions[sub_id]["status"] = "canceled"
    body = event_body(stripe_standin, event_id="evt_net_gone", kind="subscriptions",
                      event_type="customer.subscription.deleted", obj_id=sub_id)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body).status_code == 200

    assert network_sub(samen030).status == "canceled"
    assert cooperative_access(cooperative=alfa.cooperative) == "read_only"
    assert cooperative_access(cooperative=beta.cooperative) == "full"
    member = MemberFactory(schema=alfa.schema, name="Lid")
    refused = logged_in_client(alfa, member=member).post(
        "/api/v1/requests/", {"title": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "read_only"


def test_events_map_to_the_network_through_the_customers_metadata(
    alfa, beta, plan, samen030, stripe_standin, django_capture_on_commit_callbacks
):
    start(samen030, alfa, django_capture_on_commit_callbacks, plan)
    stripe_standin.customers["cus_by_hand"] = {"metadata": {"network": "samen030"}}

    assert network_subscription_for(customer_id="cus_by_hand") == network_sub(samen030)
    stripe_standin.customers["cus_other"] = {"metadata": {}}
    assert network_subscription_for(customer_id="cus_other") is None


def test_refusals_write_nothing(
    alfa, beta, plan, samen030, stripe_standin, django_capture_on_commit_callbacks
):
    outsider = Network.objects.create(name="500WIJK", slug="500wijk")
    with pytest.raises(ValidationError, match="hoort niet bij het netwerk"):
        start(outsider, alfa, django_capture_on_commit_callbacks, plan)

    # Beta pays its own subscription: not sponsored on top of it.
    services.stripe_customer_ensure(cooperative=beta.cooperative)
    customer = Subscription.objects.get(cooperative=beta.cooperative).stripe_customer_id
    stripe_standin.subscription("sub_beta", customer=customer, status="active", price="price_k")
    with transaction.atomic():
        services.subscription_sync(stripe_subscription_id="sub_beta")
    with pytest.raises(ValidationError, match="betaalt zelf een abonnement"):
        start(samen030, beta, django_capture_on_commit_callbacks, plan)

    Plan.objects.filter(pk=plan.pk).update(max_members=0)
    with pytest.raises(ValidationError, match="te veel voor"):
        start(samen030, alfa, django_capture_on_commit_callbacks, plan)

    assert not Sponsorship.objects.exists()
    assert not NetworkSubscription.objects.filter(network=outsider).exists()
    assert stripe_standin.created("subscriptions") == []


def test_after_a_cancelled_subscription_the_next_sponsorship_starts_a_new_one(
    alfa, beta, plan, samen030, stripe_standin, apex_client, django_capture_on_commit_callbacks
):
    start(samen030, alfa, django_capture_on_commit_callbacks, plan)
    old_id = network_sub(samen030).stripe_subscription_id
    stripe_standin.subscriptions[old_id]["status"] = "canceled"
    gone = event_body(stripe_standin, event_id="evt_net_cancel", kind="subscriptions",
                      event_type="customer.subscription.deleted", obj_id=old_id)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        post_event(apex_client, gone)
    assert cooperative_access(cooperative=alfa.cooperative) == "read_only"

    start(samen030, beta, django_capture_on_commit_callbacks)

    created = stripe_standin.created("subscriptions")
    assert len(created) == 2 and created[1]["quantity"] == 2  # alfa and beta
    billing = network_sub(samen030)
    assert billing.stripe_subscription_id != old_id
    assert (billing.status, billing.quantity) == ("active", 2)
    assert (
        cooperative_access(cooperative=alfa.cooperative)
        == cooperative_access(cooperative=beta.cooperative)
        == "full"
    )
    # A late event of the cancelled subscription changes nothing any more.
    late = event_body(stripe_standin, event_id="evt_net_late", kind="subscriptions",
                      event_type="customer.subscription.updated", obj_id=old_id)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        post_event(apex_client, late)
    assert network_sub(samen030).stripe_subscription_id == billing.stripe_subscription_id
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    # Asking for the quantity again makes no third subscription.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        network_quantity_push(
            network_subscription=NetworkSubscription.objects.select_for_update().get(pk=billing.pk)
        )
    assert len(stripe_standin.created("subscriptions")) == 2
