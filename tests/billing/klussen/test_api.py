"""Klussen through the API: a coordinator confirms the cash for the volunteer."""

from __future__ import annotations

from cooperatives.marketplace.models import CompensationDue
from tests.clients import logged_in_client
from tests.factories import MemberFactory, klussen_in_both
from tests.state import due_status, payment_audit_actions, payment_stored


def test_a_coordinator_confirms_the_cash_for_the_volunteer_through_the_api(alfa, beta):
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])

    response = logged_in_client(alfa, member=coordinator).post(
        f"/api/v1/klussen/{payment.pk}/contant-ontvangen/"
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["id"], data["status"], data["method"], data["amount"]) == (
        payment.pk,
        "paid",
        "cash",
        "7.50",
    )
    after = payment_stored(alfa, payment)
    assert (after.status, after.confirmed_by_id) == ("paid", coordinator.pk)
    assert due_status(alfa, payment) == CompensationDue.Status.SETTLED
    assert payment_audit_actions(alfa, payment)[-1] == "klus.cash_confirm_on_behalf"
    assert payment_stored(beta, beta_payment).status == "open"
