"""Issue 6 on the demo, in a real headless Chromium: a cooperative on the Oost rules subscribes
on /abonnement/ through the Stripe stand-in's demo payment page, connects its own Stripe account
for klussen, has one klus paid in cash (the volunteer confirms) and one paid online (the
requester pays on the demo page), and its treasurer downloads the month's statement as CSV and
PDF. Every step goes through the pages, as a person would.

The stand-in runs in this process and delivers its signed webhook events over HTTP to the live
server's apex webhook (127.0.0.1 with the apex as Host header). That works with the
single-threaded live server: while the browser waits for the stand-in's page, the live server is
idle and can take the event. Data is committed (the server has its own connection), so the test
signs up a cooperative of its own and removes it, and every billing row it made, at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.connect.models import ConnectAccount
from billing.klussen.models import KlusPayment
from billing.klussen.money import platform_fee_cents
from billing.outbox.models import OutboxCall
from billing.standin import PAY_NOTICE
from billing.subscriptions.models import Plan, Subscription
from billing.subscriptions.services import plans_sync_stripe
from billing.webhooks.models import StripeEvent
from cooperatives.marketplace import services as market
from cooperatives.members.models import Member, Role
from cooperatives.setup.models import Cluster
from tenants.models import Cooperative
from tenants.services import cooperative_sign_up, schema_name_for
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    live_server,
    log_in,
)
from tests.stripe_standin import CONNECT_SECRET, SECRET

SLUG = "e2e-kas"


WEBHOOK = "/api/v1/billing/stripe/webhook/"


PAID_PLAN = "tot150"


# --- set-up ------------------------------------------------------------------------------------


def _paid_klus(
    *, requester: Member, volunteer: Member, cluster: str, title: str, hours: str
) -> KlusPayment:
    """A paid klus asked, planned, done and confirmed through the real marketplace services,
    as the demo seeds them: confirming records the euro compensation that billing settles."""
    request = market.request_create(
        actor=requester,
        requester=requester,
        cluster=Cluster.objects.get(name=cluster),
        title=title,
        expected_hours=hours,
        network_checked=True,
    )
    answer = market.response_create(volunteer=volunteer, request=request)
    service = market.response_accept(
        actor=requester, response=answer, date=timezone.localdate(), start_time=dt.time(10, 0)
    )
    market.service_register_hours(actor=volunteer, service=service, hours=hours)
    market.service_confirm(actor=requester, service=service)
    return KlusPayment.objects.get(service=service)


def _deliver_to(port: int) -> Callable[[str, str], int]:
    """The stand-in's webhook delivery: a POST to the live server's apex webhook. The browser
    maps the platform's host names to 127.0.0.1; this process cannot, so it names the apex in
    the Host header."""
    host = f"{settings.PLATFORM_DOMAIN}:{port}"

    def deliver(body: str, header: str) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{WEBHOOK}",
            data=body.encode(),
            method="POST",
            headers={
                "Host": host,
                "Content-Type": "application/json",
                "Stripe-Signature": header,
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status

    return deliver


def _billing_of(coop) -> dict:
    """What billing holds for a cooperative: its subscription, its Stripe account, its Stripe
    calls and its klussen."""
    cooperative = coop.cooperative
    with schema_context(coop.schema):
        klussen = list(KlusPayment.objects.order_by("pk").values())
    return {
        "subscription": list(Subscription.objects.filter(cooperative=cooperative).values()),
        "connect": list(ConnectAccount.objects.filter(cooperative=cooperative).values()),
        "outbox": list(OutboxCall.objects.filter(cooperative=cooperative).values("pk")),
        "klussen": klussen,
    }


def _clean_up(*, plans: dict, outbox_after: int, events_after: int) -> None:
    """Remove what the test committed outside the cooperative's schema, then the cooperative:
    its Stripe calls and events, its subscription and Stripe account (they protect the
    cooperative's row), and the Stripe ids the plans got from this test's stand-in."""
    connection.set_schema_to_public()
    OutboxCall.objects.filter(pk__gt=outbox_after).delete()
    StripeEvent.objects.filter(pk__gt=events_after).delete()
    mine = Cooperative.objects.filter(schema_name=schema_name_for(SLUG)).first()
    if mine is not None:
        Subscription.objects.filter(cooperative=mine).delete()
        ConnectAccount.objects.filter(cooperative=mine).delete()
    for pk, (product, price) in plans.items():
        Plan.objects.filter(pk=pk).update(stripe_product_id=product, stripe_price_id=price)
    drop_cooperative(schema_name_for(SLUG))


def _row_value(page, header: str):
    """The table row whose row header (th scope=row) has this accessible name."""
    return page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=header, exact=True)
    )


# --- the flow ----------------------------------------------------------------------------------


@pytest.mark.timeout(240)
def test_a_cooperative_subscribes_settles_klussen_and_downloads_its_statement_in_a_browser(
    coops, django_db_blocker, settings, monkeypatch, stripe_standin
):
    assert chromium_path(), (
        "Chromium ontbreekt: installeer Debian's pakket 'chromium' (bin/test doet dat)"
    )
    from playwright.sync_api import expect

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made here between
    # browser steps are ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain http: cookies must not require https here, and the links
    # the platform makes itself (Stripe's return addresses) must say http too.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.PLATFORM_SCHEME = "http"
    standin = stripe_standin
    standin.webhook_secret, standin.connect_webhook_secret = SECRET, CONNECT_SECRET
    today = timezone.localdate()

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        plans = {p.pk: (p.stripe_product_id, p.stripe_price_id) for p in Plan.objects.all()}
        outbox_after = OutboxCall.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        events_after = StripeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        others_before = {name: _billing_of(coop) for name, coop in coops.items()}
        try:
            # The plans get their Stripe product and price at this test's stand-in, as
            # `manage.py billing_sync_plans` does on the demo.
            assert {r.state for r in plans_sync_stripe()} <= {"free", "done"}
            plan = Plan.objects.get(code=PAID_PLAN)
            assert plan.stripe_price_id.startswith("price_standin")

            coop = cooperative_sign_up(
                name="E2E Kas",
                slug=SLUG,
                board_member_name="Bea Bestuur",
                email="bestuur@e2e-kas.example.nl",
                password=PASSWORD,
                template="oost",
            ).cooperative
            with schema_context(coop.schema_name):
                hashed = make_password(PASSWORD)
                treasurer = browser_member(
                    "Paula Penning", "paula@e2e-kas.example.nl", hashed, role=Role.BOARD_TREASURER
                )
                volunteer = browser_member(
                    "Vincent Vrijwilliger", "vincent@e2e-kas.example.nl", hashed, role="volunteer"
                )
                riet = browser_member("Riet Contant", "riet@e2e-kas.example.nl", hashed)
                otto = browser_member("Otto Online", "otto@e2e-kas.example.nl", hashed)
                cash = _paid_klus(
                    requester=riet,
                    volunteer=volunteer,
                    cluster="Reparaties",
                    title="Lekkende kraan",
                    hours="1,5",
                )
                online = _paid_klus(
                    requester=otto,
                    volunteer=volunteer,
                    cluster="Tuin",
                    title="Heg snoeien",
                    hours="2",
                )
            assert (cash.status, online.status) == ("open", "open")
            fee_cents = platform_fee_cents(online.amount)

            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                settings.PLATFORM_PORT = str(port)
                standin.deliver = _deliver_to(port)
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                try:
                    pay = f"{standin.base}/pay/*"
                    board = log_in(chrome.new_context(locale="nl-NL"), base, treasurer.email)

                    # 1. The treasurer subscribes: the pilot until now, a paid plan chosen,
                    #    paid on the demo page, and back on /abonnement/ in the trial.
                    board.goto(f"{base}/abonnement/")
                    expect(board.get_by_role("heading", level=1)).to_have_text("Abonnement")
                    status = _row_value(board, "Status")
                    expect(status.get_by_role("cell")).to_have_text("gratis")
                    board.get_by_role("button", name=f"Kies {plan.name}").click()
                    board.wait_for_url(pay)
                    session_id = board.url.rsplit("/", 1)[-1]
                    expect(board.get_by_role("note")).to_have_text(PAY_NOTICE)
                    main = board.get_by_role("main")
                    expect(board.get_by_role("heading", level=1)).to_have_text(
                        "Abonnement afsluiten"
                    )
                    expect(main).to_contain_text("€ 15,00 per maand")
                    expect(main).to_contain_text("30 dagen gratis")
                    expect(board.get_by_role("link", name="Annuleren")).to_be_visible()
                    board.get_by_role("button", name="Betalen", exact=True).click()
                    board.wait_for_url(f"{base}/abonnement/")
                    expect(board.get_by_role("status")).to_contain_text("Dank u wel")
                    expect(status).to_contain_text("proefperiode")
                    expect(_row_value(board, "Abonnementsvorm")).to_contain_text(plan.name)
                    expect(_row_value(board, "Proefperiode loopt tot")).to_be_visible()
                    subscription = Subscription.objects.select_related("plan").get(cooperative=coop)
                    assert subscription.status == Subscription.Status.TRIALING
                    assert subscription.plan == plan
                    assert (
                        subscription.stripe_subscription_id
                        == (standin.checkout_sessions[session_id]["subscription"])
                    )
                    assert subscription.current_period_end is not None

                    # 2. The treasurer connects the cooperative's Stripe account for klussen.
                    board.goto(f"{base}/klussen/stripe-account/")
                    expect(main).to_contain_text("De coöperatie heeft nog geen Stripe-account.")
                    board.get_by_role("button", name="Stripe-account aanmaken").click()
                    board.wait_for_url(f"{standin.base}/onboarding/*")
                    expect(board.get_by_role("note")).to_contain_text("Demo")
                    board.get_by_role("button", name="Gegevens bevestigen en koppelen").click()
                    board.wait_for_url(f"{base}/klussen/stripe-account/?terug=1")
                    expect(main).to_contain_text(
                        "Het Stripe-account is klaar: leden kunnen klussen online betalen."
                    )
                    expect(board.get_by_role("button", name="Aanmelding bij Stripe")).to_have_count(
                        0
                    )
                    account = ConnectAccount.objects.get(cooperative=coop)
                    assert (account.charges_enabled, account.details_submitted) == (True, True)

                    # 3. The volunteer got the money for the repair in cash and says so.
                    helper = log_in(chrome.new_context(locale="nl-NL"), base, volunteer.email)
                    helper.goto(f"{base}/klussen/{cash.pk}/")
                    expect(helper.locator("p.lead")).to_have_text("Status: te betalen")
                    # Paying online is the requester's, not the volunteer's.
                    expect(helper.get_by_role("button", name="Betaal online")).to_have_count(0)
                    helper.get_by_role("button", name="Ik heb het geld contant ontvangen").click()
                    expect(helper.get_by_role("status")).to_have_text(
                        "Dank u. De klus staat op betaald (contant)."
                    )
                    expect(helper.locator("p.lead")).to_have_text("Status: betaald (contant)")

                    # 4. The requester of the garden klus pays online with iDEAL.
                    asker = log_in(chrome.new_context(locale="nl-NL"), base, otto.email)
                    asker.goto(f"{base}/klussen/{online.pk}/")
                    expect(asker.get_by_role("button", name="Ik heb het geld")).to_have_count(0)
                    asker.get_by_role("button", name="Betaal online met iDEAL").click()
                    asker.wait_for_url(pay)
                    klus_session = asker.url.rsplit("/", 1)[-1]
                    expect(asker.get_by_role("heading", level=1)).to_have_text("Betalen")
                    asker_main = asker.get_by_role("main")
                    expect(asker_main).to_contain_text("Klus: Tuin op")
                    expect(asker_main).to_contain_text("€ 9,00")
                    expect(asker_main).to_contain_text(account.stripe_account_id)
                    asker.get_by_role("button", name="Betalen", exact=True).click()
                    asker.wait_for_url(f"{base}/klussen/{online.pk}/?betaald=1")
                    expect(asker.locator("p.lead")).to_have_text("Status: betaald (online (iDEAL))")
                    expect(asker.get_by_role("button", name="Betaal online")).to_have_count(0)
                    # Stripe was asked for the session on the cooperative's own account, with
                    # the platform's fee as the application fee.
                    session = standin.checkout_sessions[klus_session]
                    assert session["_account"] == account.stripe_account_id
                    assert int(session["payment_intent_data"]["application_fee_amount"]) == (
                        fee_cents
                    )

                    # 5. The treasurer opens the month's statement and downloads it.
                    board.goto(f"{base}/overzichten/{today.year}/{today.month}/")
                    lines = board.locator("section[aria-labelledby=klussen-kop] tbody tr")
                    expect(lines).to_have_count(2)
                    repair = lines.filter(has_text="Reparaties")
                    expect(repair).to_contain_text("Riet Contant")
                    expect(repair).to_contain_text("betaald, contant")
                    garden = lines.filter(has_text="Tuin")
                    expect(garden).to_contain_text("Otto Online")
                    expect(garden).to_contain_text("betaald, online (iDEAL)")
                    expect(garden).to_contain_text("platformkosten € 0,18")
                    expect(_row_value(board, "Online betaald")).to_contain_text("€ 9,00")
                    expect(_row_value(board, "Contant betaald")).to_contain_text("€ 6,75")
                    expect(_row_value(board, "Nog te betalen")).to_contain_text("€ 0,00")
                    with board.expect_download() as download:
                        board.get_by_role("link", name="Download CSV (voor een rekenblad)").click()
                    csv_file = download.value
                    stem = f"noaber-{SLUG}-{today.year:04d}-{today.month:02d}"
                    assert csv_file.suggested_filename == f"{stem}.csv"
                    csv_text = Path(csv_file.path()).read_text(encoding="utf-8-sig")
                    with board.expect_download() as download:
                        board.get_by_role("link", name="Download PDF (om te printen)").click()
                    pdf_file = download.value
                    assert pdf_file.suggested_filename == f"{stem}.pdf"
                    pdf = Path(pdf_file.path()).read_bytes()
                finally:
                    # Inside Playwright's event loop the ORM got a connection of its own
                    # (Django's connections are context-local); close it, or it outlives the
                    # test database.
                    connections.close_all()

            # Every webhook event reached the platform and was processed.
            assert standin.delivery_errors == []
            events = StripeEvent.objects.filter(pk__gt=events_after)
            assert sorted(events.values_list("type", flat=True)) == [
                "account.updated",
                "checkout.session.completed",
                "checkout.session.completed",
                "customer.subscription.created",
            ]
            assert not events.filter(processed_at__isnull=True).exists()
            assert events.get(type="account.updated").account == account.stripe_account_id

            with schema_context(coop.schema_name):
                cash.refresh_from_db()
                online.refresh_from_db()
            assert (cash.status, cash.method, cash.confirmed_by_id) == (
                "paid",
                "cash",
                volunteer.pk,
            )
            assert cash.platform_fee == 0
            assert (online.status, online.method) == ("paid", "online")
            assert online.checkout_session_id == klus_session
            assert online.payment_intent_id == session["payment_intent"]
            assert online.platform_fee == Decimal(fee_cents) / 100 == Decimal("0.18")
            assert (cash.amount, online.amount) == (Decimal("6.75"), Decimal("9.00"))

            # The CSV: one row per klus, the totals, and the subscription.
            rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
            assert rows[0][:5] == ["Datum", "Dienst", "Cluster", "Vrijwilliger", "Hulpvrager"]
            by_cluster = {row[2]: row for row in rows[1:3]}
            day = today.strftime("%d-%m-%Y")
            assert by_cluster["Reparaties"] == [
                day, str(cash.service_id), "Reparaties", "Vincent Vrijwilliger", "Riet Contant",
                "1,50", "4,50", "6,75", _comma(cash.cooperative_share),
                _comma(cash.volunteer_amount), "0,00", "contant", "betaald", day,
            ]  # fmt: skip
            assert by_cluster["Tuin"] == [
                day, str(online.service_id), "Tuin", "Vincent Vrijwilliger", "Otto Online",
                "2,00", "4,50", "9,00", _comma(online.cooperative_share),
                _comma(online.volunteer_amount), "0,18", "online (iDEAL)", "betaald", day,
            ]  # fmt: skip
            totals = rows[3]
            assert totals[0] == "Totaal: 2 klussen (zonder vervallen)"
            assert (totals[5], totals[7], totals[10]) == ("3,50", "15,75", "0,18")
            assert rows[4] == []
            assert rows[5:10] == [
                ["Contant betaald", "6,75"],
                ["Online betaald", "9,00"],
                ["Nog te betalen", "0,00"],
                ["Nog te betalen uit eerdere maanden", "0,00"],
                ["Terug te betalen (twee keer betaald)", "0,00"],
            ]
            assert rows[10] == ["Abonnement", "15,00", plan.name, "proefperiode"]
            assert pdf.startswith(b"%PDF")

            # The session's other cooperatives kept their billing exactly as it was.
            assert {name: _billing_of(c) for name, c in coops.items()} == others_before
        finally:
            _clean_up(plans=plans, outbox_after=outbox_after, events_after=events_after)
        assert not Cooperative.objects.filter(schema_name=schema_name_for(SLUG)).exists()
        assert {p.pk: (p.stripe_product_id, p.stripe_price_id) for p in Plan.objects.all()} == plans


def _comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")
