"""No Stripe event is lost: a correctly signed event (signed by the stripe library's own code,
posted through the real test client to the apex's webhook) is stored and answered with 200
whatever happens to its processing; processing is a Celery task retried while Stripe is away;
a redelivery of an event stored but not processed starts it again; the sweep finds those left
behind (the broker was down). A signature dated in the future is refused like a stale one. Both
cooperatives have a Stripe customer: an event for alfa never touches beta."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from billing.subscriptions import services as subscriptions
from billing.subscriptions.models import Subscription
from billing.tasks import process_stripe_event, sweep_stripe_events
from billing.webhooks.models import StripeEvent
from noaber.celery import app
from tests.stripe_standin import SECRET, event_body, post_event, signature

SUB_PATH = "/v1/subscriptions/sub_alfa"


@pytest.fixture
def customers(stripe_standin, alfa, beta, plans) -> dict[str, str]:
    """A Stripe customer per cooperative, and alfa's subscription to the small plan at Stripe."""
    ids = {
        coop.cooperative.slug: subscriptions.stripe_customer_ensure(
            cooperative=coop.cooperative
        ).stripe_customer_id
        for coop in (alfa, beta)
    }
    stripe_standin.subscription("sub_alfa", customer=ids["alfa"], status="active",
                                price="price_klein")  # fmt: skip
    return ids


@pytest.fixture
def retries_inline():
    """Celery runs a task's retries inline, one after the other, as a worker would with its
    back-off (eager mode runs them only when it does not pass the first failure on)."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def body_for(standin, event_id: str, obj_id: str = "sub_alfa") -> str:
    return event_body(standin, event_id=event_id, event_type="customer.subscription.updated",
                      kind="subscriptions", obj_id=obj_id)  # fmt: skip


def status_of(coop) -> str:
    return Subscription.objects.get(cooperative=coop.cooperative).status


def reads(standin, path: str = SUB_PATH) -> int:
    return sum(1 for r in standin.requests if r.method == "GET" and r.path == path)


def test_processing_that_fails_answers_200_and_is_retried_until_done(
    stripe_standin, customers, alfa, beta, apex_client, retries_inline,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Stripe answers 500 to the first three reads of the subscription: the task retries (inline
    here, without a broker; back-off between tries on a worker) and the fourth try applies it."""
    stripe_standin.fail_next(SUB_PATH, times=3, method="GET")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_event(apex_client, body_for(stripe_standin, "evt_flaky"))

    assert response.status_code == 200
    assert len(callbacks) == 1
    event = StripeEvent.objects.get(event_id="evt_flaky")
    assert event.processed_at is not None
    assert (event.attempts, event.error, event.failed_at) == (4, "", None)
    assert reads(stripe_standin) == 4
    assert status_of(alfa) == "active"
    assert status_of(beta) == ""


def test_processing_that_fails_in_the_request_answers_200_and_a_redelivery_processes_it(
    stripe_standin, customers, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    """Without a broker the task runs in the request, and its first failure ends that try
    (its retry would need a worker): still 200, and the event is kept for the redelivery."""
    stripe_standin.fail_next(SUB_PATH, times=100, method="GET")
    body = body_for(stripe_standin, "evt_away")

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(apex_client, body)

    assert first.status_code == 200
    event = StripeEvent.objects.get(event_id="evt_away")
    assert (event.processed_at, event.failed_at, event.attempts) == (None, None, 1)
    assert "APIError" in event.error
    assert reads(stripe_standin) == 1
    assert status_of(alfa) == ""

    # Stripe is back and redelivers the event.
    stripe_standin.failures.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = post_event(apex_client, body)

    assert again.status_code == 200
    assert len(callbacks) == 1
    assert StripeEvent.objects.filter(event_id="evt_away").count() == 1
    event.refresh_from_db()
    assert event.processed_at is not None
    assert (event.attempts, event.error) == (2, "")
    assert status_of(alfa) == "active"
    assert status_of(beta) == ""


def test_an_event_whose_retries_are_spent_is_finished_by_the_sweep(
    stripe_standin, customers, alfa, beta, apex_client, retries_inline,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    stripe_standin.fail_next(SUB_PATH, times=100, method="GET")

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body_for(stripe_standin, "evt_long")).status_code == 200

    event = StripeEvent.objects.get(event_id="evt_long")
    tries = process_stripe_event.max_retries + 1
    assert (event.processed_at, event.failed_at, event.attempts) == (None, None, tries)
    assert reads(stripe_standin) == tries

    stripe_standin.failures.clear()
    assert sweep_stripe_events() == 0  # tried a moment ago: its retries may still be under way
    StripeEvent.objects.filter(pk=event.pk).update(
        attempted_at=timezone.now() - timedelta(minutes=16)
    )
    assert sweep_stripe_events() == 1

    event.refresh_from_db()
    assert event.processed_at is not None
    assert event.attempts == tries + 1
    assert (status_of(alfa), status_of(beta)) == ("active", "")


def test_a_redelivery_of_an_event_that_failed_for_good_tries_it_again(
    stripe_standin, customers, alfa, apex_client, django_capture_on_commit_callbacks
):
    """Stripe did not know the subscription (404: retrying will not help, so the sweep leaves
    it); once it exists, Stripe's redelivery applies it."""
    body = body_for(stripe_standin, "evt_later", obj_id="sub_later")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body).status_code == 200
    event = StripeEvent.objects.get(event_id="evt_later")
    assert event.processed_at is None
    assert event.failed_at is not None
    assert "No such subscription" in event.error
    assert event.attempts == 1

    stripe_standin.subscription("sub_later", customer=customers["alfa"], status="trialing",
                                price="price_klein")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body).status_code == 200

    event.refresh_from_db()
    assert event.processed_at is not None
    assert (event.failed_at, event.error, event.attempts) == (None, "", 2)
    assert status_of(alfa) == "trialing"


def test_with_the_broker_down_the_event_is_stored_with_200_and_the_sweep_processes_it(
    stripe_standin, customers, alfa, beta, apex_client, celery_broker_down,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_event(apex_client, body_for(stripe_standin, "evt_nobroker"))

    assert response.status_code == 200
    assert len(callbacks) == 1  # queueing was tried, and failed
    event = StripeEvent.objects.get(event_id="evt_nobroker")
    assert (event.processed_at, event.attempts) == (None, 0)
    assert reads(stripe_standin) == 0
    assert status_of(alfa) == ""

    # The broker is back (tasks run inline again). A fresh event is left to its own task...
    celery_broker_down.conf.update(task_always_eager=True)
    assert sweep_stripe_events() == 0
    assert reads(stripe_standin) == 0
    # ...one received more than two minutes ago is taken by the sweep.
    StripeEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - timedelta(minutes=3)
    )
    assert sweep_stripe_events() == 1

    event.refresh_from_db()
    assert event.processed_at is not None
    assert event.attempts == 1
    assert status_of(alfa) == "active"
    assert status_of(beta) == ""
    assert sweep_stripe_events() == 0  # processed: left alone


def test_the_sweep_takes_only_the_events_left_behind(stripe_standin, customers, alfa, beta):
    """Never tried and older than two minutes, or tried last more than fifteen minutes ago
    (its retries spent): started again. A fresh one, one whose retries are under way, one that
    failed for good and a processed one: left alone."""
    stripe_standin.subscription("sub_beta", customer=customers["beta"], status="past_due",
                                price="price_groot")  # fmt: skip
    now = timezone.now()

    def stored(event_id: str, obj_id: str, **fields) -> StripeEvent:
        event = StripeEvent.objects.create(
            event_id=event_id, type="customer.subscription.updated", object_id=obj_id,
            created=now, **fields,
        )  # fmt: skip
        StripeEvent.objects.filter(pk=event.pk).update(received_at=now - timedelta(hours=1))
        return event

    never_tried = stored("evt_never", "sub_alfa")
    spent = stored("evt_spent", "sub_beta", attempts=11, attempted_at=now - timedelta(minutes=20))
    stored("evt_retrying", "sub_beta", attempts=3, attempted_at=now - timedelta(minutes=5))
    stored("evt_failed", "sub_nowhere", attempts=1, attempted_at=now - timedelta(hours=1),
           failed_at=now - timedelta(hours=1), error="InvalidRequestError")  # fmt: skip
    stored("evt_done", "sub_alfa", attempts=1, processed_at=now - timedelta(hours=1))
    fresh = StripeEvent.objects.create(
        event_id="evt_fresh", type="customer.subscription.updated", object_id="sub_alfa",
        created=now,
    )  # fmt: skip

    assert sweep_stripe_events() == 2

    processed = StripeEvent.objects.exclude(processed_at=None).values_list("event_id", flat=True)
    assert sorted(processed) == ["evt_done", "evt_never", "evt_spent"]
    assert [r.path for r in stripe_standin.requests if r.method == "GET"] == [
        SUB_PATH, "/v1/subscriptions/sub_beta",
    ]  # fmt: skip
    assert (status_of(alfa), status_of(beta)) == ("active", "past_due")
    never_tried.refresh_from_db()
    spent.refresh_from_db()
    fresh.refresh_from_db()
    assert (never_tried.attempts, spent.attempts, fresh.attempts) == (1, 12, 0)


def test_the_sweep_runs_every_five_minutes_under_its_registered_name():
    entry = settings.CELERY_BEAT_SCHEDULE["billing-stripe-events-sweep"]
    assert entry["task"] == "billing.tasks.sweep_stripe_events"
    assert entry["task"] in app.tasks
    assert sweep_stripe_events.name == entry["task"]
    assert len(entry["schedule"].minute) == 12


@pytest.mark.parametrize("ahead", [301, 3600, 86400 * 365])
def test_a_signature_dated_in_the_future_answers_400_and_stores_nothing(
    stripe_standin, customers, alfa, apex_client, django_capture_on_commit_callbacks, ahead
):
    body = body_for(stripe_standin, "evt_future")
    header = signature(body, SECRET, timestamp=int(time.time()) + ahead)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = apex_client.post(
            "/api/v1/billing/stripe/webhook/", data=body, content_type="application/json",
            HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_STRIPE_SIGNATURE=header,
        )  # fmt: skip

    assert response.status_code == 400
    assert callbacks == []
    assert not StripeEvent.objects.exists()
    assert reads(stripe_standin) == 0
    assert status_of(alfa) == ""


def test_a_signature_a_little_ahead_of_our_clock_is_accepted(
    stripe_standin, customers, alfa, apex_client, django_capture_on_commit_callbacks
):
    """Clocks differ a little: within the tolerance (five minutes) either way is fine."""
    body = body_for(stripe_standin, "evt_skew")
    header = signature(body, SECRET, timestamp=int(time.time()) + 60)

    with django_capture_on_commit_callbacks(execute=True):
        response = apex_client.post(
            "/api/v1/billing/stripe/webhook/", data=body, content_type="application/json",
            HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_STRIPE_SIGNATURE=header,
        )  # fmt: skip

    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id="evt_skew").processed_at is not None
    assert status_of(alfa) == "active"
