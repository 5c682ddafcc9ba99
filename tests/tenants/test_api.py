"""Signing up a cooperative through the API: it is live at once, and every validation error comes
back structured, with its own code and Dutch message, with nothing created."""

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from cooperatives.rules.models import Rulebook
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from tenants.models import Cooperative
from tests.clients import client_for
from tests.factories import PASSWORD, SIGN_UP
from tests.state import registry_snapshot
from tests.texts import SIGN_UP_REFUSALS


def test_sign_up_api_creates_a_cooperative(apex_client, coops, db):
    response = apex_client.post(
        "/api/v1/cooperatives/",
        {**SIGN_UP, "slug": "Noord-West", "template": "wij"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "noord-west"
    assert data["status"] == "trial"
    assert data["url"] == "https://noord-west.noaber.test/"
    assert data["login_url"] == "https://noord-west.noaber.test/inloggen/"
    assert "password" not in data
    coop = Cooperative.objects.get(pk=data["id"])
    assert coop.schema_name == "coop_noord_west"
    with schema_context(coop.schema_name):
        assert list(Cluster.objects.values_list("name", flat=True)) == [
            "Beheer en onderhoud van woning en woonomgeving",
            "Zorg en aandacht voor elkaar",
            "(Auto)vervoer",
            "Maaltijden maken en verstrekken",
            "Administratie",
        ]
        rules = Rulebook.objects.get()
        assert (rules.starter_points, rules.min_balance, rules.max_balance) == (10, -20, 20)
        assert rules.points_per_hour == 2  # half an hour is 1 point
        assert User.objects.get().email == SIGN_UP["email"]
    client = client_for("noord-west.noaber.test")
    assert (
        client.post("/inloggen/", {"username": SIGN_UP["email"], "password": PASSWORD}).status_code
        == 302
    )


# --- validation: each error its own message, nothing created ----------------------------------


@pytest.mark.parametrize(("field", "change", "code", "message"), SIGN_UP_REFUSALS)
def test_api_rejects_invalid_input_with_a_structured_error(
    apex_client, coops, db, field, change, code, message
):
    before = registry_snapshot()
    response = apex_client.post(
        "/api/v1/cooperatives/", {**SIGN_UP, **change}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert data["type"] == "validation_error"
    matching = [e for e in data["errors"] if e["attr"] == field]
    assert matching, data
    assert matching[0]["code"] == code
    assert message in matching[0]["detail"]
    assert registry_snapshot() == before
    assert mail.outbox == []


def test_api_lists_several_errors_at_once(apex_client, coops, db):
    response = apex_client.post(
        "/api/v1/cooperatives/",
        {**SIGN_UP, "slug": "-", "email": "nee", "password": "123"},
        content_type="application/json",
    )
    attrs = {e["attr"] for e in response.json()["errors"]}
    assert {"slug", "email", "password"} <= attrs
