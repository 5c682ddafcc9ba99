"""The savings API for network users: the estimate as on the page (labelled an estimate), the
versions, a new version by the manager only; another network's user gets 404; bad numbers are
refused with the service's Dutch message and nothing is written; the routes are documented."""

from django_tenants.utils import schema_context

from tenants.savings.models import SavingsParameters
from tests.clients import client_for, error_codes, network_client, post_json
from tests.factories import membership_make, network_user

ESTIMATE = "/api/v1/networks/samen030/savings/"
PARAMETERS = "/api/v1/networks/samen030/savings/parameters/"


def versions() -> int:
    with schema_context("public"):
        return SavingsParameters.objects.count()


def test_the_estimate_is_the_formula_and_says_it_is_an_estimate(
    alfa, beta, networks, craft, months
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative, groups=("feedback",))
    manager = network_user(networks.samen030)
    craft.parameters(manager, networks.samen030, clusters=[("Vervoer", "0.8", "40")])
    craft.figure(alfa, months.this, "help", "hours", "Vervoer", "12.5")
    craft.figure(alfa, months.this, "help", "hours", "Tuin")  # suppressed
    craft.figure(beta, months.this, "help", "hours", "Vervoer", "99")  # not shared
    answer = network_client(manager).get(ESTIMATE).json()
    assert answer["notice"] == "schatting, geen feit"
    assert answer["parameters"]["version"] == 1
    assert answer["parameters"]["clusters"] == [
        {"cluster": "Vervoer", "share": "0.800", "hourly_cost": "40.00"}
    ]
    [alfa_estimate] = answer["cooperatives"]
    assert alfa_estimate["cooperative"] == "alfa" and alfa_estimate["suppressed"] == 1
    assert alfa_estimate["lines"] == [
        {
            "cluster": "Vervoer",
            "hours": "12.50",
            "share": "0.800",
            "hourly_cost": "40.00",
            "amount": "400.00",
        }
    ]
    assert answer["not_sharing"] == ["beta"] and answer["amount"] == "400.00"


def test_a_manager_posts_a_version_an_analyst_and_other_networks_cannot(alfa, beta, networks):
    version = {"valid_from": "2027-01-01", "share": "0.6", "hourly_cost": "35", "clusters": []}
    manager = network_client(network_user(networks.samen030))
    made = post_json(manager, PARAMETERS, version)
    assert made.status_code == 201 and made.json()["version"] == 1
    analyst = network_client(network_user(networks.samen030, role="analyst"))
    assert post_json(analyst, PARAMETERS, version).status_code == 403
    assert analyst.get(PARAMETERS).json()[0]["version"] == 1
    rijnmond = network_client(network_user(networks.rijnmond))
    assert rijnmond.get(ESTIMATE).status_code == 404
    assert post_json(rijnmond, PARAMETERS, version).status_code == 404
    assert versions() == 1


def test_bad_numbers_are_refused_with_the_services_message(alfa, beta, networks):
    manager = network_client(network_user(networks.samen030))
    too_much = post_json(
        manager,
        PARAMETERS,
        {
            "valid_from": "2027-01-01",
            "share": "0.6",
            "hourly_cost": "35",
            "clusters": [{"cluster": "Vervoer", "share": "1.5", "hourly_cost": "40"}],
        },
    )
    assert too_much.status_code == 400
    assert error_codes(too_much) == [("clusters", "share_out_of_range")]
    negative = post_json(
        manager, PARAMETERS, {"valid_from": "2027-01-01", "share": "0.6", "hourly_cost": "-1"}
    )
    assert error_codes(negative) == [("hourly_cost", "negative_cost")]
    assert versions() == 0


def test_the_routes_are_in_the_apex_schema(alfa, beta):
    schema = client_for("noaber.test").get("/api/v1/schema/?format=json").json()
    assert schema["paths"][ESTIMATE.replace("samen030", "{network}")]["get"]["operationId"] == (
        "network_savings_estimate"
    )
    assert "post" in schema["paths"][PARAMETERS.replace("samen030", "{network}")]
