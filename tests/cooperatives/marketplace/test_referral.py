"""A klus larger than the rules let volunteers do is referred to the partners, with how to reach
them and their social rates (seed 002: large jobs go to the neighbourhood's social
entrepreneurs), instead of being refused with "ask in shorter parts". The Oost template sets
that size (2 hours); nothing is put on the marketplace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import HelpRequest
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster, Partner
from cooperatives.setup.services import partner_save
from tests.clients import logged_in_client
from tests.factories import decided

JSON = "application/json"


@pytest.fixture
def partners(alfa, cast):
    people = cast(alfa)
    with schema_context(alfa.schema):
        partner_save(
            actor=people.board,
            name="Buurtbedrijf Oost",
            kind=Partner.Kind.SOCIAL_ENTERPRISE,
            services="Grote klussen, schilderwerk",
            contact_name="Piet Klus",
            phone="030 123 45 67",
            email="info@buurtbedrijf.example.nl",
            social_rate="12.50",
            decision=decided("agreements"),
        )
        partner_save(
            actor=people.board,
            name="Podium Oost",
            kind=Partner.Kind.NEIGHBOURHOOD_PARTNER,
            services="Activiteiten",
        )
    return people


def form(coop, cluster: str, hours: str) -> dict:
    with schema_context(coop.schema):
        pk = Cluster.objects.get(name=cluster).pk
    return {
        "cluster": pk,
        "title": "Schutting verven",
        "expected_hours": hours,
        "network_checked": "on",
    }


def test_the_oost_template_refers_klussen_of_more_than_two_hours(alfa, beta):
    with schema_context(alfa.schema):
        assert rulebook_current().partner_referral_hours == Decimal("2.0")
    with schema_context(beta.schema):
        assert rulebook_current().partner_referral_hours is None


def test_a_three_hour_klus_on_oost_is_referred_to_the_partners(alfa, beta, partners):
    client = logged_in_client(alfa, member=partners.rita)
    asked = client.get("/hulpvragen/nieuw/").content.decode()
    assert "Een klus van meer dan 2 uur doen onze partners" in asked
    response = client.post("/hulpvragen/nieuw/", form(alfa, "Tuin", "3"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voor deze klus verwijzen wij u naar onze partners" in html
    assert "Vraag hulp in kortere delen" not in html
    assert "Buurtbedrijf Oost" in html and "Piet Klus" in html
    assert 'href="tel:030 123 45 67"' in html
    assert 'href="mailto:info@buurtbedrijf.example.nl"' in html
    assert "€ 12,50 per uur" in html
    # The social enterprise with a rate comes first; a neighbourhood partner without one and
    # without klussen is not offered.
    assert "Podium Oost" not in html
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()


def test_a_long_free_service_is_still_asked_in_shorter_parts(alfa, beta, partners):
    client = logged_in_client(alfa, member=partners.rita)
    response = client.post("/hulpvragen/nieuw/", form(alfa, "Wandelen", "3"))
    assert response.status_code == 400
    assert "Vraag hulp in kortere delen" in response.content.decode()
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()


def test_a_two_hour_klus_is_put_on_the_marketplace(alfa, beta, partners):
    client = logged_in_client(alfa, member=partners.rita)
    assert client.post("/hulpvragen/nieuw/", form(alfa, "Tuin", "2")).status_code == 302
    with schema_context(alfa.schema):
        assert HelpRequest.objects.get().expected_hours == Decimal("2.0")


def test_the_api_refers_the_same_klus_with_the_partners(alfa, beta, partners):
    client = logged_in_client(alfa, member=partners.rita)
    data = form(alfa, "Tuin", "3")
    refused = client.post(
        "/api/v1/requests/",
        {**data, "network_checked": True},
        content_type=JSON,
    )
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["code"] == "referred_to_partner"
    assert "Buurtbedrijf Oost, Piet Klus, 030 123 45 67" in error["detail"]
    assert "€ 12,50 per uur" in error["detail"]
    referral = client.get(
        f"/api/v1/requests/referral/?cluster={data['cluster']}&expected_hours=3"
    ).json()
    assert referral["referred"] is True and referral["max_hours"] == "2.0"
    assert [(p["name"], p["phone"], p["social_rate"]) for p in referral["partners"]] == [
        ("Buurtbedrijf Oost", "030 123 45 67", "12.50")
    ]
    small = client.get(
        f"/api/v1/requests/referral/?cluster={data['cluster']}&expected_hours=1.5"
    ).json()
    assert small == {"referred": False, "max_hours": "2.0", "partners": []}
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()
