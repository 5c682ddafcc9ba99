"""The subscription through the API (/api/v1/billing/...): the status for the board, Checkout and
the portal for the chair and the treasurer, nothing for members; beta's status never follows
alfa's."""

from __future__ import annotations

from datetime import UTC, datetime

from billing.subscriptions.models import Plan
from billing.subscriptions.selectors import member_count
from tests.clients import logged_in_client
from tests.factories import MemberFactory
from tests.stripe_standin import END, subscribed


def test_api_subscription_status(alfa, beta, plans, stripe_standin, treasurers):
    subscribed(alfa, stripe_standin, sub_id="sub_alfa", status="past_due", plan="tot150")
    client = logged_in_client(alfa, member=treasurers["alfa"])

    data = client.get("/api/v1/billing/subscription/").json()

    assert data["status"] == "past_due"
    assert data["status_label"] == "achterstallig"
    assert data["plan"]["code"] == "tot150"
    assert data["plan"]["monthly_price_cents"] == 1500
    assert data["access"] in ("grace", "read_only")
    assert data["grace_until"] is not None
    assert datetime.fromisoformat(data["current_period_end"]) == datetime.fromtimestamp(END, tz=UTC)
    assert data["sponsored_by"] == ""
    beta_data = (
        logged_in_client(beta, member=treasurers["beta"])
        .get("/api/v1/billing/subscription/")
        .json()
    )
    assert (beta_data["status"], beta_data["plan"]["code"], beta_data["access"]) == (
        "", "pilot", "full",
    )  # fmt: skip


def test_api_refuses_members_and_the_audit_committee_cannot_act(alfa, beta, plans, stripe_standin):
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, name="Lid"))
    auditor = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, name="Kas", roles=["audit_committee"])
    )

    refused = member.get("/api/v1/billing/subscription/")
    assert refused.status_code == 403 and refused.json()["type"] == "client_error"
    assert auditor.get("/api/v1/billing/subscription/").status_code == 200
    act = auditor.post(
        "/api/v1/billing/checkout/", {"plan": "tot150"}, content_type="application/json"
    )
    assert act.status_code == 403
    assert auditor.post("/api/v1/billing/portal/").status_code == 403
    assert stripe_standin.requests == []


def test_api_checkout_and_portal(alfa, beta, plans, stripe_standin, treasurers, monkeypatch):
    client = logged_in_client(alfa, member=treasurers["alfa"])

    checkout = client.post("/api/v1/billing/checkout/", {"plan": "tot150"},
                           content_type="application/json")  # fmt: skip
    portal = client.post("/api/v1/billing/portal/")

    [session] = stripe_standin.created("checkout/sessions")
    assert checkout.status_code == 200
    assert checkout.json() == {"url": session["url"], "changed": False}
    [portal_session] = stripe_standin.created("billing_portal/sessions")
    assert portal.status_code == 200 and portal.json() == {"url": portal_session["url"]}

    unknown = client.post("/api/v1/billing/checkout/", {"plan": "reus"},
                          content_type="application/json")  # fmt: skip
    assert unknown.status_code == 400
    assert unknown.json()["type"] == "validation_error"
    assert unknown.json()["errors"][0]["attr"] == "plan"

    members = member_count(cooperative=alfa.cooperative)
    Plan.objects.filter(code="tot500").update(max_members=members - 1)
    small = client.post("/api/v1/billing/checkout/", {"plan": "tot500"},
                        content_type="application/json")  # fmt: skip
    assert small.status_code == 400
    assert small.json()["errors"][0] == {
        "attr": "plan", "code": "too_small", "detail": small.json()["errors"][0]["detail"],
    }  # fmt: skip

    from billing import tasks

    monkeypatch.setattr(tasks.run_outbox_call, "apply_async", lambda **kwargs: None)
    stripe_standin.fail_next("/v1/checkout/sessions", times=1)
    pending = client.post("/api/v1/billing/checkout/", {"plan": "onbeperkt"},
                          content_type="application/json")  # fmt: skip
    assert pending.status_code == 202
    assert pending.json()["errors"][0]["code"] == "stripe_pending"
    assert len(stripe_standin.created("checkout/sessions")) == 1
