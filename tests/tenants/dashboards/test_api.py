"""The network API: the cooperatives a network sees and the cells they share with it, behind
the same door as the pages (a verified second factor; 404 for a network the user is not bound
to), with the API's one error shape, and in the apex's OpenAPI schema."""

import datetime as dt
from decimal import Decimal

from tests.clients import client_for, network_client
from tests.factories import FIGURE_CELLS, figures_make, membership_make, network_user

NOVEMBER = dt.date(2026, 11, 1)
OCTOBER = dt.date(2026, 10, 1)


def _set_up(alfa, beta, networks):
    membership_make(networks.samen030, alfa.cooperative, groups=("help", "members"))
    membership_make(networks.rijnmond, beta.cooperative)
    figures_make(alfa.cooperative, NOVEMBER)
    figures_make(alfa.cooperative, OCTOBER, {("help", "services", ""): Decimal(3)})
    figures_make(beta.cooperative, NOVEMBER)


def test_the_cooperatives_are_those_the_network_sees_with_what_each_shares(alfa, beta, networks):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030, "analyst"))
    answer = client.get("/api/v1/networks/samen030/cooperatives/")
    assert answer.status_code == 200
    assert answer.json()["results"] == [
        {
            "slug": "alfa",
            "name": "Wijkcoöperatie Alfa",
            "groups": ["help", "members"],
            "on_map": True,
        }
    ]


def test_the_figures_are_the_shared_cells_only_filtered_by_month_group_and_cooperative(
    alfa, beta, networks
):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030))
    answer = client.get("/api/v1/networks/samen030/figures/", {"month": "2026-11"}).json()
    shared = [k for k in FIGURE_CELLS if k[0] in ("help", "members")]
    assert answer["count"] == len(shared)
    cells = answer["results"]
    assert {c["cooperative"] for c in cells} == {"alfa"}
    assert {c["group"] for c in cells} == {"help", "members"}
    left = next(c for c in cells if c["metric"] == "left")
    assert left == {
        "cooperative": "alfa",
        "month": "2026-11",
        "group": "members",
        "metric": "left",
        "label": "Opzeggingen",
        "unit": "leden",
        "dimension": "",
        "value": None,
        "suppressed": True,
    }
    october = client.get(
        "/api/v1/networks/samen030/figures/",
        {"month": "2026-10", "group": "help", "cooperative": "alfa"},
    ).json()
    assert [(c["metric"], c["value"]) for c in october["results"]] == [("services", "3.00")]
    # Klussen are not shared with SAMEN030: asking for them gives nothing.
    klussen = client.get("/api/v1/networks/samen030/figures/", {"group": "klussen"}).json()
    assert klussen["count"] == 0


def test_a_foreign_network_or_cooperative_is_not_found(alfa, beta, networks):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030))
    for url in (
        "/api/v1/networks/rijnmond/cooperatives/",
        "/api/v1/networks/rijnmond/figures/",
        "/api/v1/networks/samen030/figures/?cooperative=beta",
        "/api/v1/networks/niet-bestaand/figures/",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.json()["type"] == "client_error"
        assert "beta" not in answer.content.decode().lower()


def test_bad_filters_answer_with_the_api_error_shape(alfa, beta, networks):
    _set_up(alfa, beta, networks)
    client = network_client(network_user(networks.samen030))
    answer = client.get("/api/v1/networks/samen030/figures/", {"month": "nov", "group": "x"})
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"] == "validation_error"
    assert {(e["attr"], e["code"]) for e in body["errors"]} == {
        ("month", "invalid_month"),
        ("group", "invalid_choice"),
    }


def test_without_login_or_second_factor_nothing_is_answered(alfa, beta, networks):
    _set_up(alfa, beta, networks)
    anonymous = client_for("noaber.test").get("/api/v1/networks/samen030/figures/")
    assert anonymous.status_code == 403
    assert anonymous.json()["errors"][0]["code"] == "not_authenticated"
    user = network_user(networks.samen030)
    unverified = network_client(user, verified=False).get("/api/v1/networks/samen030/figures/")
    assert unverified.status_code == 403
    assert unverified.json()["errors"][0]["code"] == "two_factor_required"
    assert "results" not in unverified.json()


def test_the_network_routes_are_in_the_openapi_schema(coops, db):
    schema = client_for("noaber.test").get("/api/v1/schema/?format=json").json()
    cooperatives = schema["paths"]["/api/v1/networks/{network}/cooperatives/"]["get"]
    figures = schema["paths"]["/api/v1/networks/{network}/figures/"]["get"]
    assert cooperatives["operationId"] == "network_cooperatives"
    assert figures["operationId"] == "network_figures"
    assert {p["name"] for p in figures["parameters"]} >= {
        "network",
        "month",
        "group",
        "cooperative",
    }
    assert set(figures["responses"]) >= {"200", "403", "404"}
