"""Klussen in euros: a confirmed paid service records one KlusPayment (hours x the rulebook's
euro rate, the cooperative's share, the rest for the volunteer) on the day it was done; a free
or points service records none.

Both cooperatives have klussen in every test: alfa (Oost) at € 5,00 an hour with a 10 %
share, beta (WIJ) made to pay one cluster in euros at € 6,00."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from billing.klussen.services import klus_payment_record
from cooperatives.marketplace import services
from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.marketplace.services import compensation_record
from cooperatives.points.models import Transfer
from tests.factories import ServiceFactory, klussen_in_both
from tests.state import payment_audit_actions

TODAY = timezone.localdate


# --- recording ---------------------------------------------------------------------------------


def test_confirming_a_paid_klus_records_one_klus_payment_with_amount_share_and_rest(
    alfa, beta, django_capture_on_commit_callbacks
):
    """1,5 hours at € 5,00 = € 7,50; 10 % share = € 0,75; € 6,75 for the volunteer. The due
    stays owed until the money is in; euros never reach the points ledger."""
    _cluster, payment, beta_payment = klussen_in_both(alfa, beta)

    with schema_context(alfa.schema):
        service = Service.objects.get(pk=payment.service_id)
        due = CompensationDue.objects.get(service=service, kind="euros")
        assert payment.due_id == due.pk
        assert (payment.requester_id, payment.volunteer_id) == (
            service.requester_id,
            service.volunteer_id,
        )
        assert payment.performed_on == service.date == TODAY()
        assert (payment.hours, payment.rate_per_hour) == (Decimal("1.50"), Decimal("5.00"))
        assert (payment.amount, payment.cooperative_share, payment.volunteer_amount) == (
            Decimal("7.50"),
            Decimal("0.75"),
            Decimal("6.75"),
        )
        assert (payment.status, payment.method, payment.paid_at) == ("open", "", None)
        assert payment.platform_fee == Decimal("0")
        assert due.status == CompensationDue.Status.OWED
        assert not Transfer.objects.filter(service_id=service.pk).exists()

        # Recording again (the settlement interface, or the billing side) makes nothing new.
        compensation_record(service=service)
        assert klus_payment_record(due=due).pk == payment.pk
        assert KlusPayment.objects.count() == 1
        assert payment_audit_actions(alfa, payment) == ["klus.record"]

    with schema_context(beta.schema):
        assert KlusPayment.objects.count() == 2
        beta_stored = KlusPayment.objects.get(pk=beta_payment.pk)
        assert (beta_stored.amount, beta_stored.cooperative_share, beta_stored.rate_per_hour) == (
            Decimal("9.00"),
            Decimal("0.00"),
            Decimal("6.00"),
        )


def test_a_free_or_points_service_records_no_klus_payment(alfa, beta):
    service = ServiceFactory(
        schema=alfa.schema, cluster="Wandelen", title="Wandeling", date=TODAY()
    )
    with schema_context(alfa.schema):
        services.service_register_hours(actor=service.volunteer, service=service, hours="1")
        services.service_confirm(actor=service.requester, service=service)
        assert not KlusPayment.objects.exists()


def test_a_klus_planned_days_ago_counts_on_the_day_it_was_done(alfa, beta):
    cluster, _payment, _beta = klussen_in_both(alfa, beta)
    service = ServiceFactory(schema=alfa.schema, cluster=cluster, title="Lamp ophangen")
    with schema_context(alfa.schema):
        Service.objects.filter(pk=service.pk).update(date=TODAY() - dt.timedelta(days=2))
        services.service_register_hours(actor=service.volunteer, service=service, hours="1")
        services.service_confirm(actor=service.requester, service=service)
        assert KlusPayment.objects.get(service=service).performed_on == TODAY() - dt.timedelta(
            days=2
        )
