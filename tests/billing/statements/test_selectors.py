"""The monthly statement's figures (maandoverzichten) per cooperative: the klussen in euros
performed in a month with what was paid in cash, online and what is still owed, the
cooperative's share and the platform's fee, the subscription from the public schema (or the
network that paid it), and the double payments to refund. Both `alfa` and `beta` hold klussen
in the same month: neither ever appears in the other's statement."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django_tenants.utils import schema_context

from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.statements.selectors import statement_month, statement_month_exists, statement_months
from billing.subscriptions.models import Plan
from tenants.models import Network
from tests.clients import logged_in_client, treasurer_client
from tests.factories import MemberFactory, amsterdam, membership_make
from tests.pages import body

NOV, OCT, DEC = (2025, 11), (2025, 10), (2025, 12)


def test_totals_of_a_month_count_only_its_own_klussen(alfa, beta, klussen, alfa_subscription):
    """November: 4 klussen (the cancelled one listed but not counted), 5 hours, € 22,50, of
    which € 9,00 cash and € 6,75 online paid and € 6,75 still owed; October's open klus is
    owed from an earlier month; what came in during November counts by payment date (the
    October klus paid at 00:30 on 1 November, Amsterdam time, yes; the online payment of
    2 December, no). Beta's klussen are in beta's statement only."""
    with schema_context(alfa.schema):
        s = statement_month(year=2025, month=11)
    t = s.totals
    assert (s.first_day, s.last_day) == (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert s.cooperative_name == "Wijkcoöperatie Alfa"
    assert [line.payment_id for line in s.lines] == [
        klussen[k].pk for k in ("open", "cash", "pending", "cancelled", "online")
    ]
    assert (t.klussen, t.cancelled, t.owed_count) == (4, 1, 2)
    assert t.hours == Decimal("5.00")
    assert t.charged == Decimal("22.50")
    assert t.cooperative_shares == Decimal("2.26")
    assert t.volunteer_amounts == Decimal("20.24")
    assert t.platform_fees == Decimal("0.14")
    assert t.paid_cash == Decimal("9.00")
    assert t.paid_online == Decimal("6.75")
    assert t.owed == Decimal("6.75")
    assert [line.payment_id for line in s.earlier_owed] == [klussen["oct_open"].pk]
    assert s.earlier_owed_total == Decimal("9.00")
    assert (s.received_cash, s.received_online) == (Decimal("22.50"), Decimal("0.00"))
    for value in (t.hours, t.charged, t.owed, s.received_cash):
        assert isinstance(value, Decimal)

    with schema_context(alfa.schema):
        october = statement_month(year=2025, month=10)
        december = statement_month(year=2025, month=12)
    assert [line.payment_id for line in october.lines] == [
        klussen["oct_open"].pk,
        klussen["oct_paid"].pk,
    ]
    assert (october.totals.charged, october.totals.paid_cash, october.totals.owed) == (
        Decimal("22.50"),
        Decimal("13.50"),
        Decimal("9.00"),
    )
    assert october.received_cash == Decimal("0.00")  # paid in November, Amsterdam time
    assert [line.payment_id for line in december.lines] == [klussen["dec_open"].pk]
    assert december.received_online == Decimal("6.75")
    # December: October's and November's open klussen are still owed from earlier months.
    assert december.earlier_owed_total == Decimal("9.00") + Decimal("4.50") + Decimal("2.25")

    with schema_context(beta.schema):
        b = statement_month(year=2025, month=11)
    assert b.cooperative_name == "WIJ-coöperatie Beta"
    assert [line.payment_id for line in b.lines] == [
        klussen["beta_paid"].pk,
        klussen["beta_open"].pk,
    ]
    assert (b.totals.charged, b.totals.paid_cash, b.totals.owed) == (
        Decimal("63.00"),
        Decimal("45.00"),
        Decimal("18.00"),
    )
    assert b.earlier_owed == [] and b.subscription is None
    assert {line.volunteer for line in b.lines} == {"Bram Betahelper"}
    assert {line.volunteer for line in s.lines} == {"Vera Vrijwilliger"}


def test_subscription_comes_from_the_public_schema(alfa, beta, alfa_subscription):
    with schema_context(alfa.schema):
        november = statement_month(year=2025, month=11).subscription
        march = statement_month(year=2025, month=3).subscription
    assert november.plan_name == "Buurtpakket"
    assert november.monthly_price == Decimal("29.50")
    assert (november.status, str(november.status_label)) == ("active", "actief")
    assert (november.period_start, november.period_end) == (
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
    )
    assert november.covers_month is True
    assert march.covers_month is False
    with schema_context(beta.schema):
        assert statement_month(year=2025, month=11).subscription is None


def test_months_with_klussen_newest_first_with_the_current_month(alfa, beta, klussen):
    today = dt.date(2026, 2, 14)
    with schema_context(alfa.schema):
        months = statement_months(today=today)
    assert [(m.year, m.month) for m in months] == [(2026, 2), DEC, NOV, OCT]
    assert [(m.klussen, m.charged, m.owed) for m in months] == [
        (0, Decimal("0.00"), Decimal("0.00")),
        (1, Decimal("4.50"), Decimal("4.50")),
        (4, Decimal("22.50"), Decimal("6.75")),
        (2, Decimal("22.50"), Decimal("9.00")),
    ]
    with schema_context(beta.schema):
        months = statement_months(today=today)
    assert [(m.year, m.month, m.charged) for m in months] == [
        (2026, 2, Decimal("0.00")),
        (2025, 11, Decimal("63.00")),
    ]


def test_which_months_exist():
    today = dt.date(2026, 11, 29)
    assert statement_month_exists(year=2026, month=11, today=today)
    assert statement_month_exists(year=2000, month=1, today=today)
    assert not statement_month_exists(year=2026, month=12, today=today)  # not begun yet
    assert not statement_month_exists(year=2025, month=13, today=today)
    assert not statement_month_exists(year=2025, month=0, today=today)
    assert not statement_month_exists(year=1800, month=1, today=today)


def test_a_month_sponsored_by_a_network_says_who_paid(alfa, beta, klussen):
    network = Network.objects.create(name="SAMEN030", slug="samen030")
    membership_make(network, alfa.cooperative)
    membership_make(network, beta.cooperative)
    plan = Plan.objects.create(code="stadspakket", name="Stadspakket", monthly_price_cents=1500)
    NetworkSubscription.objects.create(
        network=network, plan=plan, stripe_customer_id="cus_net", status="active", quantity=1
    )
    Sponsorship.objects.create(
        network=network, cooperative=alfa.cooperative, plan=plan,
        started_at=amsterdam(2025, 11, 10), ended_at=amsterdam(2025, 12, 5),
    )  # fmt: skip

    with schema_context(alfa.schema):
        november = statement_month(year=2025, month=11).subscription
        december = statement_month(year=2025, month=12).subscription
        october = statement_month(year=2025, month=10).subscription
    assert (november.paid_by, november.plan_name, november.monthly_price) == (
        "SAMEN030", "Stadspakket", Decimal("0"),
    )  # fmt: skip
    assert december.paid_by == "SAMEN030"
    assert october is None  # before the sponsorship, and alfa had no subscription of its own
    with schema_context(beta.schema):
        assert statement_month(year=2025, month=11).subscription is None

    treasurer = MemberFactory(
        schema=alfa.schema, name="Penny Penningmeester", roles=["board_treasurer"]
    )
    client = logged_in_client(alfa, member=treasurer)
    page = client.get("/overzichten/2025/11/").content.decode()
    assert "Betaald door" in page and "SAMEN030" in page
    rows = list(
        csv.reader(
            io.StringIO(client.get("/overzichten/2025/11.csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[-1][-1] == "Betaald door SAMEN030"
    assert b"SAMEN030" in client.get("/overzichten/2025/11.pdf").content
    api = client.get("/api/v1/overzichten/2025/11/").json()
    assert api["subscription"]["paid_by"] == "SAMEN030"


def test_the_statement_lists_double_payments_with_only_the_open_ones_to_refund(
    alfa, beta, klussen, doubles
):
    with schema_context(alfa.schema):
        statement = statement_month(year=2025, month=11)
    assert [
        (r.double_payment_id, r.payment_id, r.amount, r.received_on, r.refunded_on)
        for r in statement.to_refund
    ] == [
        (doubles["open"].pk, klussen["cash"].pk, Decimal("9.00"), dt.date(2025, 11, 21), None),
        (
            doubles["refunded"].pk,
            klussen["cancelled"].pk,
            Decimal("4.50"),
            dt.date(2025, 11, 25),
            dt.date(2025, 12, 3),
        ),
    ]
    assert (statement.to_refund_total, statement.refunded_total) == (
        Decimal("9.00"),
        Decimal("4.50"),
    )
    # Not in the month's totals: the klussen were paid (or let go) once.
    assert statement.totals.paid_cash == Decimal("9.00")
    with schema_context(beta.schema):
        beta_statement = statement_month(year=2025, month=11)
    assert [r.amount for r in beta_statement.to_refund] == [Decimal("12.34")]

    html = body(treasurer_client(alfa).get("/overzichten/2025/11/"))
    assert "Terug te betalen" in html and "terugbetaald op 03-12-2025" in html
    assert "nog terug te betalen: <strong>€ 9,00</strong>" in html
    assert "12,34" not in html and "3,21" not in html
