"""What a subscription's status means for the cooperative: every Stripe status, reached through
a signed webhook and the stand-in's current object, gives full use, a grace period (a banner
for the board) or read-only. Billing never deletes anything, and beta's access never follows
alfa's payments."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context

from billing.access.selectors import cooperative_access
from billing.subscriptions import services
from billing.subscriptions.models import Subscription
from billing.webhooks.views import stripe_webhook
from cooperatives.setup.models import Cluster
from tests.stripe_standin import event_body, running_standin, signature

SECRET = "whsec_standin_status"


START = 1_790_000_000


END = START + 30 * 86400


DURING_GRACE = datetime.fromtimestamp(START, tz=UTC) + timedelta(days=6, hours=23)


AFTER_GRACE = datetime.fromtimestamp(START, tz=UTC) + timedelta(days=7)


@pytest.fixture
def standin(settings, alfa, beta):
    with running_standin() as standin:
        settings.STRIPE_API_BASE = standin.base
        settings.STRIPE_SECRET_KEY = "sk_test_standin"
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        for coop in (alfa, beta):
            services.stripe_customer_ensure(cooperative=coop.cooperative)
        yield standin


def move_to(standin, settings, capture, coop, status: str) -> None:
    """Stripe moves the cooperative's subscription to `status` and tells us by webhook."""
    customer = Subscription.objects.get(cooperative=coop.cooperative).stripe_customer_id
    sub_id = f"sub_{coop.cooperative.slug}"
    standin.subscription(sub_id, customer=customer, status=status, period_start=START,
                         period_end=END)  # fmt: skip
    body = event_body(standin, event_id=f"evt_{sub_id}_{status}_{time.monotonic_ns()}",
                      event_type="customer.subscription.updated", kind="subscriptions",
                      obj_id=sub_id)  # fmt: skip
    request = RequestFactory().post(
        "/api/v1/billing/stripe/webhook/", data=body, content_type="application/json",
        HTTP_HOST=settings.PLATFORM_DOMAIN, HTTP_STRIPE_SIGNATURE=signature(body, SECRET),
    )  # fmt: skip
    with capture(execute=True):
        assert stripe_webhook(request).status_code == 200
    assert Subscription.objects.get(cooperative=coop.cooperative).status == status


def test_without_any_subscription_a_cooperative_is_on_its_trial(alfa, beta):
    assert not Subscription.objects.filter(cooperative=alfa.cooperative).exists()
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    assert cooperative_access(cooperative=beta.cooperative) == "full"


def test_a_stripe_customer_without_a_subscription_yet_keeps_full_use(standin, alfa):
    assert Subscription.objects.get(cooperative=alfa.cooperative).status == ""
    assert cooperative_access(cooperative=alfa.cooperative) == "full"


@pytest.mark.parametrize(
    ("status", "during_grace", "after_grace"),
    [
        ("trialing", "full", "full"),
        ("active", "full", "full"),
        ("incomplete", "full", "full"),
        ("past_due", "grace", "read_only"),
        ("unpaid", "read_only", "read_only"),
        ("canceled", "read_only", "read_only"),
        ("incomplete_expired", "read_only", "read_only"),
        ("paused", "read_only", "read_only"),
    ],
)
def test_each_status_gives_its_access_and_never_touches_beta(
    standin, settings, alfa, beta, django_capture_on_commit_callbacks,
    status, during_grace, after_grace,
):  # fmt: skip
    move_to(standin, settings, django_capture_on_commit_callbacks, beta, "active")

    move_to(standin, settings, django_capture_on_commit_callbacks, alfa, status)

    assert cooperative_access(cooperative=alfa.cooperative, now=DURING_GRACE) == during_grace
    assert cooperative_access(cooperative=alfa.cooperative, now=AFTER_GRACE) == after_grace
    assert cooperative_access(cooperative=beta.cooperative, now=AFTER_GRACE) == "full"
    grace_until = Subscription.objects.get(cooperative=alfa.cooperative).grace_until
    assert grace_until == (AFTER_GRACE if status == "past_due" else None)


def test_the_whole_road_from_trial_to_read_only_and_back_keeps_every_record(
    standin, settings, alfa, beta, django_capture_on_commit_callbacks
):
    with schema_context(alfa.schema):
        clusters = sorted(Cluster.objects.values_list("pk", flat=True))
    road = [
        ("trialing", "full"),
        ("active", "full"),
        ("past_due", "grace"),
        ("unpaid", "read_only"),
        ("active", "full"),  # paid after all: everything again
        ("past_due", "grace"),
        ("canceled", "read_only"),
    ]
    seen = []
    for status, _ in road:
        move_to(standin, settings, django_capture_on_commit_callbacks, alfa, status)
        seen.append((status, cooperative_access(cooperative=alfa.cooperative, now=DURING_GRACE)))

    assert seen == road
    assert cooperative_access(cooperative=beta.cooperative) == "full"
    # Read-only is not deletion: the cooperative's data is all still there.
    with schema_context(alfa.schema):
        assert sorted(Cluster.objects.values_list("pk", flat=True)) == clusters
    assert Subscription.objects.filter(cooperative=alfa.cooperative).count() == 1


def test_past_due_becomes_read_only_exactly_when_the_grace_runs_out(
    standin, settings, alfa, django_capture_on_commit_callbacks
):
    move_to(standin, settings, django_capture_on_commit_callbacks, alfa, "past_due")

    assert (
        cooperative_access(cooperative=alfa.cooperative, now=AFTER_GRACE - timedelta(seconds=1))
        == "grace"
    )
    assert cooperative_access(cooperative=alfa.cooperative, now=AFTER_GRACE) == "read_only"
