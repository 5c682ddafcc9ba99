"""The monthly statement through the API: the same figures as strings, a structured 403 for
members and 404 for unknown months."""

from __future__ import annotations

from tests.clients import logged_in_client, treasurer_client
from tests.factories import KLUS_DESCRIPTION, MemberFactory


def test_api_gives_the_same_figures_as_strings(alfa, beta, klussen, alfa_subscription):
    client = treasurer_client(alfa)
    response = client.get("/api/v1/overzichten/2025/11/")
    assert response.status_code == 200
    data = response.json()
    assert (data["cooperative"], data["year"], data["month"]) == ("Wijkcoöperatie Alfa", 2025, 11)
    assert data["totals"] == {
        "klussen": 4,
        "cancelled": 1,
        "hours": "5.00",
        "charged": "22.50",
        "cooperative_shares": "2.26",
        "volunteer_amounts": "20.24",
        "platform_fees": "0.14",
        "paid_cash": "9.00",
        "paid_online": "6.75",
        "owed": "6.75",
        "owed_count": 2,
    }
    assert data["subscription"]["plan_name"] == "Buurtpakket"
    assert data["subscription"]["monthly_price"] == "29.50"
    assert data["subscription"]["status"] == "active"
    assert data["earlier_owed_total"] == "9.00"
    assert data["received_cash"] == "22.50"
    cash = next(line for line in data["lines"] if line["payment_id"] == klussen["cash"].pk)
    assert cash == {
        "payment_id": klussen["cash"].pk,
        "service_id": klussen["cash"].service_id,
        "performed_on": "2025-11-03",
        "cluster": cash["cluster"],
        "volunteer": "Vera Vrijwilliger",
        "requester": "Rita Hulpvrager",
        "hours": "2.00",
        "rate_per_hour": "4.50",
        "amount": "9.00",
        "cooperative_share": "0.90",
        "volunteer_amount": "8.10",
        "platform_fee": "0.00",
        "method": "cash",
        "status": "paid",
        "paid_on": "2025-11-20",
    }
    assert KLUS_DESCRIPTION not in response.content.decode()
    assert "Bram" not in response.content.decode()

    beta_data = treasurer_client(beta).get("/api/v1/overzichten/2025/11/").json()
    assert beta_data["totals"]["charged"] == "63.00" and beta_data["subscription"] is None


def test_api_refuses_members_and_unknown_months(alfa, beta, klussen):
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=["volunteer"]))
    refused = member.get("/api/v1/overzichten/2025/11/")
    assert refused.status_code == 403
    assert refused.json()["type"] == "client_error"
    assert "Vera" not in refused.content.decode()
    client = treasurer_client(alfa)
    for path in ("/api/v1/overzichten/2025/13/", "/api/v1/overzichten/1800/1/"):
        missing = client.get(path)
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["detail"] == "Voor deze maand bestaat geen overzicht."


def test_api_gives_the_double_payments_as_strings(alfa, beta, klussen, doubles):
    data = treasurer_client(alfa).get("/api/v1/overzichten/2025/11/").json()
    assert (data["to_refund_total"], data["refunded_total"]) == ("9.00", "4.50")
    assert data["to_refund"][0] == {
        "double_payment_id": doubles["open"].pk,
        "payment_id": klussen["cash"].pk,
        "performed_on": "2025-11-03",
        "cluster": data["to_refund"][0]["cluster"],
        "volunteer": "Vera Vrijwilliger",
        "requester": "Rita Hulpvrager",
        "amount": "9.00",
        "received_on": "2025-11-21",
        "earlier": "cash",
        "refunded_on": None,
    }
    assert [(r["amount"], r["refunded_on"]) for r in data["to_refund"][1:]] == [
        ("4.50", "2025-12-03")
    ]
    beta_data = treasurer_client(beta).get("/api/v1/overzichten/2025/11/").json()
    assert [r["amount"] for r in beta_data["to_refund"]] == ["12.34"]
    assert beta_data["to_refund_total"] == "12.34" and beta_data["refunded_total"] == "0.00"
