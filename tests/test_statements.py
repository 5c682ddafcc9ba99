"""Monthly statements (maandoverzichten) per cooperative: the klussen in euros performed in a
month with what was paid in cash, online and what is still owed, the cooperative's share and
the platform's fee, and the subscription from the public schema; as a page, CSV, PDF and API.

Both `alfa` and `beta` hold klussen in the same month: neither ever appears in the other's
statement. Only the board, the audit committee and administrators see a statement; a plain
member or volunteer gets the Dutch 403 page (or a structured 403 from the API). A month that
does not exist is a 404, never a 500."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusDoublePayment, KlusPayment
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.statements.selectors import statement_month, statement_month_exists, statement_months
from billing.subscriptions.models import Plan, Subscription
from tenants.models import Network
from tests.clients import client_for, logged_in_client, treasurer_client
from tests.factories import KLUS_DESCRIPTION, KlusPaymentFactory, MemberFactory, amsterdam
from tests.pages import audit, body

NOV, OCT, DEC = (2025, 11), (2025, 10), (2025, 12)


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
            performed_on=dt.date(2025, 11, 3), hours="2", share="0.90",
            status=P.PAID, method=M.CASH, paid_at=amsterdam(2025, 11, 20),
        ),
        "online": in_alfa(
            performed_on=dt.date(2025, 11, 30), hours="1.5", share="0.68",
            status=P.PAID, method=M.ONLINE, fee="0.14", paid_at=amsterdam(2025, 12, 2),
        ),
        "open": in_alfa(performed_on=dt.date(2025, 11, 1), hours="1", share="0.45"),
        "pending": in_alfa(
            performed_on=dt.date(2025, 11, 12), hours="0.5", share="0.23",
            status=P.PENDING_ONLINE, method=M.ONLINE,
        ),
        "cancelled": in_alfa(
            performed_on=dt.date(2025, 11, 14), hours="1", share="0.45",
            status=P.CANCELLED,
        ),
        "oct_paid": in_alfa(
            performed_on=dt.date(2025, 10, 31), hours="3", share="1.35",
            status=P.PAID, method=M.CASH, paid_at=amsterdam(2025, 11, 1, 0, 30),
        ),
        "oct_open": in_alfa(
            performed_on=dt.date(2025, 10, 15), hours="2", share="0.90"
        ),
        "dec_open": in_alfa(
            performed_on=dt.date(2025, 12, 1), hours="1", share="0.45"
        ),
        "beta_paid": in_beta(
            performed_on=dt.date(2025, 11, 10),
            hours="10", share="0", status=P.PAID, method=M.CASH, paid_at=amsterdam(2025, 11, 10),
        ),
        "beta_open": in_beta(
            performed_on=dt.date(2025, 11, 11),
            hours="4", share="0",
        ),
    }  # fmt: skip
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


# --- the selector ------------------------------------------------------------------------------


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


# --- the pages ---------------------------------------------------------------------------------


def test_treasurer_sees_the_statement_page(alfa, beta, klussen, alfa_subscription):
    client = treasurer_client(alfa)
    response = client.get("/overzichten/2025/11/")
    assert response.status_code == 200
    html = body(response)
    assert audit(html).html_lang == "nl"
    assert "Maandoverzicht november 2025" in html
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "€ 22,50" in html  # charged
    assert "€ 6,75" in html  # owed
    assert "€ 2,26" in html and "€ 20,24" in html and "€ 0,14" in html
    assert "Buurtpakket" in html and "€ 29,50" in html and "actief" in html
    assert "Vera Vrijwilliger" in html and "Rita Hulpvrager" in html
    assert 'href="/overzichten/2025/11.csv"' in html and "Download CSV" in html
    assert 'href="/overzichten/2025/11.pdf"' in html and "Download PDF" in html
    assert 'href="/overzichten/2025/10/"' in html and "oktober 2025" in html
    assert 'href="/overzichten/2025/12/"' in html
    assert "Nog te betalen uit eerdere maanden" in html and "€ 9,00" in html
    # Beta's people and money, and what the help was about, are not on it.
    assert "Bram Betahelper" not in html and "Bets Betavrager" not in html
    assert "€ 63,00" not in html
    assert KLUS_DESCRIPTION not in html and "Steunkousen" not in html

    index = client.get("/overzichten/")
    assert index.status_code == 200
    page = body(index)
    assert 'href="/overzichten/2025/11/"' in page and "November 2025" in page
    assert page.index("/overzichten/2025/12/") < page.index("/overzichten/2025/11/")
    today = timezone.localdate()
    assert f'href="/overzichten/{today.year}/{today.month}/"' in page
    # All open klussen together: October, November (open and pending) and December.
    assert "€ 20,25" in page


def test_audit_committee_may_look_too_and_beta_sees_only_its_own(alfa, beta, klussen):
    auditor = MemberFactory(schema=alfa.schema, name="Kees Kascommissie", roles=["audit_committee"])
    assert logged_in_client(alfa, member=auditor).get("/overzichten/2025/11/").status_code == 200
    html = body(treasurer_client(beta).get("/overzichten/2025/11/"))
    assert "Bram Betahelper" in html and "€ 63,00" in html
    assert "Vera Vrijwilliger" not in html and "Rita Hulpvrager" not in html
    assert "€ 22,50" not in html
    assert "geen abonnement" in html


@pytest.mark.parametrize(
    "path",
    [
        "/overzichten/",
        "/overzichten/2025/11/",
        "/overzichten/2025/11.csv",
        "/overzichten/2025/11.pdf",
        "/overzichten/2025/13/",  # the refusal comes before the month is even looked at
    ],
)
def test_members_and_volunteers_are_refused(alfa, beta, klussen, path):
    for roles in ([], ["volunteer"], ["coordinator"]):
        client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=roles))
        response = client.get(path)
        assert response.status_code == 403
        html = body(response)
        assert "U heeft hier geen toegang toe" in html
        assert "Vera Vrijwilliger" not in html and "22,50" not in html
    anonymous = client_for(alfa.host).get(path)
    assert anonymous.status_code == 302 and "/inloggen/" in anonymous["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/overzichten/2025/13/",
        "/overzichten/2025/0/",
        "/overzichten/1800/1/",
        "/overzichten/2025/13.csv",
        "/overzichten/1800/1.pdf",
        "/overzichten/2025/-1/",
        "/overzichten/2025/nov/",
    ],
)
def test_a_month_that_does_not_exist_is_a_404(alfa, beta, path):
    response = treasurer_client(alfa).get(path)
    assert response.status_code == 404


def test_a_month_still_to_come_has_no_statement(alfa, beta):
    today = timezone.localdate()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    client = treasurer_client(alfa)
    response = client.get(f"/overzichten/{year}/{month}/")
    assert response.status_code == 404
    assert "Voor deze maand bestaat geen overzicht" in body(response)
    assert client.get(f"/overzichten/{today.year}/{today.month}/").status_code == 200


# --- CSV and PDF -------------------------------------------------------------------------------


def test_csv_for_a_dutch_spreadsheet(alfa, beta, klussen):
    response = treasurer_client(alfa).get("/overzichten/2025/11.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="noaber-alfa-2025-11.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "Datum",
        "Dienst",
        "Cluster",
        "Vrijwilliger",
        "Hulpvrager",
        "Uren",
        "Tarief per uur",
        "Bedrag",
    ]
    klus_rows = rows[1:6]
    assert [r[0] for r in klus_rows] == [
        "01-11-2025",
        "03-11-2025",
        "12-11-2025",
        "14-11-2025",
        "30-11-2025",
    ]
    assert klus_rows[1][3:12] == [
        "Vera Vrijwilliger",
        "Rita Hulpvrager",
        "2,00",
        "4,50",
        "9,00",
        "0,90",
        "8,10",
        "0,00",
        "contant",
    ]
    assert klus_rows[1][12:] == ["betaald", "20-11-2025"]
    totals = rows[6]
    assert totals[:2] == ["Totaal: 4 klussen (zonder vervallen)", ""]
    assert totals[5] == "5,00" and totals[7:11] == ["22,50", "2,26", "20,24", "0,14"]
    summary = {r[0]: r[1] for r in rows[7:] if len(r) >= 2}
    assert summary["Contant betaald"] == "9,00"
    assert summary["Online betaald"] == "6,75"
    assert summary["Nog te betalen"] == "6,75"
    assert summary["Nog te betalen uit eerdere maanden"] == "9,00"
    body = response.content.decode("utf-8-sig")
    assert "Bram" not in body and "63,00" not in body and KLUS_DESCRIPTION not in body


def test_pdf_with_the_cooperative_the_month_and_the_figures(alfa, beta, klussen, alfa_subscription):
    response = treasurer_client(alfa).get("/overzichten/2025/11.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="noaber-alfa-2025-11.pdf"'
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    # Uncompressed streams in Windows-1252, where "ö" is written as the escape \366.
    assert b"Wijkco\\366peratie Alfa: maandoverzicht november 2025" in pdf
    assert b"Buurtpakket" in pdf and b"29,50" in pdf
    assert b"22,50" in pdf and b"6,75" in pdf and b"20,24" in pdf
    assert b"Vera Vrijwilliger" in pdf
    assert b"Bram" not in pdf and b"63,00" not in pdf and b"Steunkousen" not in pdf

    beta_pdf = treasurer_client(beta).get("/overzichten/2025/11.pdf").content
    assert b"Beta: maandoverzicht november 2025" in beta_pdf and b"63,00" in beta_pdf
    assert b"Vera" not in beta_pdf


def test_pdf_of_an_empty_month(alfa, beta):
    response = treasurer_client(alfa).get("/overzichten/2025/3.pdf")
    assert response.status_code == 200
    assert b"Geen klussen in deze maand." in response.content
    assert b"Nog geen abonnement" in response.content


# --- the API -----------------------------------------------------------------------------------


def test_api_gives_the_same_figures_as_strings(alfa, beta, klussen, alfa_subscription):
    client = treasurer_client(alfa)
    response = client.get("/api/v1/overzichten/2025/11/")
    assert response.status_code == 200
    data = response.json()
    assert (data["cooperative"], data["year"], data["month"]) == ("Wijkcoöperatie Alfa", 2025, 11)
    assert data["totals"] == {
        "klussen": 4,
        "cancelled": 1,
        "hours": "5.00",
        "charged": "22.50",
        "cooperative_shares": "2.26",
        "volunteer_amounts": "20.24",
        "platform_fees": "0.14",
        "paid_cash": "9.00",
        "paid_online": "6.75",
        "owed": "6.75",
        "owed_count": 2,
    }
    assert data["subscription"]["plan_name"] == "Buurtpakket"
    assert data["subscription"]["monthly_price"] == "29.50"
    assert data["subscription"]["status"] == "active"
    assert data["earlier_owed_total"] == "9.00"
    assert data["received_cash"] == "22.50"
    cash = next(line for line in data["lines"] if line["payment_id"] == klussen["cash"].pk)
    assert cash == {
        "payment_id": klussen["cash"].pk,
        "service_id": klussen["cash"].service_id,
        "performed_on": "2025-11-03",
        "cluster": cash["cluster"],
        "volunteer": "Vera Vrijwilliger",
        "requester": "Rita Hulpvrager",
        "hours": "2.00",
        "rate_per_hour": "4.50",
        "amount": "9.00",
        "cooperative_share": "0.90",
        "volunteer_amount": "8.10",
        "platform_fee": "0.00",
        "method": "cash",
        "status": "paid",
        "paid_on": "2025-11-20",
    }
    assert KLUS_DESCRIPTION not in response.content.decode()
    assert "Bram" not in response.content.decode()

    beta_data = treasurer_client(beta).get("/api/v1/overzichten/2025/11/").json()
    assert beta_data["totals"]["charged"] == "63.00" and beta_data["subscription"] is None


def test_api_refuses_members_and_unknown_months(alfa, beta, klussen):
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=["volunteer"]))
    refused = member.get("/api/v1/overzichten/2025/11/")
    assert refused.status_code == 403
    assert refused.json()["type"] == "client_error"
    assert "Vera" not in refused.content.decode()
    client = treasurer_client(alfa)
    for path in ("/api/v1/overzichten/2025/13/", "/api/v1/overzichten/1800/1/"):
        missing = client.get(path)
        assert missing.status_code == 404
        assert missing.json()["errors"][0]["detail"] == "Voor deze maand bestaat geen overzicht."


def test_a_month_sponsored_by_a_network_says_who_paid(alfa, beta, klussen):
    network = Network.objects.create(name="SAMEN030", slug="samen030")
    network.cooperatives.set([alfa.cooperative, beta.cooperative])
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
    assert "Terug te betalen" in html and "terugbetaald op 3-12-2025" in html
    assert "nog terug te betalen: <strong>€ 9,00</strong>" in html
    assert "12,34" not in html and "3,21" not in html


def test_csv_has_the_double_payments_after_the_summary(alfa, beta, klussen, doubles):
    response = treasurer_client(alfa).get("/overzichten/2025/11.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    summary = {r[0]: r[1] for r in rows[7:] if len(r) >= 2}
    assert summary["Terug te betalen (twee keer betaald)"] == "9,00"
    start = rows.index(["Terug te betalen: online ontvangen voor klussen die al betaald waren"])
    assert rows[start + 1] == [
        "Online ontvangen op",
        "Klus uitgevoerd op",
        "Cluster",
        "Vrijwilliger",
        "Hulpvrager",
        "Bedrag",
        "De klus was al",
        "Terugbetaald op",
    ]
    first, second = rows[start + 2], rows[start + 3]
    assert first[:2] == ["21-11-2025", "03-11-2025"]
    assert first[3:] == ["Vera Vrijwilliger", "Rita Hulpvrager", "9,00", "contant betaald", ""]
    assert second[:2] == ["25-11-2025", "14-11-2025"]
    assert second[5:] == ["4,50", "vervallen", "03-12-2025"]
    assert rows[start + 4] == ["Nog terug te betalen", "", "", "", "", "9,00"]
    assert rows[start + 5] == ["Al terugbetaald", "", "", "", "", "4,50"]
    assert rows[start + 5] == rows[-1]
    body = response.content.decode("utf-8-sig")
    assert "12,34" not in body and "3,21" not in body and "Via Stripe" not in body

    # A month without double payments has the summary row at zero and no section.
    october = treasurer_client(alfa).get("/overzichten/2025/9.csv").content.decode("utf-8-sig")
    assert "Terug te betalen (twee keer betaald);0,00" in october
    assert "Online ontvangen op" not in october


def test_pdf_has_a_table_of_double_payments(alfa, beta, klussen, doubles):
    pdf = treasurer_client(alfa).get("/overzichten/2025/11.pdf").content
    assert b"Terug te betalen" in pdf and b"Online ontvangen op" in pdf
    assert b"terugbetaald op 3-12-2025" in pdf and b"nog niet" in pdf
    assert b"Nog terug te betalen: " in pdf and b"Al terugbetaald: " in pdf
    assert b"12,34" not in pdf and b"3,21" not in pdf
    beta_pdf = treasurer_client(beta).get("/overzichten/2025/11.pdf").content
    assert b"Terug te betalen" in beta_pdf and b"12,34" in beta_pdf
    assert b"terugbetaald op" not in beta_pdf
    # No section in a month without double payments.
    assert b"Terug te betalen" not in treasurer_client(alfa).get("/overzichten/2025/9.pdf").content


def test_api_gives_the_double_payments_as_strings(alfa, beta, klussen, doubles):
    data = treasurer_client(alfa).get("/api/v1/overzichten/2025/11/").json()
    assert (data["to_refund_total"], data["refunded_total"]) == ("9.00", "4.50")
    assert data["to_refund"][0] == {
        "double_payment_id": doubles["open"].pk,
        "payment_id": klussen["cash"].pk,
        "performed_on": "2025-11-03",
        "cluster": data["to_refund"][0]["cluster"],
        "volunteer": "Vera Vrijwilliger",
        "requester": "Rita Hulpvrager",
        "amount": "9.00",
        "received_on": "2025-11-21",
        "earlier": "cash",
        "refunded_on": None,
    }
    assert [(r["amount"], r["refunded_on"]) for r in data["to_refund"][1:]] == [
        ("4.50", "2025-12-03")
    ]
    beta_data = treasurer_client(beta).get("/api/v1/overzichten/2025/11/").json()
    assert [r["amount"] for r in beta_data["to_refund"]] == ["12.34"]
    assert beta_data["to_refund_total"] == "12.34" and beta_data["refunded_total"] == "0.00"
