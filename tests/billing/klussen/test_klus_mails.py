"""The klussen emails go through shared.mail: a lapsed klus (to the volunteer and the
requester), a double payment (to the treasurers) and the allowance warning (to the
coordinators). Each names the cooperative, links to the page where it is dealt with on the
cooperative's own subdomain, is in the recipient's language and has the board's contact
address as Reply-To once it is set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import AllowanceWarning, KlusDoublePayment, KlusPayment
from billing.klussen.services import (
    allowance_warning_send,
    klus_double_payment_notify,
    klus_waive,
)
from cooperatives.marketplace import services as marketplace
from cooperatives.setup.models import Cluster
from tenants.models import Cooperative
from tests.factories import MemberFactory

CONTACT = "info@alfa.example.nl"


@pytest.fixture
def klus(alfa):
    """A klus of 1,5 hours in Reparaties (paid in euros under alfa's Oost rules), done today
    and confirmed through the real services; the board has set a contact address."""
    row = Cooperative.objects.get(pk=alfa.cooperative.pk)
    row.contact_email = CONTACT
    row.save(update_fields=["contact_email"])
    with schema_context(alfa.schema):
        requester = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager", language="en")
        volunteer = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
        request = marketplace.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name="Reparaties"),
            title="Kraan repareren",
            description="",
            expected_hours="1.5",
            network_checked=True,
        )
        response = marketplace.response_create(volunteer=volunteer, request=request)
        service = marketplace.response_accept(
            actor=requester,
            response=response,
            date=timezone.localdate(),
            start_time=dt.time(9, 0),
        )
        marketplace.service_register_hours(actor=volunteer, service=service, hours="1,5")
        marketplace.service_confirm(actor=requester, service=service)
        payment = KlusPayment.objects.select_related("requester", "volunteer").get(service=service)
    mail.outbox.clear()
    return payment


def check(message, *, coop, link: str) -> None:
    assert coop.cooperative.name in message.body
    assert f"https://{coop.host}{link}" in message.body
    assert message.reply_to == [CONTACT]


def test_a_lapsed_klus_mails_both_with_the_link_to_the_klus(
    alfa, klus, django_capture_on_commit_callbacks
):
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        klus_waive(actor=coordinator, payment=klus, reason="Vergissing")
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {klus.requester.email, klus.volunteer.email}
    for message in sent.values():
        check(message, coop=alfa, link=f"/klussen/{klus.pk}/")
    # The requester reads English, the volunteer Dutch.
    assert sent[klus.requester.email].subject != sent[klus.volunteer.email].subject
    assert sent[klus.volunteer.email].subject.startswith("Klus vervallen")


def test_a_double_payment_mails_the_treasurers_with_the_link_to_the_klus(alfa, klus):
    treasurer = MemberFactory(schema=alfa.schema, roles=["board_treasurer"])
    with schema_context(alfa.schema):
        double = KlusDoublePayment.objects.create(
            payment=klus,
            checkout_session_id="cs_test_dubbel",
            amount=Decimal("6.75"),
            earlier=KlusDoublePayment.Earlier.CASH,
        )
        assert klus_double_payment_notify(double_payment_id=double.pk)
    (message,) = mail.outbox
    assert message.to == [treasurer.email]
    check(message, coop=alfa, link=f"/klussen/{klus.pk}/")


def test_the_allowance_warning_links_to_the_overview(alfa, klus):
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    with schema_context(alfa.schema):
        warning = AllowanceWarning.objects.create(
            volunteer=klus.volunteer, year=timezone.localdate().year, level=80
        )
        assert allowance_warning_send(warning_id=warning.pk)
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    check(message, coop=alfa, link="/klussen/vrijwilligersvergoeding/")
