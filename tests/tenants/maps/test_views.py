"""The maps as pages: the board's form on its subdomain, a network's map of the cooperatives
it sees that agreed to be on it, and the public map on the apex. Each marker is a cooperative
that agreed; one that did not is not drawn, nor listed."""

import html
import re
from decimal import Decimal

from django_tenants.utils import schema_context

from shared.audit.models import AuditEntry
from shared.tenancy.urls import cooperative_url
from tenants.models import Cooperative
from tests.clients import logged_in_client, network_client
from tests.factories import MemberFactory, membership_make, network_user

UTRECHT = (Decimal("52.09070"), Decimal("5.12140"))
ROTTERDAM = (Decimal("51.92250"), Decimal("4.47920"))


def place(coop, where) -> None:
    with schema_context("public"):
        Cooperative.objects.filter(pk=coop.cooperative.pk).update(
            latitude=where[0], longitude=where[1], place="Utrecht"
        )


def markers(page: str) -> int:
    return page.count('class="map-marker"')


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


# --- the board's form --------------------------------------------------------------------------


def test_the_board_finds_the_form_in_its_menu_and_saves_a_point(alfa, beta):
    client = logged_in_client(alfa)
    assert 'href="/cooperatie/kaart/"' in client.get("/").content.decode()
    page = page_text(client.get("/cooperatie/kaart/"))
    assert "midden van uw buurt" in page and "nooit het adres van een lid" in page
    response = client.post("/cooperatie/kaart/", {"latitude": "52,0907", "longitude": "5,1214"})
    assert response.status_code == 302 and response["Location"] == "/cooperatie/kaart/"
    with schema_context("public"):
        saved = Cooperative.objects.get(pk=alfa.cooperative.pk)
    assert (saved.latitude, saved.longitude) == UTRECHT
    # The form shows the point as Dutch numbers, and its preview draws it.
    page = page_text(client.get("/cooperatie/kaart/"))
    assert 'value="52,09070"' in page and markers(page) == 1


def test_a_point_abroad_is_refused_on_the_form_and_nothing_is_saved(alfa, beta):
    response = logged_in_client(alfa).post(
        "/cooperatie/kaart/", {"latitude": "52,09", "longitude": "8,80"}
    )
    assert response.status_code == 400
    assert "Deze plek ligt niet in Nederland" in html.unescape(response.content.decode())
    with schema_context("public"):
        assert Cooperative.objects.get(pk=alfa.cooperative.pk).longitude is None
    with schema_context(alfa.schema):
        assert not AuditEntry.objects.filter(action="cooperative.map_place").exists()


def test_a_coordinator_may_not_set_the_point(alfa, beta):
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    client = logged_in_client(alfa, member=coordinator)
    assert 'href="/cooperatie/kaart/"' not in client.get("/").content.decode()
    assert client.get("/cooperatie/kaart/").status_code == 403
    response = client.post("/cooperatie/kaart/", {"latitude": "52,09", "longitude": "5,12"})
    assert response.status_code == 403
    with schema_context("public"):
        assert Cooperative.objects.get(pk=alfa.cooperative.pk).latitude is None


# --- a network's map ---------------------------------------------------------------------------


def test_the_network_map_draws_only_cooperatives_that_agreed(alfa, beta, networks):
    place(alfa, UTRECHT)
    place(beta, ROTTERDAM)
    membership_make(networks.samen030, alfa.cooperative, on_map=True)
    membership_make(networks.samen030, beta.cooperative, on_map=False)
    client = network_client(network_user(networks.samen030, "analyst"))
    page = page_text(client.get("/netwerk/samen030/kaart/"))
    assert markers(page) == 1
    assert "Wijkcoöperatie Alfa" in page and "WIJ-coöperatie Beta" not in page
    # The same place in the table, with its coordinates.
    assert re.search(r"<th scope=\"row\">.*Wijkcoöperatie Alfa.*</th>", page)
    assert "52,09070; 5,12140" in page
    # Reached from the network's menu.
    assert 'href="/netwerk/samen030/kaart/"' in page


def test_a_cooperative_that_agreed_but_has_no_point_is_named_not_drawn(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, on_map=True)
    client = network_client(network_user(networks.samen030))
    page = page_text(client.get("/netwerk/samen030/kaart/"))
    assert markers(page) == 0
    assert "Nog zonder plek" in page and "Wijkcoöperatie Alfa" in page


def test_the_national_network_draws_what_the_city_network_shares_upwards(alfa, beta, networks):
    place(alfa, UTRECHT)
    place(beta, ROTTERDAM)
    membership_make(networks.samen030, alfa.cooperative, share_with_parent=True)
    membership_make(networks.samen030, beta.cooperative, share_with_parent=False)
    page = page_text(network_client(network_user(networks.wijk500)).get("/netwerk/500wijk/kaart/"))
    assert markers(page) == 1 and "Wijkcoöperatie Alfa" in page


def test_another_networks_map_does_not_exist_for_a_network_user(alfa, beta, networks):
    place(alfa, UTRECHT)
    membership_make(networks.samen030, alfa.cooperative)
    rijnmond = network_client(network_user(networks.rijnmond))
    assert rijnmond.get("/netwerk/samen030/kaart/").status_code == 404
    page = page_text(rijnmond.get("/netwerk/rijnmond/kaart/"))
    assert markers(page) == 0 and "Wijkcoöperatie Alfa" not in page


# --- the public map ----------------------------------------------------------------------------


def test_the_public_map_shows_open_cooperatives_that_agreed_somewhere(
    alfa, beta, networks, apex_client
):
    place(alfa, UTRECHT)
    place(beta, ROTTERDAM)
    membership_make(networks.rijnmond, alfa.cooperative, on_map=False)
    membership_make(networks.samen030, alfa.cooperative, on_map=True)
    membership_make(networks.rijnmond, beta.cooperative, on_map=False)
    apex = apex_client
    landing = apex.get("/").content.decode()
    assert 'href="/kaart/"' in landing
    page = page_text(apex.get("/kaart/"))
    assert markers(page) == 1
    assert "Wijkcoöperatie Alfa" in page and "WIJ-coöperatie Beta" not in page
    assert cooperative_url(slug="alfa") in page  # the dot links to the cooperative's own site


def test_a_suspended_cooperative_leaves_the_public_map(alfa, beta, networks, apex_client):
    place(alfa, UTRECHT)
    membership_make(networks.samen030, alfa.cooperative, on_map=True)
    with schema_context("public"):
        Cooperative.objects.filter(pk=alfa.cooperative.pk).update(
            status=Cooperative.Status.SUSPENDED
        )
    assert markers(page_text(apex_client.get("/kaart/"))) == 0


def test_the_public_map_is_also_geojson(alfa, beta, networks, apex_client):
    place(alfa, UTRECHT)
    place(beta, ROTTERDAM)
    membership_make(networks.samen030, alfa.cooperative, on_map=True)
    membership_make(networks.samen030, beta.cooperative, on_map=False)
    assert 'href="/api/v1/map/"' in apex_client.get("/kaart/").content.decode()
    response = apex_client.get("/api/v1/map/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [5.1214, 52.0907]}
    assert feature["properties"]["name"] == "Wijkcoöperatie Alfa"
    assert feature["properties"]["url"] == cooperative_url(slug="alfa")
