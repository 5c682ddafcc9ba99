"""From the apex, "Bij welke coöperatie bent u lid?": a plain GET form (no JavaScript) that
finds open cooperatives by name, place or postcode and links to each one's own subdomain.
Suspended and archived cooperatives are not found. The network administrators' login is a
separate, plainly named link, and sign-up asks the place."""

from __future__ import annotations

import re

import pytest

from tenants.models import Cooperative

ALFA_URL = "https://alfa.noaber.test/"
BETA_URL = "https://beta.noaber.test/"


def registry(coop, **fields) -> None:
    """Set fields on the cooperative's registry row (a fresh instance: the session fixture's
    own stays as it was; the test's transaction is rolled back)."""
    row = Cooperative.objects.get(pk=coop.cooperative.pk)
    for field, value in fields.items():
        setattr(row, field, value)
    row.save(update_fields=list(fields))


@pytest.fixture
def placed(alfa, beta):
    registry(alfa, place="Utrecht", postcode_areas=["3581", "3582"])
    registry(beta, place="Vlaardingen", postcode_areas=["3131"])


def found(client, query: str) -> set[str]:
    html = client.get("/", {"q": query}).content.decode()
    results = re.search(r'<ul class="search-results".*?</ul>', html, re.S)
    return set(re.findall(r'href="(https://[^"]+)"', results.group(0))) if results else set()


def test_the_landing_page_asks_which_cooperative_with_a_plain_get_form(apex_client, coops, db):
    html = apex_client.get("/").content.decode()
    assert "Bij welke coöperatie bent u lid?" in html
    form = re.search(r'<form method="get"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'name="q"' in form and 'for="id_q"' in form and "<script" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alfa", {ALFA_URL}),
        ("Wijkcoöperatie", {ALFA_URL}),
        ("cooperatie", {ALFA_URL, BETA_URL}),  # without the diaeresis, as people type it
        ("utrecht", {ALFA_URL}),
        ("Vlaardingen beta", {BETA_URL}),
        ("3581", {ALFA_URL}),
        ("3582 ab", {ALFA_URL}),
        ("3131AE", {BETA_URL}),
        ("9999", set()),
        ("Amsterdam", set()),
    ],
)
def test_search_by_name_place_or_postcode_links_to_the_subdomain(
    apex_client, placed, query, expected
):
    assert found(apex_client, query) == expected


def test_nothing_found_says_what_to_try(apex_client, placed):
    html = apex_client.get("/", {"q": "Amsterdam"}).content.decode()
    assert "We vinden geen coöperatie bij" in html and "Amsterdam" in html


def test_a_search_too_long_is_summarised_at_the_top_and_searches_nothing(apex_client, placed):
    html = apex_client.get("/", {"q": "Utrecht " * 13}).content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*id="fouten">(.*?)</div>', html, re.S)
    assert summary and 'href="#id_q"' in summary.group(1)
    assert 'id="id_q_error"' in html  # and next to the field
    assert found(apex_client, "Utrecht " * 13) == set()


@pytest.mark.parametrize("status", [Cooperative.Status.SUSPENDED, Cooperative.Status.ARCHIVED])
def test_only_open_cooperatives_are_found(apex_client, placed, beta, status):
    registry(beta, status=status)
    assert found(apex_client, "3131") == set()
    assert found(apex_client, "cooperatie") == {ALFA_URL}
    registry(beta, status=Cooperative.Status.ACTIVE)
    assert found(apex_client, "3131") == {BETA_URL}


def test_the_network_administrators_login_is_a_separate_plainly_named_link(apex_client, coops, db):
    html = apex_client.get("/").content.decode()
    links = re.findall(r'<a href="/netwerk/inloggen/">([^<]+)</a>', html)
    assert links and set(links) == {"Inloggen voor netwerkbeheerders"}


def test_sign_up_asks_the_place_and_stores_it(apex_client, coops, db):
    page = apex_client.get("/aanmelden/").content.decode()
    assert 'for="id_place"' in page
    data = {
        "name": "Buurtkracht Zuid",
        "slug": "zuid",
        "board_member_name": "Fatima el Amrani",
        "email": "fatima@zuid.example.nl",
        "password": "Zonnebloem-42!",
        "template": "leeg",
    }
    refused = apex_client.post("/aanmelden/", data)
    assert refused.status_code == 400
    assert "Vul de plaats in" in refused.content.decode()
    assert not Cooperative.objects.filter(slug="zuid").exists()

    assert apex_client.post("/aanmelden/", {**data, "place": " Utrecht "}).status_code == 302
    assert Cooperative.objects.get(slug="zuid").place == "Utrecht"
