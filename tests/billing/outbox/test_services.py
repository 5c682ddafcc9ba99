"""The outbox makes every Stripe write exactly once: a failed call (before Stripe wrote, or
after, with the answer lost) is retried with the same idempotency key and leaves one object at
Stripe; a refusal is not retried; the sweep restarts a forgotten call and leaves a done one
alone; two workers on one call make one request. Alfa's calls never give beta anything."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from billing.outbox.models import OutboxCall
from billing.outbox.services import (
    OutboxRetry,
    StripeUnavailable,
    outbox_call_now,
    outbox_enqueue,
    outbox_run,
)
from billing.subscriptions import services
from billing.subscriptions.models import Subscription
from billing.tasks import sweep_outbox


def customer_posts(standin) -> list[str | None]:
    return [r.idempotency_key for r in standin.requests
            if r.method == "POST" and r.path == "/v1/customers"]  # fmt: skip


@pytest.mark.parametrize("after_write", [False, True])
def test_a_failed_call_is_retried_by_celery_with_the_same_key_and_creates_one_customer(
    alfa, beta, stripe_standin, after_write
):
    stripe_standin.fail_next("/v1/customers", times=1, after_write=after_write)

    subscription = services.stripe_customer_ensure(cooperative=alfa.cooperative)

    assert len(stripe_standin.created("customers")) == 1
    assert customer_posts(stripe_standin) == ["customer-coop_alfa", "customer-coop_alfa"]
    call = OutboxCall.objects.get(idempotency_key="customer-coop_alfa")
    assert (call.status, call.attempts) == ("done", 2)
    assert subscription.stripe_customer_id == call.result["id"]
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()


@pytest.mark.parametrize("after_write", [False, True])
def test_running_a_failed_call_again_creates_nothing_twice(
    alfa, beta, stripe_standin, monkeypatch, after_write
):
    from billing import tasks

    monkeypatch.setattr(tasks.run_outbox_call, "apply_async", lambda **kwargs: None)
    stripe_standin.fail_next("/v1/customers", times=1, after_write=after_write)

    with pytest.raises(StripeUnavailable):
        services.stripe_customer_ensure(cooperative=alfa.cooperative)
    call = OutboxCall.objects.get(idempotency_key="customer-coop_alfa")
    assert (call.status, call.attempts) == ("pending", 1)
    assert "APIError" in call.last_error
    assert not Subscription.objects.exists()

    outbox_run(call_id=call.pk)
    outbox_run(call_id=call.pk)  # done: left alone

    call.refresh_from_db()
    assert (call.status, call.attempts) == ("done", 2)
    assert len(stripe_standin.created("customers")) == 1
    assert customer_posts(stripe_standin) == ["customer-coop_alfa", "customer-coop_alfa"]
    # The on_result handler made the cooperative's row when the retry came through.
    assert (
        Subscription.objects.get(cooperative=alfa.cooperative).stripe_customer_id
        == (call.result["id"])
    )
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()


def test_a_refusal_is_marked_failed_and_not_retried(alfa, beta, stripe_standin):
    # Stripe answers 404 (an invalid request): asking again will not change that.
    call = outbox_call_now(
        operation="subscription.update",
        params={"id": "sub_nowhere", "cancel_at_period_end": "true"},
        idempotency_key="test-refused",
        cooperative=alfa.cooperative,
    )

    assert (call.status, call.attempts) == ("failed", 1)
    assert "InvalidRequestError" in call.last_error
    assert [r.path for r in stripe_standin.requests] == ["/v1/subscriptions/sub_nowhere"]
    assert outbox_run(call_id=call.pk).attempts == 1  # not tried again


def test_a_retriable_failure_raises_for_the_celery_retry(alfa, stripe_standin):
    stripe_standin.fail_next("/v1/products", times=1)
    call, _ = OutboxCall.objects.get_or_create(
        idempotency_key="test-product",
        defaults={"operation": "product.create", "params": {"name": "x"}},
    )
    with pytest.raises(OutboxRetry):
        outbox_run(call_id=call.pk)
    assert outbox_run(call_id=call.pk).status == "done"
    assert len(stripe_standin.created("products")) == 1


def test_the_sweep_restarts_a_stale_pending_call_and_leaves_a_done_one(
    alfa, beta, stripe_standin, django_capture_on_commit_callbacks
):
    stale = OutboxCall.objects.create(
        operation="customer.create",
        params={"name": "Alfa", "metadata": {"schema": "coop_alfa"}},
        idempotency_key="customer-coop_alfa",
        cooperative=alfa.cooperative,
        on_result="customer_stored",
    )
    done = OutboxCall.objects.create(
        operation="customer.create",
        params={"name": "Beta"},
        idempotency_key="customer-coop_beta",
        cooperative=beta.cooperative,
        status=OutboxCall.Status.DONE,
        result={"id": "cus_beta_before"},
    )
    fresh = OutboxCall.objects.create(
        operation="product.create", params={"name": "nieuw"}, idempotency_key="test-fresh"
    )
    old = timezone.now() - timedelta(minutes=10)
    OutboxCall.objects.filter(pk__in=[stale.pk, done.pk]).update(created_at=old)

    assert sweep_outbox() == 1

    stale.refresh_from_db()
    done.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "done" and stale.attempts == 1
    assert (done.status, done.attempts, done.result) == ("done", 0, {"id": "cus_beta_before"})
    assert fresh.status == "pending"  # its own task is still on its way
    assert customer_posts(stripe_standin) == ["customer-coop_alfa"]
    assert (
        Subscription.objects.get(cooperative=alfa.cooperative).stripe_customer_id
        == (stale.result["id"])
    )
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()


def test_enqueue_runs_after_commit_and_once_per_key(
    alfa, beta, stripe_standin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = outbox_enqueue(operation="product.create", params={"name": "a"},
                               idempotency_key="test-once")  # fmt: skip
        second = outbox_enqueue(operation="product.create", params={"name": "a"},
                                idempotency_key="test-once")  # fmt: skip

    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert len(stripe_standin.created("products")) == 1


def test_two_workers_on_one_call_make_one_stripe_request(alfa, stripe_standin):
    """Two threads, each with its own connection, run the same committed call at once: the
    row lock makes the second wait for the first, which then finds it done. (The threads'
    rows are committed, so they are removed after.)"""
    errors: list[str] = []
    made: list[int] = []

    def create() -> None:
        try:
            made.append(
                OutboxCall.objects.create(
                    operation="product.create", params={"name": "samen"},
                    idempotency_key="test-race",
                ).pk
            )  # fmt: skip
        finally:
            connection.close()

    thread = threading.Thread(target=create)
    thread.start()
    thread.join()
    barrier = threading.Barrier(2, timeout=30)

    def run() -> None:
        try:
            barrier.wait()
            outbox_run(call_id=made[0])
        except Exception as error:  # reported below, so a thread never fails silently
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        posts = [r for r in stripe_standin.requests if r.method == "POST"]
        assert [r.idempotency_key for r in posts] == ["test-race"]
        assert len(stripe_standin.created("products")) == 1
    finally:
        seen: list[tuple[str, int]] = []
        cleanup = threading.Thread(target=_delete, args=("test-race", seen))
        cleanup.start()
        cleanup.join()
    assert seen == [("done", 1)]


def _delete(key: str, seen: list[tuple[str, int]]) -> None:
    try:
        rows = OutboxCall.objects.filter(idempotency_key=key)
        seen.extend(rows.values_list("status", "attempts"))
        rows.delete()
    finally:
        connection.close()


def test_a_person_retries_a_failed_call_once_its_cause_is_fixed(alfa, beta, stripe_standin):
    call = outbox_call_now(
        operation="subscription.update",
        params={"id": "sub_later", "cancel_at_period_end": "true"},
        idempotency_key="test-fixed-later",
        cooperative=alfa.cooperative,
    )
    assert call.status == "failed"
    listing = StringIO()
    call_command("billing_outbox", "list", stdout=listing)
    assert f"{call.pk}\tfailed\tsubscription.update\ttest-fixed-later" in listing.getvalue()

    # The cause is fixed (the subscription exists at Stripe now): the same key goes again.
    stripe_standin.subscription("sub_later", customer="cus_x", status="active")
    call_command("billing_outbox", "retry", str(call.pk), stdout=StringIO())

    call.refresh_from_db()
    assert (call.status, call.attempts) == ("done", 2)
    assert stripe_standin.subscriptions["sub_later"]["cancel_at_period_end"] == "true"
    keys = [r.idempotency_key for r in stripe_standin.requests if r.method == "POST"]
    assert keys == ["test-fixed-later", "test-fixed-later"]
    with pytest.raises(CommandError, match="al gedaan"):
        call_command("billing_outbox", "retry", str(call.pk))
    assert OutboxCall.objects.filter(cooperative=beta.cooperative).count() == 0
