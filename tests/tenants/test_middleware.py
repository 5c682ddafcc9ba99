"""Routing of hosts to schemas: the apex, each cooperative, unknown hosts, closed cooperatives,
and one SET search_path per request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Cooperative
from tenants.services import cooperative_set_status
from tests.clients import client_for, logged_in_client


def test_apex_serves_the_public_landing_page(apex_client, coops, db):
    response = apex_client.get("/")
    assert response.status_code == 200
    assert "Noaber: het platform voor wijkcoöperaties" in response.content.decode()


@pytest.mark.parametrize("host", ["onbekend.noaber.test", "alfa.elders.test", "noaber.test.evil"])
def test_unknown_host_is_404_not_the_public_site(host, coops, db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    response = client_for(host).get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Deze pagina bestaat niet" in body
    assert "Meld uw coöperatie aan" not in body


def test_each_cooperative_answers_on_its_own_subdomain(alfa, beta):
    for coop in (alfa, beta):
        response = logged_in_client(coop).get("/")
        assert response.status_code == 200
        body = response.content.decode()
        assert coop.cooperative.name in body
        assert coop.board_name.split()[0] in body
    # The template's records landed in the right schema.
    alfa_page = logged_in_client(alfa).get("/").content.decode()
    beta_page = logged_in_client(beta).get("/").content.decode()
    assert "Boodschappen" in alfa_page and "Boodschappen" not in beta_page
    assert "Administratie" in beta_page and "Administratie" not in alfa_page


def test_anonymous_visitor_of_a_cooperative_is_sent_to_its_login(alfa):
    response = client_for(alfa.host).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [
        (Cooperative.Status.SUSPENDED, 403, "is tijdelijk niet bereikbaar"),
        (Cooperative.Status.ARCHIVED, 410, "is opgeheven"),
    ],
)
def test_closed_cooperative_answers_a_dutch_page_without_member_data(alfa, status, code, text):
    client = logged_in_client(alfa)
    assert client.get("/").status_code == 200  # cached as open first
    cooperative_set_status(
        cooperative=Cooperative.objects.get(pk=alfa.cooperative.pk), status=status
    )

    for path in ("/", "/api/v1/me/", "/inloggen/"):
        response = client.get(path)
        assert response.status_code == code
        body = response.content.decode()
        assert text in body
        assert alfa.board_name not in body
        assert alfa.board_email not in body


def test_search_path_is_set_once_per_request(alfa):
    client = logged_in_client(alfa)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries]
    sets = [s for s in statements if s.upper().startswith("SET SEARCH_PATH")]
    others = [s for s in statements if not s.upper().startswith("SET SEARCH_PATH")]
    assert len(others) >= 4, statements  # session, user, groups, clusters, rulebook
    assert len(sets) == 1, statements
    assert alfa.schema in sets[0]
