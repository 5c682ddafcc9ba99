"""The network's sponsorship page (/netwerk/<network>/sponsoring/): a manager starts and ends
paying for member cooperatives, sees the network's subscription; Stripe being away is a Dutch
message with nothing written; an analyst or another network's manager cannot act. The
cooperative's own subscription page says who pays since when."""

from __future__ import annotations

import html

import pytest

from billing.outbox.models import OutboxCall
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.subscriptions.models import Plan
from tests.clients import logged_in_client, network_client
from tests.factories import MemberFactory, membership_make, network_user

PAGE = "/netwerk/samen030/sponsoring/"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def plan(db) -> Plan:
    Plan.objects.filter(code="tot150").update(stripe_product_id="prod_k", stripe_price_id="price_k")
    return Plan.objects.get(code="tot150")


@pytest.fixture
def members(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    return networks


@pytest.fixture
def manager(networks):
    return network_user(networks.samen030)


def test_a_manager_starts_and_ends_paying_for_a_member(
    alfa, beta, members, plan, manager, stripe_standin, django_capture_on_commit_callbacks
):
    client = network_client(manager)
    page = text(client.get(PAGE))
    assert "Het netwerk betaalt nog voor geen enkele coöperatie" in page
    assert 'value="alfa"' in page and 'value="beta"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, {"cooperative": "alfa", "plan": plan.pk})
    assert response.status_code == 302
    sponsorship = Sponsorship.objects.get(cooperative=alfa.cooperative, ended_at__isnull=True)
    billing = NetworkSubscription.objects.get(network=members.samen030)
    assert (billing.status, billing.quantity) == ("active", 1)

    page = text(client.get(PAGE))
    assert "Stoppen met betalen voor Wijkcoöperatie Alfa" in page
    assert 'value="alfa"' not in page  # already paid for
    assert 'name="plan"' not in page  # chosen once, at the first sponsorship

    # The cooperative's own page says who pays, since when.
    treasurer = MemberFactory(schema=alfa.schema, name="Penny", roles=["board_treasurer"])
    own = text(logged_in_client(alfa, member=treasurer).get("/abonnement/"))
    assert "Uw abonnement wordt betaald door SAMEN030 sinds " in own

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{PAGE}{sponsorship.pk}/beeindigen/")
    assert response.status_code == 302
    sponsorship.refresh_from_db()
    assert sponsorship.ended_at is not None
    assert NetworkSubscription.objects.get(network=members.samen030).quantity == 0
    assert "Beëindigde sponsoring" in text(client.get(PAGE))


def test_stripe_away_is_a_dutch_message_and_nothing_is_half_written(
    alfa, beta, members, plan, manager, stripe_standin, monkeypatch
):
    from billing import tasks

    monkeypatch.setattr(tasks.run_outbox_call, "apply_async", lambda **kwargs: None)
    stripe_standin.fail_next("/v1/customers", times=5)
    response = network_client(manager).post(PAGE, {"cooperative": "alfa", "plan": plan.pk})
    assert response.status_code == 400
    assert "Stripe antwoordt op dit moment niet. Er is niets vastgelegd" in text(response)
    assert not Sponsorship.objects.exists()
    assert not NetworkSubscription.objects.exists()
    # The outbox keeps the call, to retry with the same key (no second customer later).
    assert OutboxCall.objects.filter(idempotency_key="network-customer-samen030").exists()


def test_refusals_are_shown_and_write_nothing(alfa, beta, networks, plan, manager, stripe_standin):
    membership_make(networks.samen030, alfa.cooperative)
    client = network_client(manager)
    # Beta is no member of SAMEN030: not among the choices, and refused when posted anyway.
    response = client.post(PAGE, {"cooperative": "beta", "plan": plan.pk})
    assert response.status_code == 400
    # Without a plan the first time.
    response = client.post(PAGE, {"cooperative": "alfa"})
    assert response.status_code == 400
    assert not Sponsorship.objects.exists() and not NetworkSubscription.objects.exists()


def test_an_analyst_or_another_network_cannot_touch_the_sponsorship(
    alfa, beta, members, plan, manager, stripe_standin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        network_client(manager).post(PAGE, {"cooperative": "alfa", "plan": plan.pk})
    sponsorship = Sponsorship.objects.get()
    analyst = network_client(network_user(members.samen030, role="analyst"))
    assert analyst.get(PAGE).status_code == 403
    assert analyst.post(f"{PAGE}{sponsorship.pk}/beeindigen/").status_code == 403
    assert analyst.post(PAGE, {"cooperative": "beta"}).status_code == 403
    rijnmond = network_client(network_user(members.rijnmond))
    assert rijnmond.get(PAGE).status_code == 404
    assert (
        rijnmond.post(f"/netwerk/rijnmond/sponsoring/{sponsorship.pk}/beeindigen/").status_code
        == 404
    )
    assert "Wijkcoöperatie Alfa" not in text(rijnmond.get("/netwerk/rijnmond/sponsoring/"))
    sponsorship.refresh_from_db()
    assert sponsorship.ended_at is None and Sponsorship.objects.count() == 1


def test_the_network_menu_links_the_sponsorship_page(alfa, networks, manager):
    assert f'href="{PAGE}"' in text(network_client(manager).get("/netwerk/samen030/leden/"))
