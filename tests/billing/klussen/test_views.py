"""The klussen pages: the volunteer confirms the cash; nobody else can, and a refusal changes
nothing; a member sees only their own klussen, a coordinator all open ones; without a connected
Stripe account there is no paying online.

Both cooperatives have klussen in every test: alfa (Oost) at € 5,00 an hour with a 10 %
share, beta (WIJ) made to pay one cluster in euros at € 6,00; beta's klussen are never seen
or changed from alfa."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.marketplace.models import CompensationDue
from tests.clients import logged_in_client
from tests.factories import MemberFactory, confirmed_klus, klussen_in_both
from tests.pages import body
from tests.state import due_status, payment_audit_actions, payment_snapshot, payment_stored
from tests.texts import CASH_BUTTON, ONLINE_BUTTON

# --- cash --------------------------------------------------------------------------------------


def test_the_volunteer_confirms_the_cash_on_the_page(alfa, beta):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    as_volunteer = logged_in_client(alfa, member=payment.volunteer)
    as_requester = logged_in_client(alfa, member=payment.requester)

    page = body(as_volunteer.get(f"/klussen/{payment.pk}/"))
    assert CASH_BUTTON in page
    assert "€ 7,50" in page
    assert "Daarvan is € 0,75 voor de coöperatie en € 6,75 voor de vrijwilliger." in page
    # The requester does not get the cash button; online is not possible yet in alfa.
    requester_page = body(as_requester.get(f"/klussen/{payment.pk}/"))
    assert CASH_BUTTON not in requester_page
    assert ONLINE_BUTTON not in requester_page

    before = timezone.now()
    response = as_volunteer.post(f"/klussen/{payment.pk}/contant-ontvangen/")

    assert response.status_code == 302
    after = payment_stored(alfa, payment)
    assert (after.status, after.method, after.confirmed_by_id) == (
        "paid",
        "cash",
        payment.volunteer_id,
    )
    assert after.paid_at >= before
    assert after.platform_fee == Decimal("0")
    assert due_status(alfa, payment) == CompensationDue.Status.SETTLED
    assert payment_audit_actions(alfa, payment) == ["klus.record", "klus.cash_confirm"]
    assert "Dank u. De klus staat op betaald (contant)." in body(
        as_volunteer.get(response["Location"])
    )
    # Beta's klus is untouched.
    assert payment_stored(beta, beta_payment).status == "open"
    assert due_status(beta, beta_payment) == CompensationDue.Status.OWED

    # Confirming twice is refused and changes nothing.
    paid = payment_snapshot(alfa, payment)
    again = as_volunteer.post(f"/klussen/{payment.pk}/contant-ontvangen/")
    assert again.status_code == 400
    assert "Deze klus is al betaald." in body(again)
    assert payment_snapshot(alfa, payment) == paid


def test_the_requester_and_other_members_cannot_confirm_the_cash(alfa, beta):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    before = payment_snapshot(alfa, payment)
    beta_before = payment_snapshot(beta, beta_payment)
    as_requester = logged_in_client(alfa, member=payment.requester)

    page = as_requester.post(f"/klussen/{payment.pk}/contant-ontvangen/")
    assert page.status_code == 400
    assert (
        "Alleen de vrijwilliger die het geld kreeg (of een coördinator) kan dit bevestigen."
        in body(page)
    )

    api = as_requester.post(f"/api/v1/klussen/{payment.pk}/contant-ontvangen/")
    assert api.status_code == 400
    assert api.json() == {
        "type": "validation_error",
        "errors": [
            {
                "attr": None,
                "code": "forbidden",
                "detail": "Alleen de vrijwilliger die het geld kreeg (of een coördinator) kan dit "
                "bevestigen.",
            }
        ],
    }

    # Another member does not even see the klus; beta's klus does not exist on alfa.
    other = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, name="Otto Ander"))
    assert other.post(f"/klussen/{payment.pk}/contant-ontvangen/").status_code == 404
    assert other.post(f"/api/v1/klussen/{payment.pk}/contant-ontvangen/").status_code == 404
    assert other.get(f"/klussen/{payment.pk}/").status_code == 404
    with schema_context(alfa.schema):
        assert not KlusPayment.objects.filter(pk=beta_payment.pk).exists()
    as_volunteer = logged_in_client(alfa, member=payment.volunteer)
    assert as_volunteer.post(f"/klussen/{beta_payment.pk}/contant-ontvangen/").status_code == 404
    # Beta's volunteer has no login on alfa at all.
    beta_volunteer = logged_in_client(beta, member=beta_payment.volunteer)
    beta_volunteer.defaults["HTTP_HOST"] = alfa.host
    assert beta_volunteer.post(f"/api/v1/klussen/{payment.pk}/contant-ontvangen/").status_code in (
        401,
        403,
    )

    assert payment_snapshot(alfa, payment) == before
    assert payment_snapshot(beta, beta_payment) == beta_before
    assert payment_audit_actions(alfa, payment) == ["klus.record"]


# --- who sees what -----------------------------------------------------------------------------


def test_a_member_sees_only_their_own_klussen_and_coordinators_see_all_open_ones(alfa, beta):
    cluster, payment, _beta_payment = klussen_in_both(alfa, beta)
    other_requester = MemberFactory(schema=alfa.schema, name="Otto Ander")
    _, other = confirmed_klus(
        alfa, cluster=cluster, requester=other_requester, volunteer=payment.volunteer
    )
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])

    # The requester of the first klus sees it (with no cash button), not the other one.
    as_requester = logged_in_client(alfa, member=payment.requester)
    listing = as_requester.get("/api/v1/klussen/").json()
    assert [row["id"] for row in listing["results"]] == [payment.pk]
    assert listing["results"][0]["actions"] == []
    assert listing["results"][0]["volunteer_amount"] == "6.75"
    assert as_requester.get(f"/klussen/{other.pk}/").status_code == 404
    page = body(as_requester.get("/klussen/"))
    assert "Klussen die u betaalt" in page and f"/klussen/{payment.pk}/" in page
    assert f"/klussen/{other.pk}/" not in page
    assert "Alle klussen die nog betaald moeten worden" not in page

    # The volunteer sees both, with the cash button.
    as_volunteer = logged_in_client(alfa, member=payment.volunteer)
    rows = as_volunteer.get("/api/v1/klussen/").json()["results"]
    assert sorted(row["id"] for row in rows) == sorted([payment.pk, other.pk])
    assert all(row["actions"] == ["cash"] for row in rows)
    assert body(as_volunteer.get("/klussen/")).count(CASH_BUTTON) == 2

    # The coordinator sees all of alfa's open klussen, and never beta's.
    as_coordinator = logged_in_client(alfa, member=coordinator)
    rows = as_coordinator.get("/api/v1/klussen/").json()["results"]
    assert sorted(row["id"] for row in rows) == sorted([payment.pk, other.pk])
    page = body(as_coordinator.get("/klussen/"))
    assert "Alle klussen die nog betaald moeten worden" in page
    assert f"/klussen/{other.pk}/" in page
    with schema_context(beta.schema):
        assert KlusPayment.objects.count() == 2

    # A member who is not logged in is sent to log in.
    anonymous = logged_in_client(alfa, member=payment.requester)
    anonymous.logout()
    assert anonymous.get("/klussen/").status_code == 302


def test_without_a_connected_account_paying_online_is_refused(alfa, beta):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    as_requester = logged_in_client(alfa, member=payment.requester)
    before = (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment))

    page = as_requester.post(f"/klussen/{payment.pk}/online-betalen/")
    api = as_requester.post(f"/api/v1/klussen/{payment.pk}/online-betalen/")

    assert page.status_code == 400
    assert "Online betalen kan bij deze coöperatie nog niet." in body(page)
    assert api.status_code == 400
    assert api.json()["errors"][0]["code"] == "online_unavailable"
    assert (payment_snapshot(alfa, payment), payment_snapshot(beta, beta_payment)) == before
