"""What the subscription status means for members: read-only after non-payment (reading and
export still work, nothing new is created), a banner for the board in the grace period, and
never an effect on another cooperative."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.subscriptions.models import Subscription
from cooperatives.marketplace.models import HelpRequest
from cooperatives.setup.models import Cluster
from tests.clients import logged_in_client
from tests.factories import MemberFactory


def _subscribe(coop, status: str, *, grace_days: int = 5) -> Subscription:
    return Subscription.objects.create(
        cooperative=coop.cooperative,
        stripe_customer_id=f"cus_{coop.schema}",
        status=status,
        grace_until=timezone.now() + timedelta(days=grace_days),
    )


def _ask_for_help(client, cluster_pk: int):
    return client.post(
        "/hulpvragen/nieuw/",
        {"cluster": cluster_pk, "title": "Boodschappen", "expected_hours": "1"},
    )


@pytest.fixture
def groceries(alfa) -> int:
    with schema_context(alfa.schema):
        return Cluster.objects.get(name="Boodschappen").pk


@pytest.mark.parametrize("status", ["unpaid", "canceled", "incomplete_expired", "paused"])
def test_read_only_refuses_new_things_but_reading_and_export_work(alfa, groceries, status):
    _subscribe(alfa, status)
    member = MemberFactory(schema=alfa.schema, name="Lees Alleen")
    client = logged_in_client(alfa, member=member)
    refused = _ask_for_help(client, groceries)
    assert refused.status_code == 403
    assert "alleen lezen" in refused.content.decode()
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()
    api = client.post(
        "/api/v1/requests/",
        {"cluster": groceries, "title": "x", "expected_hours": "1"},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["errors"][0]["code"] == "read_only"
    assert client.get("/markt/").status_code == 200
    export = client.get("/mijn-gegevens/export/")
    assert export.status_code == 200 and b"Lees Alleen" in export.content
    assert client.post("/uitloggen/").status_code == 302


def test_past_due_beyond_grace_is_read_only_and_within_grace_works_with_a_banner(alfa, groceries):
    subscription = _subscribe(alfa, "past_due", grace_days=3)
    member = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    board_page = logged_in_client(alfa).get("/").content.decode()
    assert "betaling van het abonnement is achterstallig" in board_page
    member_client = logged_in_client(alfa, member=member)
    assert "achterstallig" not in member_client.get("/").content.decode()
    assert _ask_for_help(member_client, groceries).status_code == 302  # still works

    Subscription.objects.filter(pk=subscription.pk).update(
        grace_until=timezone.now() - timedelta(minutes=1)
    )
    from django.core.cache import caches

    caches["tenancy"].clear()  # the access level is cached for a minute
    assert _ask_for_help(member_client, groceries).status_code == 403


def test_active_and_trial_change_nothing_and_b_is_never_affected(alfa, beta, groceries):
    _subscribe(alfa, "unpaid")
    _subscribe(beta, "active")
    with schema_context(beta.schema):
        cluster = Cluster.objects.first().pk
    beta_member = MemberFactory(schema=beta.schema, name="Beta Lid")
    response = _ask_for_help(logged_in_client(beta, member=beta_member), cluster)
    assert response.status_code == 302
    with schema_context(beta.schema):
        assert HelpRequest.objects.count() == 1
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()
