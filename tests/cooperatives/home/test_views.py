"""The home page links to what the member may use: the marketplace by role, and the points
tiles by role."""

from __future__ import annotations

from tests.clients import logged_in_client
from tests.factories import MemberFactory, marketplace_people
from tests.pages import body, text


def test_home_page_links_to_the_marketplace_by_role(alfa, beta):
    people = marketplace_people(alfa)
    plain = text(logged_in_client(alfa, member=people.other).get("/"))
    for link in (
        "/markt/",
        "/hulpvragen/nieuw/",
        "/mijn-markt/",
        "/instellingen/",
        "/mijn-gegevens/",
    ):
        assert f'href="{link}"' in plain
    assert 'href="/aanbod/nieuw/"' not in plain and 'href="/coordinatie/"' not in plain
    coordinator = text(logged_in_client(alfa, member=people.coordinator).get("/"))
    assert 'href="/aanbod/nieuw/"' in coordinator and 'href="/coordinatie/"' in coordinator
    volunteer = text(logged_in_client(alfa, member=people.vera).get("/"))
    assert 'href="/aanbod/nieuw/"' in volunteer and 'href="/coordinatie/"' not in volunteer


def test_home_shows_the_points_tiles_by_role(alfa, beta):
    plain = body(logged_in_client(beta, member=MemberFactory(schema=beta.schema)).get("/"))
    assert 'href="/punten/"' in plain and 'href="/punten/cooperatie/"' not in plain
    board = body(logged_in_client(beta).get("/"))
    assert "Mijn punten" in board and "Punten van de coöperatie" in board
