"""Two gaps in a klus's payment lifecycle.

Letting a klus lapse (laten vervallen): a coordinator or board member marks an open klus as
cancelled with a reason; nothing is owed any more (the euro due is settled), it is audited
without the reason, the volunteer and the requester get an email after the commit, and the
klus no longer counts towards the allowance or the statement. A paid klus, one with an online
payment running, no reason, a plain member, the audit committee (it only looks) and another
cooperative's klus are refused and change nothing.

Paid twice: a klus paid in cash is then paid online after all. The klus stays paid in cash; the
online payment is recorded once (however often Stripe sends the event), shown to those who
follow up on the money, on the statement under "Terug te betalen", and mailed to the treasurer
once. Nothing is refunded automatically.

Both cooperatives have klussen in every test; beta is never touched from alfa."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.klussen.selectors import volunteer_year_total
from billing.statements.selectors import statement_month
from cooperatives.marketplace.models import CompensationDue
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory, confirmed_klus, klussen_in_both
from tests.pages import body
from tests.state import due_status, payment_audit_actions, payment_snapshot, payment_stored
from tests.stripe_standin import CONNECT_SECRET, event_body, post_event
from tests.texts import CASH_BUTTON

TODAY = timezone.localdate


REASON = "De hulpvrager kan niet betalen; de vrijwilliger vindt het goed."


WAIVE_BUTTON = "Laat deze klus vervallen"


def mails_about(subject_start: str) -> list:
    return [m for m in mail.outbox if m.subject.startswith(subject_start)]


def audit_count(coop, action: str) -> int:
    with schema_context(coop.schema):
        return AuditEntry.objects.filter(action=action).count()


# --- letting a klus lapse ----------------------------------------------------------------------


def test_a_coordinator_lets_an_open_klus_lapse_with_a_reason(
    alfa, beta, django_capture_on_commit_callbacks
):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    as_coordinator = logged_in_client(alfa, member=coordinator)
    year = payment.performed_on.year
    with schema_context(alfa.schema):
        volunteer = KlusPayment.objects.get(pk=payment.pk).volunteer
        assert volunteer_year_total(volunteer=volunteer, year=year) == Decimal("6.75")
    before_statement = _month_totals(alfa)
    beta_before = payment_snapshot(beta, beta_payment)
    mail.outbox.clear()

    page = body(as_coordinator.get(f"/klussen/{payment.pk}/"))
    assert WAIVE_BUTTON in page
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(
            f"/klussen/{payment.pk}/laten-vervallen/", {"reason": f"  {REASON}  "}
        )

    assert response.status_code == 302
    after = payment_stored(alfa, payment)
    assert (after.status, after.cancel_reason, after.cancelled_by_id) == (
        "cancelled",
        REASON,
        coordinator.pk,
    )
    assert after.cancelled_at is not None
    assert (after.paid_at, after.method) == (None, "")
    assert due_status(alfa, payment) == CompensationDue.Status.SETTLED
    assert payment_audit_actions(alfa, payment) == [
        "klus.record",
        "klus.waive",
        "klus.waive_mailed",
    ]
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="klus.waive")
        assert entry.actor_id == coordinator.pk
        # The reason stays out of the log.
        assert "betalen" not in entry.summary and "betalen" not in str(entry.changes)

    # One mail each to the volunteer and the requester, without the reason.
    sent = mails_about("Klus vervallen")
    assert sorted(m.to[0] for m in sent) == sorted(
        [payment.volunteer.email, payment.requester.email]
    )
    assert all(REASON not in m.body for m in sent)
    assert all(f"/klussen/{payment.pk}/" in m.body and "€ 7,50" in m.body for m in sent)

    # No longer counted: the allowance total and the statement's totals drop by this klus.
    with schema_context(alfa.schema):
        assert volunteer_year_total(volunteer=volunteer, year=year) == Decimal("0.00")
    totals = _month_totals(alfa)
    assert totals.charged == before_statement.charged - Decimal("7.50")
    assert totals.owed == before_statement.owed - Decimal("7.50")
    assert (totals.klussen, totals.cancelled) == (
        before_statement.klussen - 1,
        before_statement.cancelled + 1,
    )

    # The page shows the reason, the buttons are gone, and the requester sees it too.
    page = body(logged_in_client(alfa, member=payment.requester).get(f"/klussen/{payment.pk}/"))
    assert REASON in page and "vervallen" in page
    assert WAIVE_BUTTON not in body(as_coordinator.get(f"/klussen/{payment.pk}/"))
    assert CASH_BUTTON not in body(
        logged_in_client(alfa, member=payment.volunteer).get(f"/klussen/{payment.pk}/")
    )

    # Sending the mail task again mails nobody.
    from billing.klussen.services import klus_waived_notify

    with schema_context(alfa.schema):
        assert klus_waived_notify(payment_id=payment.pk) is False
    assert len(mails_about("Klus vervallen")) == 2
    assert payment_snapshot(beta, beta_payment) == beta_before
    assert audit_count(beta, "klus.waive") == 0


def _month_totals(coop):
    with schema_context(coop.schema):
        today = TODAY()
        return statement_month(year=today.year, month=today.month).totals


def test_a_board_member_lets_a_klus_lapse_through_the_api(
    alfa, beta, django_capture_on_commit_callbacks
):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    board = MemberFactory(schema=alfa.schema, name="Bea Bestuur", roles=["board_general"])
    as_board = logged_in_client(alfa, member=board)
    mail.outbox.clear()

    listing = as_board.get("/api/v1/klussen/").json()["results"]
    assert [row["actions"] for row in listing if row["id"] == payment.pk] == [["waive"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_board.post(
            f"/api/v1/klussen/{payment.pk}/laten-vervallen/",
            {"reason": "Per vergissing geregistreerd"},
            content_type="application/json",
        )

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["cancel_reason"], data["actions"]) == (
        "cancelled",
        "Per vergissing geregistreerd",
        [],
    )
    assert due_status(alfa, payment) == CompensationDue.Status.SETTLED
    assert len(mails_about("Klus vervallen")) == 2
    assert payment_stored(beta, beta_payment).status == "open"


@pytest.mark.parametrize(
    "case", ["paid", "pending_online", "no_reason", "member", "volunteer", "audit", "beta"]
)
def test_refusals_write_nothing(alfa, beta, django_capture_on_commit_callbacks, case):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    actor, reason, target = coordinator, REASON, payment
    expected_page, expected_api = 400, 400
    if case == "paid":
        logged_in_client(alfa, member=payment.volunteer).post(
            f"/klussen/{payment.pk}/contant-ontvangen/"
        )
    elif case == "pending_online":
        with schema_context(alfa.schema):
            KlusPayment.objects.filter(pk=payment.pk).update(
                status="pending_online", checkout_session_id="cs_running"
            )
    elif case == "no_reason":
        reason = "   "
    elif case == "member":
        actor = MemberFactory(schema=alfa.schema, name="Piet Lid")
        expected_page, expected_api = 403, 403
    elif case == "volunteer":
        actor = payment.volunteer  # may see the klus, may not let it go
        expected_page, expected_api = 403, 403
    elif case == "audit":
        actor = MemberFactory(
            schema=alfa.schema, name="Kees Kascommissie", roles=["audit_committee"]
        )
    elif case == "beta":
        target = beta_payment  # another cooperative's id, asked in alfa
        expected_page, expected_api = 404, 404
    before = (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment))
    audit_before = (audit_count(alfa, "klus.waive"), audit_count(beta, "klus.waive"))
    client = logged_in_client(alfa, member=actor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.post(f"/klussen/{target.pk}/laten-vervallen/", {"reason": reason})
        api = client.post(
            f"/api/v1/klussen/{target.pk}/laten-vervallen/",
            {"reason": reason},
            content_type="application/json",
        )

    assert (page.status_code, api.status_code) == (expected_page, expected_api)
    assert (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment)) == before
    assert (audit_count(alfa, "klus.waive"), audit_count(beta, "klus.waive")) == audit_before
    assert payment_stored(alfa, payment).cancel_reason == ""
    assert callbacks == [] and mails_about("Klus vervallen") == []
    codes = {
        "paid": "already_paid",
        "pending_online": "online_pending",
        "no_reason": "required",
        "audit": "forbidden",
    }
    if case in codes:
        assert api.json()["errors"][0]["code"] == codes[case]
    if case == "no_reason":
        assert "Geef een reden op waarom deze klus vervalt." in body(page)
    if case == "audit":
        assert "Alleen een coördinator of het bestuur" in body(page)
        assert WAIVE_BUTTON not in body(client.get(f"/klussen/{payment.pk}/"))


# --- paid twice --------------------------------------------------------------------------------


def _pay_online_after_cash(standin, coop, payment, session_id: str, account: str) -> None:
    """A Checkout Session on the cooperative's connected account for this klus, completed
    and paid (say, the requester had opened the payment page before the cash was confirmed)."""
    standin.checkout_sessions[session_id] = {
        "mode": "payment",
        "status": "complete",
        "payment_status": "paid",
        "payment_intent": f"pi_{session_id}",
        "amount_total": 750,
        "currency": "eur",
        "metadata": {"kind": "klus", "schema": coop.schema, "klus_payment": str(payment.pk)},
    }


def _send(standin, apex_client, capture, *, event_id, event_type, session_id, account):
    body_ = event_body(
        standin,
        event_id=event_id,
        event_type=event_type,
        kind="checkout/sessions",
        obj_id=session_id,
        account=account,
    )
    with capture(execute=True):
        return post_event(apex_client, body_, secret=CONNECT_SECRET).status_code


def test_a_klus_paid_in_cash_and_then_online_is_recorded_once_and_the_treasurer_is_told(
    connected,
    alfa,
    beta,
    apex_client,
    django_capture_on_commit_callbacks,
):
    standin = connected
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    treasurer = MemberFactory(
        schema=alfa.schema, name="Tineke Penningmeester", roles=["board_treasurer"]
    )
    beta_treasurer = MemberFactory(
        schema=beta.schema, name="Theo Penningmeester", roles=["board_treasurer"]
    )
    auditor = MemberFactory(schema=alfa.schema, name="Kees Kascommissie", roles=["audit_committee"])
    logged_in_client(alfa, member=payment.volunteer).post(
        f"/klussen/{payment.pk}/contant-ontvangen/"
    )
    cash = payment_snapshot(alfa, payment)
    beta_before = payment_snapshot(beta, beta_payment)
    _pay_online_after_cash(standin, alfa, payment, "cs_twice", "acct_alfa")
    mail.outbox.clear()

    # Stripe sends completed, then the same event again, then async_payment_succeeded.
    for event_id, event_type in (
        ("evt_twice_1", "checkout.session.completed"),
        ("evt_twice_1", "checkout.session.completed"),
        ("evt_twice_2", "checkout.session.async_payment_succeeded"),
    ):
        status = _send(
            standin,
            apex_client,
            django_capture_on_commit_callbacks,
            event_id=event_id,
            event_type=event_type,
            session_id="cs_twice",
            account="acct_alfa",
        )
        assert status == 200

    # The klus stays paid in cash; the online payment is recorded once.
    assert payment_snapshot(alfa, payment) == cash
    assert payment_stored(alfa, payment).method == "cash"
    with schema_context(alfa.schema):
        [double] = KlusDoublePayment.objects.all()
        assert (double.payment_id, double.checkout_session_id, double.payment_intent_id) == (
            payment.pk,
            "cs_twice",
            "pi_cs_twice",
        )
        assert (double.amount, double.earlier) == (Decimal("7.50"), "cash")
        assert double.treasurers_mailed_at is not None
        received = double.received_at
    assert payment_audit_actions(alfa, payment).count("klus.paid_twice") == 1
    assert payment_audit_actions(alfa, payment).count("klus.paid_twice_mailed") == 1

    # The treasurer is mailed once; beta's treasurer not at all.
    sent = mails_about("Klus dubbel betaald")
    assert [m.to for m in sent] == [[treasurer.email]]
    assert "€ 7,50 online op" in sent[0].body
    assert "terwijl het al contant betaald was" in sent[0].body
    assert f"/klussen/{payment.pk}/" in sent[0].body

    day = timezone.localtime(received).strftime("%d-%m-%Y")
    text = (
        f"Dubbel betaald: € 7,50 online op {day} terwijl het al contant betaald was; "
        "betaal het online bedrag terug via Stripe."
    )
    # The treasurer sees it on the klus and in the list; so does the audit committee.
    as_treasurer = logged_in_client(alfa, member=treasurer)
    assert text in body(as_treasurer.get(f"/klussen/{payment.pk}/"))
    assert text in body(as_treasurer.get("/klussen/"))
    assert text in body(logged_in_client(alfa, member=auditor).get("/klussen/"))
    # The requester hears that it is known, not the treasurer's instruction; the volunteer's
    # list has no such section.
    requester_page = body(
        logged_in_client(alfa, member=payment.requester).get(f"/klussen/{payment.pk}/")
    )
    assert "Deze klus is twee keer betaald." in requester_page and text not in requester_page
    assert "Twee keer betaald: terugbetalen" not in body(
        logged_in_client(alfa, member=payment.volunteer).get("/klussen/")
    )

    # The month's statement: a section to refund, the totals unchanged (paid once, in cash).
    today = TODAY()
    with schema_context(alfa.schema):
        statement = statement_month(year=today.year, month=today.month)
    assert [(r.payment_id, r.amount, r.earlier) for r in statement.to_refund] == [
        (payment.pk, Decimal("7.50"), "cash")
    ]
    assert statement.to_refund_total == Decimal("7.50")
    assert statement.totals.paid_online == Decimal("0.00")
    assert statement.totals.paid_cash == Decimal("7.50")
    page = body(as_treasurer.get(f"/overzichten/{today.year}/{today.month}/"))
    assert "Terug te betalen" in page and "€ 7,50" in page

    # Mailing again (a task delivered twice) sends nothing.
    from billing.klussen.services import klus_double_payment_notify

    with schema_context(alfa.schema):
        assert klus_double_payment_notify(double_payment_id=double.pk) is False
    assert len(mails_about("Klus dubbel betaald")) == 1

    # Beta: untouched, nothing recorded, its treasurer not mailed, nothing on its statement.
    assert payment_snapshot(beta, beta_payment) == beta_before
    with schema_context(beta.schema):
        assert not KlusDoublePayment.objects.exists()
        assert statement_month(year=today.year, month=today.month).to_refund == []
    assert all(beta_treasurer.email not in m.to for m in mail.outbox)


def test_an_online_payment_for_a_lapsed_klus_is_recorded_to_refund_and_the_klus_stays_lapsed(
    connected,
    alfa,
    beta,
    apex_client,
    django_capture_on_commit_callbacks,
):
    standin = connected
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    MemberFactory(schema=alfa.schema, name="Tineke Penningmeester", roles=["board_treasurer"])
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(alfa, member=coordinator).post(
            f"/klussen/{payment.pk}/laten-vervallen/", {"reason": REASON}
        )
    lapsed = payment_snapshot(alfa, payment)
    _pay_online_after_cash(standin, alfa, payment, "cs_late", "acct_alfa")
    mail.outbox.clear()

    _send(
        standin,
        apex_client,
        django_capture_on_commit_callbacks,
        event_id="evt_late",
        event_type="checkout.session.completed",
        session_id="cs_late",
        account="acct_alfa",
    )

    assert payment_snapshot(alfa, payment) == lapsed
    with schema_context(alfa.schema):
        [double] = KlusDoublePayment.objects.all()
        assert double.earlier == "cancelled"
    [sent] = mails_about("Klus dubbel betaald")
    assert "terwijl de klus al vervallen was" in sent.body
    assert payment_stored(beta, beta_payment).status == "open"


# --- marking a double payment refunded ---------------------------------------------------------

REFUND_BUTTON = "Terugbetaald"


REFUND_NOTE = "Teruggestort via Stripe op verzoek van de hulpvrager"


TO_REFUND_HEADING = "Twee keer betaald: terugbetalen"


def _paid_twice(alfa, beta, payment, beta_payment):
    """The klus paid in cash by its volunteer, then online once more, recorded as the webhook
    does (its own tests above); beta has a double payment of its own with the same id."""
    logged_in_client(alfa, member=payment.volunteer).post(
        f"/klussen/{payment.pk}/contant-ontvangen/"
    )
    with schema_context(alfa.schema):
        double = KlusDoublePayment.objects.create(
            payment_id=payment.pk,
            checkout_session_id="cs_alfa_twice",
            payment_intent_id="pi_alfa_twice",
            amount=Decimal("7.50"),
            earlier=KlusDoublePayment.Earlier.CASH,
        )
    with schema_context(beta.schema):
        beta_double = KlusDoublePayment.objects.create(
            payment_id=beta_payment.pk,
            checkout_session_id="cs_beta_twice",
            amount=Decimal("9.00"),
            earlier=KlusDoublePayment.Earlier.CANCELLED,
        )
    return double, beta_double


def _double(coop, double) -> tuple:
    with schema_context(coop.schema):
        d = KlusDoublePayment.objects.get(pk=double.pk)
        return (d.refunded_at, d.refunded_by_id, d.refund_note)


def _statement(coop):
    with schema_context(coop.schema):
        today = TODAY()
        return statement_month(year=today.year, month=today.month)


def test_the_treasurer_marks_a_double_payment_refunded_and_a_second_press_changes_nothing(
    alfa, beta
):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    double, beta_double = _paid_twice(alfa, beta, payment, beta_payment)
    treasurer = MemberFactory(
        schema=alfa.schema, name="Tineke Penningmeester", roles=["board_treasurer"]
    )
    as_treasurer = logged_in_client(alfa, member=treasurer)
    beta_before = _double(beta, beta_double)

    # Before: in the list to refund, a button on the klus, open on the statement.
    assert TO_REFUND_HEADING in body(as_treasurer.get("/klussen/"))
    page = body(as_treasurer.get(f"/klussen/{payment.pk}/"))
    assert REFUND_BUTTON in page and f'name="double_payment" value="{double.pk}"' in page
    statement = _statement(alfa)
    assert (statement.to_refund_total, statement.refunded_total) == (Decimal("7.50"), 0)

    response = as_treasurer.post(
        f"/klussen/{payment.pk}/terugbetaald/",
        {"double_payment": double.pk, "note": f"  {REFUND_NOTE}  "},
    )

    assert response.status_code == 302
    refunded_at, refunded_by, note = _double(alfa, double)
    assert refunded_at is not None and (refunded_by, note) == (treasurer.pk, REFUND_NOTE)
    assert payment_audit_actions(alfa, payment).count("klus.double_refunded") == 1
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="klus.double_refunded")
        assert entry.actor_id == treasurer.pk
        # The note stays out of the log.
        assert "Stripe" not in entry.summary and "Stripe" not in str(entry.changes)
    # The klus itself stays as it was: paid in cash.
    assert (payment_stored(alfa, payment).status, payment_stored(alfa, payment).method) == (
        "paid",
        "cash",
    )

    # Out of the list to refund; the klus says when and by whom, with the note, no button.
    assert TO_REFUND_HEADING not in body(as_treasurer.get("/klussen/"))
    day = timezone.localtime(refunded_at).strftime("%d-%m-%Y")
    page = body(as_treasurer.get(f"/klussen/{payment.pk}/"))
    assert f"terugbetaald op {day}" in page and "Tineke Penningmeester" in page
    assert REFUND_NOTE in page and 'name="double_payment"' not in page
    # The requester hears it is sorted out, not the note.
    requester_page = body(
        logged_in_client(alfa, member=payment.requester).get(f"/klussen/{payment.pk}/")
    )
    assert "Het teveel betaalde is terugbetaald." in requester_page
    assert REFUND_NOTE not in requester_page

    # The statement still lists it, refunded; the open total drops.
    statement = _statement(alfa)
    assert [(r.double_payment_id, r.refunded_on) for r in statement.to_refund] == [
        (double.pk, timezone.localdate(refunded_at))
    ]
    assert (statement.to_refund_total, statement.refunded_total) == (
        Decimal("0.00"),
        Decimal("7.50"),
    )
    today = TODAY()
    page = body(as_treasurer.get(f"/overzichten/{today.year}/{today.month}/"))
    assert "Terug te betalen" in page and f"terugbetaald op {day}" in page

    # A second press (another note, through the page and the API) changes nothing and says so.
    again = as_treasurer.post(
        f"/klussen/{payment.pk}/terugbetaald/",
        {"double_payment": double.pk, "note": "Nog eens"},
        follow=True,
    )
    assert again.status_code == 200
    assert "stond al op terugbetaald" in body(again) and "Er is niets veranderd." in body(again)
    api = as_treasurer.post(
        f"/api/v1/klussen/{payment.pk}/terugbetaald/",
        {"double_payment": double.pk, "note": "Nog eens"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["changed"] is False
    assert _double(alfa, double) == (refunded_at, treasurer.pk, REFUND_NOTE)
    assert payment_audit_actions(alfa, payment).count("klus.double_refunded") == 1

    # Beta: its double payment with the same id is untouched and still to refund.
    assert _double(beta, beta_double) == beta_before
    assert _statement(beta).to_refund_total == Decimal("9.00")
    assert audit_count(beta, "klus.double_refunded") == 0


def test_the_chair_marks_it_refunded_through_the_api(alfa, beta):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    double, beta_double = _paid_twice(alfa, beta, payment, beta_payment)
    chair = MemberFactory(schema=alfa.schema, name="Cas Voorzitter", roles=["board_chair"])
    as_chair = logged_in_client(alfa, member=chair)

    [row] = [r for r in as_chair.get("/api/v1/klussen/").json()["results"] if r["id"] == payment.pk]
    assert [
        (d["id"], d["amount"], d["earlier"], d["refunded_at"]) for d in row["double_payments"]
    ] == [(double.pk, "7.50", "cash", None)]
    # The requester sees the klus, not the double payment's details.
    [mine] = (
        logged_in_client(alfa, member=payment.requester).get("/api/v1/klussen/").json()["results"]
    )
    assert mine["double_payments"] == []

    response = as_chair.post(
        f"/api/v1/klussen/{payment.pk}/terugbetaald/",
        {"double_payment": double.pk},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["payment"], data["changed"], data["refund_note"]) == (
        double.pk,
        payment.pk,
        True,
        "",
    )
    assert data["refunded_by"] == {"id": chair.pk, "name": "Cas Voorzitter"}
    assert data["refunded_at"] is not None
    assert _double(alfa, double)[1] == chair.pk
    assert _statement(alfa).to_refund_total == Decimal("0.00")
    assert _double(beta, beta_double)[0] is None


@pytest.mark.parametrize(
    "case", ["coordinator", "member", "audit", "general_board", "beta", "other_klus", "no_id"]
)
def test_marking_refunded_is_refused_and_changes_nothing(alfa, beta, case):
    cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    double, beta_double = _paid_twice(alfa, beta, payment, beta_payment)
    treasurer = MemberFactory(
        schema=alfa.schema, name="Tineke Penningmeester", roles=["board_treasurer"]
    )
    actor, klus_id, data = treasurer, payment.pk, {"double_payment": double.pk, "note": "x"}
    expected = (403, 403)
    if case == "coordinator":
        actor = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    elif case == "member":
        actor = MemberFactory(schema=alfa.schema, name="Piet Lid")
    elif case == "audit":
        actor = MemberFactory(
            schema=alfa.schema, name="Kees Kascommissie", roles=["audit_committee"]
        )
    elif case == "general_board":
        actor = MemberFactory(schema=alfa.schema, name="Bea Bestuur", roles=["board_general"])
    elif case == "beta":
        # Beta's klus and its double payment, asked in alfa.
        klus_id, data = beta_payment.pk, {"double_payment": beta_double.pk}
        expected = (404, 404)
    elif case == "other_klus":
        # Another alfa klus, with this klus's double payment.
        _, other = confirmed_klus(alfa, cluster=cluster)
        klus_id = other.pk
        expected = (404, 404)
    elif case == "no_id":
        data = {"note": "x"}
        expected = (400, 400)
    before = (_double(alfa, double), _double(beta, beta_double))
    client = logged_in_client(alfa, member=actor)

    page = client.post(f"/klussen/{klus_id}/terugbetaald/", data)
    api = client.post(
        f"/api/v1/klussen/{klus_id}/terugbetaald/", data, content_type="application/json"
    )

    assert (page.status_code, api.status_code) == expected
    assert (_double(alfa, double), _double(beta, beta_double)) == before
    assert audit_count(alfa, "klus.double_refunded") == 0
    assert audit_count(beta, "klus.double_refunded") == 0
    assert _statement(alfa).to_refund_total == Decimal("7.50")
    if case in ("coordinator", "audit"):
        # They follow up and see the double payment, but get no button.
        assert 'name="double_payment"' not in body(client.get(f"/klussen/{payment.pk}/"))
        assert TO_REFUND_HEADING in body(client.get("/klussen/"))
    if case == "no_id":
        assert "Kies de dubbele betaling die is terugbetaald." in body(page)
        assert api.json()["errors"][0]["attr"] == "double_payment"


def test_the_service_refuses_whoever_may_not_manage_the_money(alfa, beta):
    """Also behind the views: the service itself refuses a coordinator."""
    from django.core.exceptions import ValidationError

    from billing.klussen.services import klus_double_payment_mark_refunded

    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    double, _beta_double = _paid_twice(alfa, beta, payment, beta_payment)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        klus_double_payment_mark_refunded(actor=coordinator, double=double, note="x")
    [error] = refused.value.error_dict["__all__"]
    assert error.code == "forbidden" and "Alleen de penningmeester" in error.message
    assert _double(alfa, double) == (None, None, "")
