"""A cooperative subscribes on /abonnement/: the board and the audit committee see the status in
Dutch, the chair and the treasurer choose a plan through Stripe Checkout (at the stand-in),
change plan, and open Stripe's portal. Completing Checkout arrives as a signed webhook. Both
cooperatives exist in every test; what alfa does never touches beta."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.access.selectors import cooperative_access
from billing.outbox.models import OutboxCall
from billing.subscriptions import services
from billing.subscriptions.models import Plan, Subscription
from billing.subscriptions.selectors import member_count
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory
from tests.stripe_standin import END, START, event_body, post_event, subscribed

PAGE = "/abonnement/"


CHOOSE = "/abonnement/kiezen/"


PORTAL = "/abonnement/beheren/"


def customer(coop) -> str:
    return Subscription.objects.get(cooperative=coop.cooperative).stripe_customer_id


# --- who may see and act -----------------------------------------------------------------------


def test_a_member_without_a_board_role_gets_the_dutch_403_page(alfa, beta, plans, stripe_standin):
    member = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    client = logged_in_client(alfa, member=member)

    page = client.get(PAGE)
    choose = client.post(CHOOSE, {"plan": "tot150"})

    assert page.status_code == 403 and "U heeft hier geen toegang toe" in page.content.decode()
    assert choose.status_code == 403
    assert stripe_standin.requests == []
    assert not Subscription.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(alfa, plans):
    response = client_for(alfa.host).get(PAGE)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_the_treasurer_sees_the_pilot_and_the_plans_to_choose(alfa, beta, plans, treasurers):
    response = logged_in_client(alfa, member=treasurers["alfa"]).get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<td><strong>gratis</strong></td>" in html  # the state's one word
    assert "U gebruikt Noaber gratis als pilot" in html
    assert 'value="tot150"' in html and 'value="onbeperkt"' in html
    assert "Betaalgegevens en facturen beheren" in html


def test_the_audit_committee_sees_the_page_but_cannot_act(
    alfa, beta, plans, stripe_standin, treasurers
):
    auditor = MemberFactory(schema=alfa.schema, name="Karel Kas", roles=["audit_committee"])
    client = logged_in_client(alfa, member=auditor)

    page = client.get(PAGE)
    html = page.content.decode()

    assert page.status_code == 200
    assert 'value="tot150"' not in html
    assert "Betaalgegevens en facturen beheren" not in html
    assert "Alleen de voorzitter, de penningmeester of een beheerder" in html
    assert client.post(CHOOSE, {"plan": "tot150"}).status_code == 403
    assert client.post(PORTAL).status_code == 403
    assert stripe_standin.requests == []


# --- Checkout ----------------------------------------------------------------------------------


def test_choosing_a_plan_opens_a_stripe_checkout_with_the_right_details(
    alfa, beta, plans, stripe_standin, treasurers
):
    response = logged_in_client(alfa, member=treasurers["alfa"]).post(CHOOSE, {"plan": "tot150"})

    assert response.status_code == 303
    [session] = stripe_standin.created("checkout/sessions")
    assert response["Location"] == session["url"]
    assert session["mode"] == "subscription"
    assert session["customer"] == customer(alfa)
    assert session["line_items"] == [{"price": "price_tot150", "quantity": "1"}]
    assert session["payment_method_types"] == ["card", "ideal", "sepa_debit"]
    assert session["subscription_data"] == {
        "metadata": {"schema": "coop_alfa", "plan": "tot150"},
        "trial_period_days": "30",
    }
    assert session["metadata"] == {"schema": "coop_alfa", "plan": "tot150"}
    assert session["client_reference_id"] == "coop_alfa"
    assert session["locale"] == "nl"
    assert session["success_url"].startswith(f"http://{alfa.host}/abonnement/?betaald=1")
    assert session["cancel_url"] == f"http://{alfa.host}/abonnement/?afgebroken=1"
    # One Stripe customer, alfa's; beta has none.
    assert stripe_standin.customers[customer(alfa)]["metadata"] == {"schema": "coop_alfa"}
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()
    with schema_context(alfa.schema):
        assert AuditEntry.objects.filter(action="billing.checkout_started").count() == 1
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action="billing.checkout_started").exists()


def test_a_double_click_reuses_the_open_session_and_a_later_attempt_gets_a_new_one(
    alfa, beta, plans, stripe_standin, treasurers
):
    client = logged_in_client(alfa, member=treasurers["alfa"])
    first = client.post(CHOOSE, {"plan": "tot150"})
    again = client.post(CHOOSE, {"plan": "tot150"})

    assert first["Location"] == again["Location"]
    assert len(stripe_standin.created("checkout/sessions")) == 1

    # The session expired unused: choosing again is a new attempt.
    [session_id] = stripe_standin.checkout_sessions
    stripe_standin.checkout_sessions[session_id]["status"] = "expired"
    later = client.post(CHOOSE, {"plan": "tot150"})

    assert later.status_code == 303 and later["Location"] != first["Location"]
    assert len(stripe_standin.created("checkout/sessions")) == 2
    keys = [r.idempotency_key for r in stripe_standin.requests
            if r.method == "POST" and r.path == "/v1/checkout/sessions"]  # fmt: skip
    assert keys == ["checkout-coop_alfa-tot150-1", "checkout-coop_alfa-tot150-2"]


def test_when_stripe_does_not_answer_the_page_says_so_and_a_second_click_makes_one_session(
    alfa, beta, plans, stripe_standin, treasurers, monkeypatch
):
    from billing import tasks

    monkeypatch.setattr(tasks.run_outbox_call, "apply_async", lambda **kwargs: None)
    stripe_standin.fail_next("/v1/checkout/sessions", times=1)
    client = logged_in_client(alfa, member=treasurers["alfa"])

    away = client.post(CHOOSE, {"plan": "tot150"})

    assert away.status_code == 503
    assert "Stripe is even niet bereikbaar" in away.content.decode()
    call = OutboxCall.objects.get(operation="checkout_session.create")
    assert (call.status, call.attempts) == ("pending", 1)

    back = client.post(CHOOSE, {"plan": "tot150"})

    assert back.status_code == 303
    assert len(stripe_standin.created("checkout/sessions")) == 1
    keys = {r.idempotency_key for r in stripe_standin.requests
            if r.method == "POST" and r.path == "/v1/checkout/sessions"}  # fmt: skip
    assert keys == {"checkout-coop_alfa-tot150-1"}
    call.refresh_from_db()
    assert (call.status, call.attempts) == ("done", 2)


def test_a_plan_too_small_for_the_members_is_refused_and_members_go_on(
    alfa, beta, plans, stripe_standin, treasurers
):
    # Plans are the platform's, the same for both: alfa grows beyond the limit, beta does not.
    limit = member_count(cooperative=beta.cooperative)
    while member_count(cooperative=alfa.cooperative) <= limit:
        MemberFactory(schema=alfa.schema)
    members = member_count(cooperative=alfa.cooperative)
    Plan.objects.filter(code__in=["pilot", "tot150"]).update(max_members=limit)
    client = logged_in_client(alfa, member=treasurers["alfa"])

    page = client.get(PAGE).content.decode()
    refused = client.post(CHOOSE, {"plan": "tot150"})

    assert f"Uw coöperatie heeft {members} leden" in page
    assert f"te klein voor uw {members} leden" in page
    assert 'value="tot150"' not in page and 'value="tot500"' in page
    assert refused.status_code == 400
    assert "is voor ten hoogste" in refused.content.decode()
    assert stripe_standin.requests == []
    assert not OutboxCall.objects.exists()
    # Never a block for members: full use goes on.
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    # Beta, with fewer members than its plan allows, sees no notice.
    beta_page = logged_in_client(beta, member=treasurers["beta"]).get(PAGE).content.decode()
    assert "Uw coöperatie heeft" not in beta_page


def test_the_free_pilot_is_not_a_checkout(alfa, beta, plans, stripe_standin, treasurers):
    response = logged_in_client(alfa, member=treasurers["alfa"]).post(CHOOSE, {"plan": "pilot"})
    assert response.status_code == 400
    assert "De pilot is gratis" in response.content.decode()
    assert stripe_standin.requests == []


def test_completing_checkout_makes_the_subscription_active_through_the_webhook(
    alfa, beta, plans, stripe_standin, treasurers, apex_client, django_capture_on_commit_callbacks
):
    logged_in_client(alfa, member=treasurers["alfa"]).post(CHOOSE, {"plan": "tot150"})
    [session_id] = stripe_standin.checkout_sessions
    standin_session = stripe_standin.checkout_sessions[session_id]
    standin_session.update(status="complete", payment_status="paid", subscription="sub_new")
    stripe_standin.subscription("sub_new", customer=customer(alfa), status="active",
                                price="price_tot150", period_start=START,
                                period_end=END)  # fmt: skip
    body = event_body(stripe_standin, event_id="evt_cs_done",
                      event_type="checkout.session.completed", kind="checkout/sessions",
                      obj_id=session_id)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body).status_code == 200

    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.stripe_subscription_id, sub.status, sub.plan.code) == (
        "sub_new",
        "active",
        "tot150",
    )
    assert sub.current_period_end == datetime.fromtimestamp(END, tz=UTC)
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()
    page = logged_in_client(alfa, member=treasurers["alfa"]).get(PAGE).content.decode()
    assert "Actief: alles werkt" in page and "Klein (tot 150 leden)" in page


def test_coming_back_from_checkout_reads_the_session_at_once(
    alfa, beta, plans, stripe_standin, treasurers
):
    client = logged_in_client(alfa, member=treasurers["alfa"])
    client.post(CHOOSE, {"plan": "tot150"})
    [session_id] = stripe_standin.checkout_sessions
    stripe_standin.checkout_sessions[session_id].update(status="complete", subscription="sub_back")
    stripe_standin.subscription("sub_back", customer=customer(alfa), status="trialing",
                                price="price_tot150", period_start=START,
                                period_end=END)  # fmt: skip

    # Beta's treasurer cannot pull alfa's session onto beta.
    logged_in_client(beta, member=treasurers["beta"]).get(f"{PAGE}?betaald=1&sessie={session_id}")
    response = client.get(f"{PAGE}?betaald=1&sessie={session_id}", follow=True)

    assert "Dank u wel" in response.content.decode()
    assert Subscription.objects.get(cooperative=alfa.cooperative).status == "trialing"
    assert not Subscription.objects.filter(cooperative=beta.cooperative).exists()


def test_no_second_trial_after_an_ended_subscription(alfa, beta, plans, stripe_standin, treasurers):
    subscribed(alfa, stripe_standin, sub_id="sub_old", status="canceled", plan="tot150")

    response = logged_in_client(alfa, member=treasurers["alfa"]).post(CHOOSE, {"plan": "tot150"})

    assert response.status_code == 303  # allowed while read-only: paying is the way out
    [session] = stripe_standin.created("checkout/sessions")
    assert "trial_period_days" not in session["subscription_data"]


# --- a running subscription --------------------------------------------------------------------


def test_changing_plan_updates_the_stripe_subscription_in_place(
    alfa, beta, plans, stripe_standin, treasurers
):
    subscribed(alfa, stripe_standin, sub_id="sub_alfa", status="active", plan="tot150")
    client = logged_in_client(alfa, member=treasurers["alfa"])

    response = client.post(CHOOSE, {"plan": "tot500"})
    again = client.post(CHOOSE, {"plan": "tot500"})

    assert response.status_code == 303 and response["Location"] == PAGE
    assert again.status_code == 400  # already on it now
    assert stripe_standin.subscriptions["sub_alfa"]["price"] == "price_tot500"
    assert stripe_standin.created("checkout/sessions") == []
    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert sub.plan.code == "tot500"
    updates = [r for r in stripe_standin.requests if r.path == "/v1/subscriptions/sub_alfa"
               and r.method == "POST"]  # fmt: skip
    assert len(updates) == 1


def test_the_portal_button_goes_to_stripes_portal_for_this_cooperative(
    alfa, beta, plans, stripe_standin, treasurers
):
    subscribed(beta, stripe_standin, sub_id="sub_beta", status="active", plan="tot150")
    response = logged_in_client(alfa, member=treasurers["alfa"]).post(PORTAL)

    [portal] = stripe_standin.created("billing_portal/sessions")
    assert response.status_code == 303 and response["Location"] == portal["url"]
    assert portal["customer"] == customer(alfa) != customer(beta)
    assert portal["return_url"] == f"http://{alfa.host}/abonnement/"


@pytest.mark.parametrize(
    ("status", "text"),
    [
        ("trialing", "Proefperiode: alles werkt"),
        ("past_due", "Betaling achterstallig: alles werkt nog tot"),
        ("unpaid", "Alleen lezen"),
        ("canceled", "Alleen lezen"),
    ],
)
def test_the_page_says_what_the_status_means(
    alfa, beta, plans, stripe_standin, treasurers, status, text
):
    sub = subscribed(alfa, stripe_standin, sub_id="sub_alfa", status=status, plan="tot150")
    if status == "past_due":
        Subscription.objects.filter(pk=sub.pk).update(
            grace_until=timezone.now() + timedelta(days=3)
        )

    html = logged_in_client(alfa, member=treasurers["alfa"]).get(PAGE).content.decode()

    assert text in html
    assert str(Subscription.Status(status).label) in html
    assert "Uw abonnement wordt betaald door" not in html


# --- late events of an old subscription --------------------------------------------------------


def test_a_late_event_of_an_ended_old_subscription_does_not_overwrite_the_current_one(
    alfa, beta, plans, stripe_standin, apex_client, django_capture_on_commit_callbacks
):
    subscribed(beta, stripe_standin, sub_id="sub_beta", status="active", plan="tot500")
    beta_before = Subscription.objects.filter(cooperative=beta.cooperative).values().get()
    subscribed(alfa, stripe_standin, sub_id="sub_s1", status="canceled", plan="tot150")
    subscribed(alfa, stripe_standin, sub_id="sub_s2", status="active", plan="tot500")
    now = int(time.time())

    body = event_body(stripe_standin, event_id="evt_late_s1", created=now - 3600,
                      event_type="customer.subscription.deleted", kind="subscriptions",
                      obj_id="sub_s1")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(apex_client, body).status_code == 200

    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.stripe_subscription_id, sub.status, sub.plan.code) == ("sub_s2", "active", "tot500")
    assert cooperative_access(cooperative=alfa.cooperative) == "full"
    assert Subscription.objects.filter(cooperative=beta.cooperative).values().get() == beta_before


def test_of_two_running_subscriptions_the_newest_counts(alfa, beta, plans, stripe_standin):
    subscribed(alfa, stripe_standin, sub_id="sub_new", status="active", plan="tot500")
    stripe_standin.subscriptions["sub_new"]["created"] = START + 100
    stripe_standin.subscription("sub_older", customer=customer(alfa), status="past_due",
                                price="price_tot150", created=START)  # fmt: skip
    from django.db import transaction

    with transaction.atomic():
        services.subscription_sync(stripe_subscription_id="sub_older")

    sub = Subscription.objects.get(cooperative=alfa.cooperative)
    assert (sub.stripe_subscription_id, sub.status) == ("sub_new", "active")
