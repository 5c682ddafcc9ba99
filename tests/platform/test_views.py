"""The network administrator's overview on the apex domain: a login of the public schema,
which is no login on any cooperative."""

from django.urls import reverse

from tests.clients import client_for
from tests.factories import PASSWORD


def test_network_administrator_logs_in_on_the_apex_only(apex_client, alfa):
    response = apex_client.post(
        "/netwerk/inloggen/", {"username": "beheer@samen030.example.nl", "password": PASSWORD}
    )
    assert response.status_code == 302
    # Logged in, but no network page before the second factor.
    overview = apex_client.get("/netwerk/")
    assert overview.status_code == 302
    assert overview["Location"].startswith(reverse("two-factor", urlconf="noaber.urls_public"))
    # The network administrator is not a member of any cooperative.
    response = client_for(alfa.host).post(
        "/inloggen/", {"username": "beheer@samen030.example.nl", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_network_overview_needs_a_login(apex_client, coops, db):
    response = apex_client.get("/netwerk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/netwerk/inloggen/")
