"""Paying klussen online with iDEAL on the cooperative's own Stripe account (Stripe Connect),
against the local Stripe stand-in: onboarding the connected account (made once, carrying the
schema), Stripe saying it can take payments (account.updated, signed with the Connect
secret), a Checkout Session on that account with the platform's fee, and the events that
settle it. Both cooperatives have a connected account and a klus in every test; an event of
one never changes the other."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from billing.connect.models import ConnectAccount
from billing.klussen.models import KlusPayment
from billing.outbox.models import OutboxCall
from billing.webhooks.models import StripeEvent
from cooperatives.marketplace.models import CompensationDue
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory, klussen_in_both
from tests.pages import body
from tests.state import due_status, payment_audit_actions, payment_snapshot, payment_stored
from tests.stripe_standin import CONNECT_SECRET, event_body, post_event
from tests.texts import ONLINE_BUTTON

SESSIONS = "/v1/checkout/sessions"


def session_posts(standin) -> list:
    return [r for r in standin.requests if r.method == "POST" and r.path == SESSIONS]


def send(standin, apex_client, capture, *, event_id, event_type, kind, obj_id, account):
    body_ = event_body(
        standin,
        event_id=event_id,
        event_type=event_type,
        kind=kind,
        obj_id=obj_id,
        account=account,
    )
    with capture(execute=True):
        return post_event(apex_client, body_, secret=CONNECT_SECRET).status_code


# --- onboarding --------------------------------------------------------------------------------


def test_the_treasurer_connects_the_cooperatives_stripe_account_once(
    stripe_standin, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    standin = stripe_standin
    treasurers = {
        coop.schema: MemberFactory(
            schema=coop.schema, name="Tineke Penningmeester", roles=["board_treasurer"]
        )
        for coop in (alfa, beta)
    }
    as_alfa = logged_in_client(alfa, member=treasurers[alfa.schema])

    page = body(as_alfa.get("/klussen/stripe-account/"))
    assert "De coöperatie heeft nog geen Stripe-account." in page
    first = as_alfa.post("/klussen/stripe-account/")
    second = as_alfa.post("/klussen/stripe-account/")
    logged_in_client(beta, member=treasurers[beta.schema]).post("/klussen/stripe-account/")

    alfa_account = ConnectAccount.objects.get(cooperative=alfa.cooperative)
    beta_account = ConnectAccount.objects.get(cooperative=beta.cooperative)
    acct = alfa_account.stripe_account_id
    assert acct != beta_account.stripe_account_id
    assert (first.status_code, first["Location"]) == (303, f"{standin.base}/onboarding/{acct}")
    assert second.status_code == 303
    # The account is made once per cooperative, carrying its schema.
    creates = [r for r in standin.requests if r.method == "POST" and r.path == "/v1/accounts"]
    assert [r.idempotency_key for r in creates] == [
        "connect-account-coop_alfa",
        "connect-account-coop_beta",
    ]
    made = standin.created("accounts")
    assert [(a["metadata"], a["country"], a["type"]) for a in made] == [
        ({"schema": "coop_alfa"}, "NL", "standard"),
        ({"schema": "coop_beta"}, "NL", "standard"),
    ]
    links = [r.body for r in standin.requests if r.path == "/v1/account_links"]
    assert len(links) == 3
    assert links[0]["account"] == acct
    assert links[0]["type"] == "account_onboarding"
    assert f"://{alfa.host}" in links[0]["return_url"]
    assert links[0]["return_url"].endswith("/klussen/stripe-account/?terug=1")
    assert links[0]["refresh_url"].endswith("/klussen/stripe-account/")
    assert not alfa_account.charges_enabled

    # Back from Stripe with the details filled in: the page reads the account at once.
    standin.accounts[acct]["details_submitted"] = True
    back = body(as_alfa.get("/klussen/stripe-account/?terug=1"))
    assert "Stripe controleert ze nog" in back
    assert ConnectAccount.objects.get(pk=alfa_account.pk).details_submitted

    # Stripe approves: account.updated from the connected account, signed with the Connect
    # endpoint's secret.
    standin.accounts[acct]["charges_enabled"] = True
    status = send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_acct_1",
        event_type="account.updated",
        kind="accounts",
        obj_id=acct,
        account=acct,
    )
    assert status == 200
    alfa_account.refresh_from_db()
    beta_account.refresh_from_db()
    assert (alfa_account.charges_enabled, alfa_account.details_submitted) == (True, True)
    assert (beta_account.charges_enabled, beta_account.details_submitted) == (False, False)
    assert StripeEvent.objects.get(event_id="evt_acct_1").processed_at is not None
    with schema_context(alfa.schema):
        assert AuditEntry.objects.filter(action="billing.connect_status").count() == 2
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action="billing.connect_status").exists()
    page = body(as_alfa.get("/klussen/stripe-account/"))
    assert "Het Stripe-account is klaar" in page


def test_only_the_chair_or_treasurer_may_connect_the_account(stripe_standin, alfa, beta):
    for roles in ([], ["coordinator"], ["board_general"], ["audit_committee"]):
        member = MemberFactory(schema=alfa.schema, roles=roles)
        assert logged_in_client(alfa, member=member).post(
            "/klussen/stripe-account/"
        ).status_code == (403)
    assert stripe_standin.requests == []
    assert not ConnectAccount.objects.exists()


# --- paying online -----------------------------------------------------------------------------


def test_the_requester_pays_online_on_the_cooperatives_connected_account(
    connected, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    standin = connected
    cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    as_requester = logged_in_client(alfa, member=payment.requester)
    assert ONLINE_BUTTON in body(as_requester.get(f"/klussen/{payment.pk}/"))

    response = as_requester.post(f"/klussen/{payment.pk}/online-betalen/")

    assert response.status_code == 303
    [request] = session_posts(standin)
    [made] = standin.created("checkout/sessions")
    session_id = next(iter(standin.checkout_sessions))
    assert response["Location"] == f"{standin.base}/pay/{session_id}"
    assert request.stripe_account == "acct_alfa"
    assert request.idempotency_key == f"klus-checkout-coop_alfa-{payment.pk}-1"
    sent = request.body
    assert sent["mode"] == "payment"
    assert sent["payment_method_types"] == ["ideal"]
    assert sent["line_items"] == [
        {
            "quantity": "1",
            "price_data": {
                "currency": "eur",
                "unit_amount": "750",
                "product_data": {"name": f"Klus: {cluster} op {payment.performed_on:%d-%m-%Y}"},
            },
        }
    ]
    # 2 % of 750 cents = 15 cents.
    assert sent["payment_intent_data"]["application_fee_amount"] == "15"
    metadata = {"kind": "klus", "schema": "coop_alfa", "klus_payment": str(payment.pk)}
    assert sent["metadata"] == metadata
    assert made["metadata"] == metadata
    assert made["_account"] == "acct_alfa"
    assert sent["success_url"].endswith(f"://{alfa.host}/klussen/{payment.pk}/?betaald=1")
    assert sent["cancel_url"].endswith(f"://{alfa.host}/klussen/{payment.pk}/?geannuleerd=1")
    after = payment_stored(alfa, payment)
    assert (after.status, after.checkout_session_id) == ("pending_online", session_id)

    # A double click goes to the same open session; Stripe is not asked again.
    again = as_requester.post(f"/klussen/{payment.pk}/online-betalen/")
    assert (again.status_code, again["Location"]) == (303, response["Location"])
    assert len(session_posts(standin)) == 1
    # Meanwhile the volunteer cannot confirm cash (the requester may be paying right now).
    as_volunteer = logged_in_client(alfa, member=payment.volunteer)
    refused = as_volunteer.post(f"/klussen/{payment.pk}/contant-ontvangen/")
    assert refused.status_code == 400
    assert payment_stored(alfa, payment).status == "pending_online"

    # iDEAL paid: Stripe completes the session on the connected account.
    standin.checkout_sessions[session_id].update(
        status="complete", payment_status="paid", payment_intent="pi_alfa_1"
    )
    before = timezone.now()
    status = send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_klus_1",
        event_type="checkout.session.completed",
        kind="checkout/sessions",
        obj_id=session_id,
        account="acct_alfa",
    )
    assert status == 200
    paid = payment_stored(alfa, payment)
    assert (paid.status, paid.method, paid.payment_intent_id) == ("paid", "online", "pi_alfa_1")
    assert paid.platform_fee == Decimal("0.15")
    assert paid.paid_at >= before
    assert due_status(alfa, payment) == CompensationDue.Status.SETTLED
    assert payment_audit_actions(alfa, payment).count("klus.online_paid") == 1
    reads = [r for r in standin.requests if r.method == "GET"]
    assert [(r.path, r.stripe_account) for r in reads] == [
        (f"{SESSIONS}/{session_id}", "acct_alfa")
    ]

    # The same event again, and the async-succeeded event after it: one effect.
    state = payment_snapshot(alfa, payment)
    for event_id, event_type in (
        ("evt_klus_1", "checkout.session.completed"),
        ("evt_klus_2", "checkout.session.async_payment_succeeded"),
    ):
        assert (
            send(
                standin,
                apex_client,
                django_capture_on_commit_callbacks,
                event_id=event_id,
                event_type=event_type,
                kind="checkout/sessions",
                obj_id=session_id,
                account="acct_alfa",
            )
            == 200
        )
    assert payment_snapshot(alfa, payment) == state
    assert StripeEvent.objects.filter(event_id="evt_klus_1").count() == 1
    assert payment_audit_actions(alfa, payment).count("klus.online_paid") == 1
    # Paid: nothing more to do for anyone.
    assert ONLINE_BUTTON not in body(as_requester.get(f"/klussen/{payment.pk}/"))
    assert payment_stored(beta, beta_payment).status == "open"


def test_an_event_naming_another_cooperative_never_changes_this_one(
    connected, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    standin = connected
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    logged_in_client(alfa, member=payment.requester).post(f"/klussen/{payment.pk}/online-betalen/")
    session_id = payment_stored(alfa, payment).checkout_session_id
    standin.checkout_sessions[session_id].update(status="complete", payment_status="paid")
    # A session on alfa's account whose metadata names beta (and beta's klus id).
    standin.checkout_sessions["cs_forged"] = {
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "metadata": {"kind": "klus", "schema": "coop_beta", "klus_payment": str(beta_payment.pk)},
    }
    before = (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment))

    for n, (obj_id, account) in enumerate(
        [
            (session_id, "acct_beta"),  # alfa's session, said to be beta's account
            ("cs_forged", "acct_alfa"),  # alfa's account, metadata naming beta
            (session_id, ""),  # on the platform's own account
            (session_id, "acct_unknown"),
        ]
    ):
        assert (
            send(
                standin,
                apex_client,
                django_capture_on_commit_callbacks,
                event_id=f"evt_wrong_{n}",
                event_type="checkout.session.completed",
                kind="checkout/sessions",
                obj_id=obj_id,
                account=account,
            )
            == 200
        )

    assert (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment)) == before
    assert payment_stored(alfa, payment).status == "pending_online"


def test_an_expired_session_opens_the_klus_again_and_a_new_click_makes_a_new_session(
    connected, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    standin = connected
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    as_requester = logged_in_client(alfa, member=payment.requester)
    as_requester.post(f"/klussen/{payment.pk}/online-betalen/")
    first = payment_stored(alfa, payment).checkout_session_id
    standin.checkout_sessions[first]["status"] = "expired"

    send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_expired",
        event_type="checkout.session.expired",
        kind="checkout/sessions",
        obj_id=first,
        account="acct_alfa",
    )

    after = payment_stored(alfa, payment)
    assert (after.status, after.paid_at) == ("open", None)
    assert due_status(alfa, payment) == CompensationDue.Status.OWED
    assert payment_audit_actions(alfa, payment)[-1] == "klus.online_ended"

    again = as_requester.post(f"/klussen/{payment.pk}/online-betalen/")
    assert again.status_code == 303
    posts = session_posts(standin)
    assert [r.idempotency_key for r in posts] == [
        f"klus-checkout-coop_alfa-{payment.pk}-1",
        f"klus-checkout-coop_alfa-{payment.pk}-2",
    ]
    second = payment_stored(alfa, payment)
    assert second.status == "pending_online"
    assert second.checkout_session_id not in ("", first)

    # A late expiry of the first session does not reopen the klus that waits on the second.
    send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_expired_again",
        event_type="checkout.session.expired",
        kind="checkout/sessions",
        obj_id=first,
        account="acct_alfa",
    )
    assert payment_stored(alfa, payment).status == "pending_online"
    assert payment_stored(beta, beta_payment).status == "open"


def test_a_failed_async_ideal_payment_opens_the_klus_again(
    connected, alfa, beta, apex_client, django_capture_on_commit_callbacks
):
    standin = connected
    _cluster, payment, _beta = klussen_in_both(alfa, beta)
    logged_in_client(alfa, member=payment.requester).post(f"/klussen/{payment.pk}/online-betalen/")
    session_id = payment_stored(alfa, payment).checkout_session_id
    standin.checkout_sessions[session_id].update(status="complete", payment_status="unpaid")

    send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_completed_unpaid",
        event_type="checkout.session.completed",
        kind="checkout/sessions",
        obj_id=session_id,
        account="acct_alfa",
    )
    assert payment_stored(alfa, payment).status == "pending_online"  # still on its way

    send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_async_failed",
        event_type="checkout.session.async_payment_failed",
        kind="checkout/sessions",
        obj_id=session_id,
        account="acct_alfa",
    )
    assert payment_stored(alfa, payment).status == "open"


# --- Stripe away -------------------------------------------------------------------------------


def test_a_lost_answer_is_retried_with_the_same_key_and_makes_one_session(connected, alfa, beta):
    standin = connected
    _cluster, payment, _beta = klussen_in_both(alfa, beta)
    standin.fail_next(SESSIONS, times=1, after_write=True)

    response = logged_in_client(alfa, member=payment.requester).post(
        f"/klussen/{payment.pk}/online-betalen/"
    )

    assert response.status_code == 303
    posts = session_posts(standin)
    assert len(posts) == 2
    assert len({r.idempotency_key for r in posts}) == 1
    assert len(standin.created("checkout/sessions")) == 1
    session_id = next(iter(standin.checkout_sessions))
    assert response["Location"] == f"{standin.base}/pay/{session_id}"
    assert payment_stored(alfa, payment).checkout_session_id == session_id


def test_while_stripe_is_away_the_api_answers_202_and_a_later_try_makes_one_session(
    connected, alfa, beta
):
    standin = connected
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    as_requester = logged_in_client(alfa, member=payment.requester)
    # Every attempt fails: the first one now and all the outbox's retries (inline here).
    standin.fail_next(SESSIONS, times=50)

    waiting = as_requester.post(f"/api/v1/klussen/{payment.pk}/online-betalen/")
    page = as_requester.post(f"/klussen/{payment.pk}/online-betalen/")

    assert waiting.status_code == 202
    assert waiting.json()["url"] is None
    assert page.status_code == 202
    assert "Stripe is even niet bereikbaar" in body(page)
    assert standin.created("checkout/sessions") == []
    assert payment_stored(alfa, payment).status == "open"
    call = OutboxCall.objects.get(operation="checkout_session.create")
    assert call.status == OutboxCall.Status.PENDING
    assert call.stripe_account == "acct_alfa"

    standin.failures.clear()
    done = as_requester.post(f"/api/v1/klussen/{payment.pk}/online-betalen/")

    assert done.status_code == 200
    session_id = next(iter(standin.checkout_sessions))
    assert done.json() == {"url": f"{standin.base}/pay/{session_id}"}
    assert len(standin.created("checkout/sessions")) == 1
    assert {r.idempotency_key for r in session_posts(standin)} == {
        f"klus-checkout-coop_alfa-{payment.pk}-1"
    }
    assert OutboxCall.objects.filter(operation="checkout_session.create").count() == 1
    assert payment_stored(alfa, payment).status == "pending_online"
    assert payment_stored(beta, beta_payment).status == "open"


def test_a_coordinator_may_start_the_online_payment_but_the_volunteer_may_not(
    connected, alfa, beta
):
    _cluster, payment, _beta = klussen_in_both(alfa, beta)
    before = payment_snapshot(alfa, payment)

    refused = logged_in_client(alfa, member=payment.volunteer).post(
        f"/api/v1/klussen/{payment.pk}/online-betalen/"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "forbidden"
    assert payment_snapshot(alfa, payment) == before
    assert session_posts(connected) == []

    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    response = logged_in_client(alfa, member=coordinator).post(
        f"/api/v1/klussen/{payment.pk}/online-betalen/"
    )
    assert response.status_code == 200
    assert payment_stored(alfa, payment).status == "pending_online"
    with schema_context(alfa.schema):
        assert KlusPayment.objects.filter(status="pending_online").count() == 1
