"""Fixtures of the statement tests: klussen in euros of both cooperatives in October to
December 2025 (written directly at € 4,50 an hour: the payment flows are tested in
tests/billing/klussen/), alfa's own subscription and double payments to refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django_tenants.utils import schema_context

from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.subscriptions.models import Plan, Subscription
from tests.factories import KlusPaymentFactory, MemberFactory, amsterdam


@pytest.fixture
def klussen(alfa, beta):
    """Alfa: in November 2025 one klus paid in cash, one paid online (only in December), one
    open, one whose online payment is under way and one cancelled; in October one paid on the
    first of November just after midnight and one still open; one on 1 December. Beta: two
    klussen in November 2025 by its own people."""
    P, M = KlusPayment.Status, KlusPayment.Method
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    bram = MemberFactory(schema=beta.schema, name="Bram Betahelper", roles=["volunteer"])
    bets = MemberFactory(schema=beta.schema, name="Bets Betavrager")
    in_alfa = partial(KlusPaymentFactory, schema=alfa.schema, volunteer=vera, requester=rita)
    in_beta = partial(KlusPaymentFactory, schema=beta.schema, volunteer=bram, requester=bets)
    made = {
        "cash": in_alfa(
            performed_on=dt.date(2025, 11, 3),
            hours="2",
            share="0.90",
            status=P.PAID,
            method=M.CASH,
            paid_at=amsterdam(2025, 11, 20),
        ),
        "online": in_alfa(
            performed_on=dt.date(2025, 11, 30),
            hours="1.5",
            share="0.68",
            status=P.PAID,
            method=M.ONLINE,
            fee="0.14",
            paid_at=amsterdam(2025, 12, 2),
        ),
        "open": in_alfa(performed_on=dt.date(2025, 11, 1), hours="1", share="0.45"),
        "pending": in_alfa(
            performed_on=dt.date(2025, 11, 12),
            hours="0.5",
            share="0.23",
            status=P.PENDING_ONLINE,
            method=M.ONLINE,
        ),
        "cancelled": in_alfa(
            performed_on=dt.date(2025, 11, 14),
            hours="1",
            share="0.45",
            status=P.CANCELLED,
        ),
        "oct_paid": in_alfa(
            performed_on=dt.date(2025, 10, 31),
            hours="3",
            share="1.35",
            status=P.PAID,
            method=M.CASH,
            paid_at=amsterdam(2025, 11, 1, 0, 30),
        ),
        "oct_open": in_alfa(performed_on=dt.date(2025, 10, 15), hours="2", share="0.90"),
        "dec_open": in_alfa(performed_on=dt.date(2025, 12, 1), hours="1", share="0.45"),
        "beta_paid": in_beta(
            performed_on=dt.date(2025, 11, 10),
            hours="10",
            share="0",
            status=P.PAID,
            method=M.CASH,
            paid_at=amsterdam(2025, 11, 10),
        ),
        "beta_open": in_beta(
            performed_on=dt.date(2025, 11, 11),
            hours="4",
            share="0",
        ),
    }
    return made


@pytest.fixture
def alfa_subscription(alfa):
    with schema_context("public"):
        plan = Plan.objects.create(
            code="test-overzicht", name="Buurtpakket", monthly_price_cents=2950
        )
        return Subscription.objects.create(
            cooperative=alfa.cooperative,
            stripe_customer_id="cus_overzicht_alfa",
            stripe_subscription_id="sub_overzicht_alfa",
            plan=plan,
            status=Subscription.Status.ACTIVE,
            current_period_start=amsterdam(2025, 11, 1, 0, 0),
            current_period_end=amsterdam(2025, 12, 1, 0, 0),
        )


# --- paid twice: to refund ---------------------------------------------------------------------


@pytest.fixture
def doubles(alfa, beta, klussen):
    """Alfa, November 2025: the cash klus paid online once more on the 21st (still to refund)
    and the cancelled one paid online on the 25th (refunded on 3 December). One more in
    October. Beta: one of its own in November."""
    treasurer = MemberFactory(
        schema=alfa.schema, name="Tom Terugbetaler", roles=["board_treasurer"]
    )
    with schema_context(alfa.schema):
        made = {
            "open": KlusDoublePayment.objects.create(
                payment=klussen["cash"], checkout_session_id="cs_nov_open", amount=Decimal("9.00"),
                earlier="cash", received_at=amsterdam(2025, 11, 21),
            ),
            "refunded": KlusDoublePayment.objects.create(
                payment=klussen["cancelled"], checkout_session_id="cs_nov_refunded",
                amount=Decimal("4.50"), earlier="cancelled", received_at=amsterdam(2025, 11, 25),
                refunded_at=amsterdam(2025, 12, 3), refunded_by=treasurer, refund_note="Via Stripe",
            ),
            "october": KlusDoublePayment.objects.create(
                payment=klussen["oct_paid"], checkout_session_id="cs_oct", amount=Decimal("3.21"),
                earlier="cash", received_at=amsterdam(2025, 10, 31),
            ),
        }  # fmt: skip
    with schema_context(beta.schema):
        made["beta"] = KlusDoublePayment.objects.create(
            payment=klussen["beta_paid"], checkout_session_id="cs_beta", amount=Decimal("12.34"),
            earlier="cash", received_at=amsterdam(2025, 11, 22),
        )  # fmt: skip
    return made
