"""Stripe webhooks on the apex domain: events signed with the stripe library's own code are
posted to the real view; processing runs inline and reads the current object from a local
stand-in for the Stripe API. Both cooperatives have a Stripe customer in every test, and an
event for one never touches the other."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django_tenants.utils import schema_context

from billing.subscriptions import services as subscriptions
from billing.subscriptions.models import Subscription
from billing.webhooks import services
from billing.webhooks.models import StripeEvent
from billing.webhooks.views import stripe_webhook
from shared.audit.models import AuditEntry
from tests.stripe_standin import event_body, running_standin, signature

SECRET = "whsec_standin_test"


START = 1_790_000_000  # 2026-09-22


END = START + 30 * 86400


WEBHOOK = "/api/v1/billing/stripe/webhook/"


@pytest.fixture
def standin(settings, alfa, beta):
    """The stand-in, Stripe settings pointing at it, and a Stripe customer per cooperative."""
    with running_standin() as standin:
        settings.STRIPE_API_BASE = standin.base
        settings.STRIPE_SECRET_KEY = "sk_test_standin"
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        for coop in (alfa, beta):
            subscriptions.stripe_customer_ensure(cooperative=coop.cooperative)
        yield standin


def customer(coop) -> str:
    return Subscription.objects.get(cooperative=coop.cooperative).stripe_customer_id


def post(body: str, header: str | None, settings) -> int:
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}
    request = RequestFactory().post(
        WEBHOOK, data=body, content_type="application/json",
        HTTP_HOST=settings.PLATFORM_DOMAIN, **extra,
    )  # fmt: skip
    return stripe_webhook(request).status_code


def send(standin, settings, capture, *, event_id, event_type="customer.subscription.updated",
         kind="subscriptions", obj_id="sub_alfa", **kwargs) -> int:  # fmt: skip
    body = event_body(
        standin, event_id=event_id, event_type=event_type, kind=kind, obj_id=obj_id, **kwargs
    )
    with capture(execute=True):
        return post(body, signature(body, SECRET), settings)


def snapshot(coop) -> dict:
    return Subscription.objects.filter(cooperative=coop.cooperative).values().get()


def stripe_gets(standin) -> list[str]:
    return [r.path for r in standin.requests if r.method == "GET"]


def at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


# --- customers ---------------------------------------------------------------------------------


def test_each_cooperative_gets_one_stripe_customer_carrying_its_schema(standin, alfa, beta):
    again = subscriptions.stripe_customer_ensure(cooperative=alfa.cooperative)

    assert again.stripe_customer_id == customer(alfa)
    assert customer(alfa) != customer(beta)
    posts = [(r.path, r.idempotency_key) for r in standin.requests if r.method == "POST"]
    assert posts == [
        ("/v1/customers", "customer-coop_alfa"),
        ("/v1/customers", "customer-coop_beta"),
    ]
    assert standin.customers[customer(alfa)]["metadata"] == {"schema": "coop_alfa"}
    assert standin.customers[customer(beta)]["metadata"] == {"schema": "coop_beta"}
    assert Subscription.objects.get(cooperative=alfa.cooperative).status == ""


# --- signature and timestamp -------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "t=1790000000,v1=deadbeef",
        "geen-handtekening",
        "wrong-secret",
    ],
)
def test_a_bad_signature_answers_400_and_stores_nothing(
    standin, settings, alfa, beta, plans, django_capture_on_commit_callbacks, header
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="active", price="price_klein")
    body = event_body(standin, event_id="evt_bad", event_type="customer.subscription.created",
                      kind="subscriptions", obj_id="sub_alfa")  # fmt: skip
    if header == "wrong-secret":
        header = signature(body, "whsec_someone_else")
    before = (snapshot(alfa), snapshot(beta))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post(body, header, settings) == 400

    assert callbacks == []
    assert StripeEvent.objects.count() == 0
    assert stripe_gets(standin) == []
    assert (snapshot(alfa), snapshot(beta)) == before


def test_a_body_changed_after_signing_answers_400(standin, settings, alfa, plans):
    standin.subscription("sub_alfa", customer=customer(alfa), status="active", price="price_klein")
    body = event_body(standin, event_id="evt_changed", event_type="customer.subscription.created",
                      kind="subscriptions", obj_id="sub_alfa")  # fmt: skip
    header = signature(body, SECRET)

    assert post(body.replace("evt_changed", "evt_other"), header, settings) == 400
    assert StripeEvent.objects.count() == 0


def test_a_stale_timestamp_answers_400_even_when_correctly_signed(
    standin, settings, alfa, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="active", price="price_klein")
    body = event_body(standin, event_id="evt_old", event_type="customer.subscription.created",
                      kind="subscriptions", obj_id="sub_alfa")  # fmt: skip
    stale = int(time.time()) - 301  # the library's tolerance is 300 seconds

    with django_capture_on_commit_callbacks(execute=True):
        assert post(body, signature(body, SECRET, timestamp=stale), settings) == 400

    assert StripeEvent.objects.count() == 0
    assert snapshot(alfa)["status"] == ""


def test_only_post_is_allowed(standin, settings):
    request = RequestFactory().get(WEBHOOK, HTTP_HOST=settings.PLATFORM_DOMAIN)
    assert stripe_webhook(request).status_code == 405
    assert StripeEvent.objects.count() == 0


# --- processing --------------------------------------------------------------------------------


def test_a_signed_event_is_stored_and_the_subscription_takes_stripes_current_state(
    standin, settings, alfa, beta, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="active",
                         price="price_klein", period_start=START, period_end=END)  # fmt: skip
    created = int(time.time()) - 5

    status = send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_1",
                  event_type="customer.subscription.created", created=created)  # fmt: skip

    assert status == 200
    event = StripeEvent.objects.get()
    assert (event.event_id, event.type, event.object_id) == (
        "evt_1", "customer.subscription.created", "sub_alfa",
    )  # fmt: skip
    assert event.created == at(created)
    assert event.processed_at is not None
    assert event.error == ""
    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert sub.stripe_subscription_id == "sub_alfa"
    assert sub.status == "active"
    assert sub.plan == plans["klein"]
    assert sub.current_period_start == at(START)
    assert sub.current_period_end == at(END)
    assert sub.grace_until is None
    assert stripe_gets(standin) == ["/v1/subscriptions/sub_alfa"]
    # Every read goes to Stripe without an idempotency key; writes carry one (see above).
    assert [r.idempotency_key for r in standin.requests if r.method == "GET"] == [None]
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="billing.subscription_status")
        assert entry.summary == "Abonnement: - → active"
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action="billing.subscription_status").exists()


def test_a_repeated_event_is_stored_once_and_processed_once(
    standin, settings, alfa, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="active",
                         price="price_klein", period_start=START, period_end=END)  # fmt: skip
    body = event_body(standin, event_id="evt_twice", event_type="customer.subscription.created",
                      kind="subscriptions", obj_id="sub_alfa")  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True) as first:
        assert post(body, signature(body, SECRET), settings) == 200
    after_first = snapshot(alfa)
    with django_capture_on_commit_callbacks(execute=True) as second:
        assert post(body, signature(body, SECRET), settings) == 200

    assert len(first) == 1
    assert second == []
    assert StripeEvent.objects.filter(event_id="evt_twice").count() == 1
    assert stripe_gets(standin) == ["/v1/subscriptions/sub_alfa"]
    assert snapshot(alfa) == after_first
    with schema_context(alfa.schema):
        assert AuditEntry.objects.filter(action="billing.subscription_status").count() == 1


def test_processing_an_event_again_changes_nothing_more(
    standin, settings, alfa, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="past_due",
                         price="price_groot", period_start=START, period_end=END)  # fmt: skip
    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_p")
    after = snapshot(alfa)

    services.stripe_event_process(event_id="evt_p")  # already processed: not even a call to Stripe
    assert stripe_gets(standin) == ["/v1/subscriptions/sub_alfa"]
    subscriptions.subscription_sync(stripe_subscription_id="sub_alfa")  # same state: no save

    assert snapshot(alfa) == after
    assert after["updated_at"] == snapshot(alfa)["updated_at"]
    with schema_context(alfa.schema):
        assert AuditEntry.objects.filter(action="billing.subscription_status").count() == 1


def test_two_deliveries_at_once_have_one_effect(standin, settings, monkeypatch):
    """Two threads, each with its own connection and transaction, store the same event at the
    same moment: the second insert waits for the first to commit, then does nothing, and one
    row is stored. The second delivery finds the event not yet processed (the queue here runs
    nothing), so it starts processing again, as a redelivery should; processing locks the
    row and skips a processed event, so the effect is still once (see the test above). (The
    threads' rows are committed, so they are removed after.)"""
    from billing import tasks

    queued: list[str] = []
    monkeypatch.setattr(tasks.process_stripe_event, "delay", lambda **kw: queued.append(kw))
    inserted: list[bool] = []
    errors: list[str] = []
    both_inserting = threading.Barrier(2, timeout=30)
    first_holds = threading.Event()

    def deliver(n: int) -> None:
        try:
            with transaction.atomic():
                both_inserting.wait()
                if n == 1:
                    first_holds.wait(timeout=10)  # the second insert runs into the first's row
                inserted.append(
                    services.stripe_event_record(
                        event_id="evt_race", event_type="invoice.paid", object_id="in_race",
                        created=START,
                    )
                )  # fmt: skip
                if n == 0:
                    first_holds.set()
                    time.sleep(0.3)  # still uncommitted while the other thread inserts
        except Exception as error:  # reported below, so a thread never fails silently
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert sorted(inserted) == [False, True]
        assert queued == [{"event_id": "evt_race"}, {"event_id": "evt_race"}]
    finally:
        cleanup = threading.Thread(target=_delete_committed_event, args=("evt_race",))
        cleanup.start()
        cleanup.join()
    # The test's own transaction never saw the threads' rows (it started before they committed
    # and is READ COMMITTED, so it may see them now; after the cleanup it does not).
    assert StripeEvent.objects.filter(event_id="evt_race").count() == 0


def _delete_committed_event(event_id: str) -> None:
    try:
        StripeEvent.objects.filter(event_id=event_id).delete()
    finally:
        connection.close()


def test_updated_before_created_ends_in_what_stripe_says_now(
    standin, settings, alfa, plans, django_capture_on_commit_callbacks
):
    # Stripe now: the subscription moved on to the large plan and its payment is late.
    standin.subscription("sub_alfa", customer=customer(alfa), status="past_due",
                         price="price_groot", period_start=START, period_end=END)  # fmt: skip
    now = int(time.time())
    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_upd",
         created=now - 10, snapshot={"status": "active"})  # fmt: skip
    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_crt",
         event_type="customer.subscription.created", created=now - 60,
         snapshot={"status": "incomplete"})  # fmt: skip

    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.status, sub.plan, sub.current_period_end) == ("past_due", plans["groot"], at(END))
    assert sub.grace_until == at(START) + timedelta(days=7)
    assert list(StripeEvent.objects.order_by("received_at").values_list("event_id", flat=True)) == [
        "evt_upd", "evt_crt",
    ]  # fmt: skip
    assert StripeEvent.objects.filter(processed_at__isnull=True).count() == 0


def test_an_invoice_event_syncs_the_invoices_subscription(
    standin, settings, alfa, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_alfa", customer=customer(alfa), status="past_due",
                         price="price_klein", period_start=START, period_end=END)  # fmt: skip
    standin.invoices["in_alfa"] = {"customer": customer(alfa), "subscription": "sub_alfa"}

    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_inv",
         event_type="invoice.payment_failed", kind="invoices", obj_id="in_alfa")  # fmt: skip

    assert stripe_gets(standin) == ["/v1/invoices/in_alfa", "/v1/subscriptions/sub_alfa"]
    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.status, sub.grace_until) == ("past_due", at(START + 7 * 86400))
    assert StripeEvent.objects.get(event_id="evt_inv").processed_at is not None


def test_an_event_for_alfas_customer_never_changes_beta(
    standin, settings, alfa, beta, plans, django_capture_on_commit_callbacks
):
    standin.subscription("sub_beta", customer=customer(beta), status="active",
                         price="price_groot", period_start=START, period_end=END)  # fmt: skip
    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_b1",
         obj_id="sub_beta")  # fmt: skip
    beta_before = snapshot(beta)
    standin.subscription("sub_alfa", customer=customer(alfa), status="canceled",
                         price="price_klein", period_start=START, period_end=END)  # fmt: skip

    # Even an event whose (untrusted) payload names beta's customer follows Stripe's object.
    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_a1",
         event_type="customer.subscription.deleted",
         snapshot={"customer": customer(beta)})  # fmt: skip

    assert snapshot(beta) == beta_before
    assert beta_before["status"] == "active"
    assert snapshot(alfa)["status"] == "canceled"
    assert snapshot(alfa)["stripe_subscription_id"] == "sub_alfa"


def test_a_customer_made_outside_the_app_is_found_by_the_schema_in_its_metadata(
    standin, settings, alfa, beta, plans, django_capture_on_commit_callbacks
):
    Subscription.objects.filter(cooperative=alfa.cooperative).delete()
    standin.customers["cus_by_hand"] = {"metadata": {"schema": "coop_alfa"}}
    standin.subscription("sub_hand", customer="cus_by_hand", status="trialing",
                         price="price_klein", period_start=START, period_end=END)  # fmt: skip
    beta_before = snapshot(beta)

    send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_hand",
         event_type="customer.subscription.created", obj_id="sub_hand")  # fmt: skip

    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.stripe_customer_id, sub.status, sub.plan) == (
        "cus_by_hand", "trialing", plans["klein"],
    )  # fmt: skip
    assert snapshot(beta) == beta_before


@pytest.mark.parametrize(
    ("customer_state", "error_part"),
    [
        ({"metadata": {}}, "UnknownCustomer('cus_stray')"),
        ({"metadata": {"schema": "coop_gone"}}, "UnknownCustomer('cus_stray')"),
        # beta already has its own Stripe customer: never moved to another one.
        ({"metadata": {"schema": "coop_beta"}}, "coop_beta heeft al een andere Stripe-klant"),
    ],
)
def test_an_event_for_a_customer_of_no_cooperative_changes_nothing_and_keeps_the_error(
    standin, settings, alfa, beta, plans, django_capture_on_commit_callbacks,
    customer_state, error_part,
):  # fmt: skip
    standin.customers["cus_stray"] = customer_state
    standin.subscription("sub_stray", customer="cus_stray", status="active", price="price_groot")
    before = (snapshot(alfa), snapshot(beta), Subscription.objects.count())

    status = send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_stray",
                  obj_id="sub_stray")  # fmt: skip

    assert status == 200
    assert (snapshot(alfa), snapshot(beta), Subscription.objects.count()) == before
    event = StripeEvent.objects.get(event_id="evt_stray")
    assert event.processed_at is None
    assert error_part in event.error


def test_an_object_stripe_does_not_know_keeps_stripes_error_on_the_event(
    standin, settings, alfa, django_capture_on_commit_callbacks
):
    before = snapshot(alfa)

    status = send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_gone",
                  obj_id="sub_nowhere")  # fmt: skip

    assert status == 200
    event = StripeEvent.objects.get(event_id="evt_gone")
    assert event.processed_at is None
    assert "No such subscription: 'sub_nowhere'" in event.error
    assert snapshot(alfa) == before


def test_an_event_of_another_kind_is_stored_and_marked_processed_without_calls(
    standin, settings, alfa, django_capture_on_commit_callbacks
):
    status = send(standin, settings, django_capture_on_commit_callbacks, event_id="evt_plan",
                  event_type="plan.created", kind="customers", obj_id="price_x")  # fmt: skip

    assert status == 200
    assert StripeEvent.objects.get(event_id="evt_plan").processed_at is not None
    assert stripe_gets(standin) == []
