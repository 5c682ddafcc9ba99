"""The Stripe stand-in's hosted pages for the demo: Checkout (/pay/), the customer portal
(/portal/) and Connect onboarding (/onboarding/). A person's click changes the stand-in's
objects and then goes out as events signed like Stripe's. In these tests delivery is a sink:
the test thread posts each event to the real webhook through Django's test client, so the
processing runs inside the test's transaction (another thread would not see it). Objects are
made through the real Stripe calls (billing.stripe_api.OPERATIONS) and Stripe customers through
billing.subscriptions.services; both cooperatives have one, and an event for alfa never touches
beta."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import stripe
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from billing.connect.models import ConnectAccount
from billing.standin import StripeStandin, running_standin
from billing.stripe_api import OPERATIONS
from billing.subscriptions import services
from billing.subscriptions.models import Plan, Subscription
from billing.webhooks.models import StripeEvent
from tests.stripe_standin import CONNECT_SECRET, SECRET

WEBHOOK = "/api/v1/billing/stripe/webhook/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a browser would follow; we look at it
        return None


def browse(url: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
    """(status, body, Location) of a GET, or of a POST when `form` is given."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        request = urllib.request.Request(url, data=data)  # noqa: S310 - the local stand-in
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Location")


@pytest.fixture
def hosted(stripe_standin, alfa, beta):
    """The stand-in delivering to a list, and a Stripe customer for each cooperative."""
    stripe_standin.webhook_secret = SECRET
    stripe_standin.connect_webhook_secret = CONNECT_SECRET
    stripe_standin.delivered = []
    stripe_standin.deliver = lambda body, header: stripe_standin.delivered.append((body, header))
    for coop in (alfa, beta):
        services.stripe_customer_ensure(cooperative=coop.cooperative)
    return stripe_standin


def customer(coop) -> str:
    return Subscription.objects.get(cooperative=coop.cooperative).stripe_customer_id


def snapshot(coop) -> dict:
    return Subscription.objects.filter(cooperative=coop.cooperative).values().get()


def webhook(body: str, header: str, capture, *, process: bool = True) -> int:
    """Post one delivered event to the real webhook; `process` runs its processing (the
    after-commit task) inline, as the demo does without a Celery broker."""
    with capture(execute=process):
        response = Client().post(
            WEBHOOK,
            data=body,
            content_type="application/json",
            HTTP_HOST=settings.PLATFORM_DOMAIN,
            HTTP_STRIPE_SIGNATURE=header,
        )
    return response.status_code


def event_of(delivery: tuple[str, str]) -> dict:
    return json.loads(delivery[0])


def verifies_with(delivery: tuple[str, str], secret: str) -> bool:
    try:
        stripe.Webhook.construct_event(delivery[0], delivery[1], secret)
    except stripe.SignatureVerificationError:
        return False
    return True


def create(operation: str, params: dict, key: str, account: str = "") -> dict:
    return OPERATIONS[operation](params, key, account)


@pytest.fixture
def plan(hosted) -> Plan:
    product = create("product.create", {"name": "Klein"}, "test-product-klein")
    price = create(
        "price.create",
        {
            "product": product["id"],
            "currency": "eur",
            "unit_amount": 2500,
            "recurring": {"interval": "month"},
        },
        "test-price-klein",
    )
    return Plan.objects.create(
        code="test-klein",
        name="Klein",
        monthly_price_cents=2500,
        trial_days=30,
        stripe_product_id=product["id"],
        stripe_price_id=price["id"],
    )


def subscription_checkout(hosted, coop, plan, *, trial: int = 30) -> dict:
    schema = coop.schema
    params = {
        "mode": "subscription",
        "customer": customer(coop),
        "client_reference_id": schema,
        "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
        "metadata": {"schema": schema},
        "success_url": f"http://{coop.host}/abonnement/?sessie={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"http://{coop.host}/abonnement/",
    }
    if trial:
        params["subscription_data"] = {"trial_period_days": trial, "metadata": {"schema": schema}}
    return create("checkout_session.create", params, f"test-subscribe-{schema}-{trial}")


# --- Checkout for a subscription ---------------------------------------------------------------


def test_a_subscription_paid_on_the_demo_page_makes_the_cooperative_trialing(
    hosted, plan, alfa, beta, django_capture_on_commit_callbacks
):
    beta_before = snapshot(beta)
    session = subscription_checkout(hosted, alfa, plan)
    assert session["url"] == f"{hosted.base}/pay/{session['id']}"

    status, page, _ = browse(session["url"])
    assert status == 200
    assert "Demo-betaalpagina — er wordt geen echt geld betaald" in page
    assert 'lang="nl"' in page
    assert "Klein" in page and "€ 25,00 per maand" in page and "30 dagen gratis" in page
    assert ">Betalen</button>" in page
    assert f'href="http://{alfa.host}/abonnement/">Annuleren' in page
    assert hosted.checkout_sessions[session["id"]]["status"] == "open"  # looking pays nothing

    status, _, location = browse(session["url"], {})
    assert status == 303
    assert location == f"http://{alfa.host}/abonnement/?sessie={session['id']}"
    state = hosted.checkout_sessions[session["id"]]
    assert (state["status"], state["payment_status"]) == ("complete", "no_payment_required")
    sub = hosted.subscriptions[state["subscription"]]
    assert (sub["customer"], sub["status"], sub["price"]) == (
        customer(alfa),
        "trialing",
        plan.stripe_price_id,
    )
    assert sub["current_period_end"] - sub["current_period_start"] == 30 * 86400

    types = [event_of(d)["type"] for d in hosted.delivered]
    assert types == ["customer.subscription.created", "checkout.session.completed"]
    assert all("account" not in event_of(d) for d in hosted.delivered)
    assert all(verifies_with(d, SECRET) for d in hosted.delivered)

    created, completed = hosted.delivered
    assert webhook(*created, django_capture_on_commit_callbacks) == 200
    assert webhook(*completed, django_capture_on_commit_callbacks, process=True) == 200
    stored = StripeEvent.objects.filter(event_id__in=[event_of(d)["id"] for d in hosted.delivered])
    assert stored.count() == 2
    assert stored.filter(processed_at__isnull=False).count() == 2

    mine = Subscription.objects.get(cooperative=alfa.cooperative)
    assert mine.status == "trialing"
    assert mine.plan == plan
    assert mine.stripe_subscription_id == state["subscription"]
    assert mine.current_period_end is not None
    assert snapshot(beta) == beta_before


def test_without_a_trial_the_subscription_is_active_and_paying_twice_changes_nothing(
    hosted, plan, alfa, django_capture_on_commit_callbacks
):
    session = subscription_checkout(hosted, alfa, plan, trial=0)
    assert browse(session["url"], {})[0] == 303
    state = hosted.checkout_sessions[session["id"]]
    assert state["payment_status"] == "paid"
    assert hosted.subscriptions[state["subscription"]]["status"] == "active"

    status, _, location = browse(session["url"], {})  # back button, click again
    assert status == 303 and session["id"] in location
    assert len(hosted.subscriptions) == 1
    assert len(hosted.delivered) == 2
    status, page, _ = browse(session["url"])
    assert "Deze betaling is al afgerond." in page


def test_cancel_on_the_demo_page_is_a_link_back_and_the_session_stays_open(hosted, plan, alfa):
    session = subscription_checkout(hosted, alfa, plan)
    _, page, _ = browse(session["url"])
    assert f'href="http://{alfa.host}/abonnement/">Annuleren</a>' in page
    assert hosted.checkout_sessions[session["id"]]["status"] == "open"
    assert hosted.subscriptions == {} and hosted.delivered == []


# --- customer portal ---------------------------------------------------------------------------


def test_the_portal_cancels_the_cooperatives_own_subscription_only(
    hosted, plan, alfa, beta, django_capture_on_commit_callbacks
):
    session = subscription_checkout(hosted, alfa, plan, trial=0)
    browse(session["url"], {})
    for delivery in hosted.delivered:
        webhook(*delivery, django_capture_on_commit_callbacks, process=False)
    sub_id = hosted.checkout_sessions[session["id"]]["subscription"]
    hosted.subscription("sub_beta", customer=customer(beta), status="active", price="price_x")
    services.subscription_sync(stripe_subscription_id=sub_id)
    services.subscription_sync(stripe_subscription_id="sub_beta")
    beta_before = snapshot(beta)
    hosted.delivered.clear()

    portal = create(
        "portal_session.create",
        {"customer": customer(alfa), "return_url": f"http://{alfa.host}/abonnement/"},
        "test-portal-alfa",
    )
    status, page, _ = browse(portal["url"])
    assert status == 200
    assert "Abonnement beheren" in page and "er wordt geen echt geld betaald" in page
    assert "actief" in page and ">Opzeggen</button>" in page
    assert f'href="http://{alfa.host}/abonnement/">Terug' in page
    assert "sub_beta" not in page

    # Beta's subscription cannot be cancelled through alfa's portal.
    status, _, _ = browse(portal["url"], {"subscription": "sub_beta"})
    assert status == 303
    assert hosted.subscriptions["sub_beta"]["status"] == "active"
    assert hosted.delivered == []

    status, _, location = browse(portal["url"], {"subscription": sub_id})
    assert (status, location) == (303, f"/portal/{portal['id']}")
    assert hosted.subscriptions[sub_id]["status"] == "canceled"
    types = [event_of(d)["type"] for d in hosted.delivered]
    assert types == ["customer.subscription.updated", "customer.subscription.deleted"]
    for delivery in hosted.delivered:
        assert webhook(*delivery, django_capture_on_commit_callbacks) == 200

    assert Subscription.objects.get(cooperative=alfa.cooperative).status == "canceled"
    assert snapshot(beta) == beta_before
    assert "opgezegd" in browse(portal["url"])[1]


# --- Connect: onboarding and a klus paid on the cooperative's account --------------------------


def connected_account(coop, key: str) -> str:
    return create("account.create", {"type": "standard", "metadata": {"schema": coop.schema}}, key)[
        "id"
    ]


def test_onboarding_enables_the_cooperatives_connect_account(
    hosted, alfa, beta, django_capture_on_commit_callbacks
):
    acct = connected_account(alfa, "test-acct-alfa")
    beta_acct = connected_account(beta, "test-acct-beta")
    ConnectAccount.objects.create(cooperative=alfa.cooperative, stripe_account_id=acct)
    ConnectAccount.objects.create(cooperative=beta.cooperative, stripe_account_id=beta_acct)
    return_url = f"http://{alfa.host}/klussen/stripe-account/?klaar=1"
    link = create(
        "account_link.create",
        {
            "account": acct,
            "type": "account_onboarding",
            "return_url": return_url,
            "refresh_url": f"http://{alfa.host}/klussen/stripe-account/",
        },
        "test-link-alfa",
    )

    status, page, _ = browse(link["url"])
    assert status == 200
    assert "Stripe-account koppelen (demo)" in page and "<button" in page
    assert browse(f"{hosted.base}/onboarding/acct_onbekend")[0] == 404

    status, _, location = browse(link["url"], {})
    assert (status, location) == (303, return_url)
    assert hosted.accounts[acct]["charges_enabled"] is True
    assert hosted.accounts[beta_acct]["charges_enabled"] is False
    [delivery] = hosted.delivered
    event = event_of(delivery)
    assert (event["type"], event["account"], event["data"]["object"]["id"]) == (
        "account.updated",
        acct,
        acct,
    )
    assert event["data"]["object"]["charges_enabled"] is True
    assert verifies_with(delivery, CONNECT_SECRET) and not verifies_with(delivery, SECRET)

    assert webhook(*delivery, django_capture_on_commit_callbacks) == 200
    assert StripeEvent.objects.get(event_id=event["id"]).account == acct
    mine = ConnectAccount.objects.get(cooperative=alfa.cooperative)
    assert (mine.charges_enabled, mine.details_submitted) == (True, True)
    theirs = ConnectAccount.objects.get(cooperative=beta.cooperative)
    assert (theirs.charges_enabled, theirs.details_submitted) == (False, False)


def test_a_payment_on_a_connected_account_delivers_an_account_event(
    hosted, alfa, django_capture_on_commit_callbacks
):
    acct = connected_account(alfa, "test-acct-alfa-pay")
    session = create(
        "checkout_session.create",
        {
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 675,
                        "product_data": {"name": "Klus: Lekkende kraan"},
                    },
                    "quantity": 1,
                }
            ],
            "payment_intent_data": {"application_fee_amount": 14},
            "metadata": {"schema": alfa.schema},
            "success_url": f"http://{alfa.host}/klussen/?betaald=1",
            "cancel_url": f"http://{alfa.host}/klussen/",
        },
        "test-klus-pay",
        acct,
    )
    _, page, _ = browse(session["url"])
    assert "Klus: Lekkende kraan" in page and "€ 6,75" in page and acct in page

    status, _, location = browse(session["url"], {})
    assert (status, location) == (303, f"http://{alfa.host}/klussen/?betaald=1")
    state = hosted.checkout_sessions[session["id"]]
    assert (state["status"], state["payment_status"]) == ("complete", "paid")
    assert state["payment_intent"].startswith("pi_")
    [delivery] = hosted.delivered
    event = event_of(delivery)
    assert (event["type"], event["account"]) == ("checkout.session.completed", acct)
    assert event["data"]["object"]["payment_intent"] == state["payment_intent"]
    assert verifies_with(delivery, CONNECT_SECRET) and not verifies_with(delivery, SECRET)

    assert webhook(*delivery, django_capture_on_commit_callbacks) == 200
    stored = StripeEvent.objects.get(event_id=event["id"])
    assert stored.account == acct and stored.processed_at is not None
    # Processing read the session back on the connected account.
    last = [r for r in hosted.requests if r.method == "GET"][-1]
    assert (last.path.split("?")[0], last.stripe_account) == (
        f"/v1/checkout/sessions/{session['id']}",
        acct,
    )


# --- delivery over HTTP ------------------------------------------------------------------------


class _Sink(BaseHTTPRequestHandler):
    received: list[tuple[str, str]] = []
    delay = 0.0

    def log_message(self, *args):
        pass

    def do_POST(self):
        time.sleep(self.delay)
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        type(self).received.append((body, self.headers.get("Stripe-Signature")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def sink():
    handler = type("Sink", (_Sink,), {"received": [], "delay": 0.0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{server.server_address[1]}/api/v1/billing/stripe/webhook/"
    server.shutdown()
    server.server_close()


def _payment_session(standin_obj: StripeStandin) -> str:
    return standin_obj.create(
        "checkout/sessions",
        {"mode": "payment", "success_url": "http://x.test/ok", "cancel_url": "http://x.test/"},
        None,
    )["id"]


def test_events_are_posted_signed_and_a_slow_receiver_does_not_hang_the_page(sink):
    handler, url = sink
    with running_standin() as standin:
        standin.webhook_url, standin.webhook_secret = url, SECRET
        session_id = _payment_session(standin)
        assert browse(f"{standin.base}/pay/{session_id}", {})[0] == 303
        [delivery] = handler.received
        assert verifies_with(delivery, SECRET)

        handler.delay, standin.delivery_timeout = 3.0, 0.3
        started = time.monotonic()
        assert browse(f"{standin.base}/pay/{_payment_session(standin)}", {})[0] == 303
        assert time.monotonic() - started < 2.5
        assert len(standin.delivery_errors) == 1


def test_without_a_secret_or_address_nothing_is_delivered(sink):
    handler, url = sink
    with running_standin() as standin:
        standin.webhook_url = url  # no secret
        assert browse(f"{standin.base}/pay/{_payment_session(standin)}", {})[0] == 303
        standin.webhook_url, standin.webhook_secret = "", SECRET  # no address
        assert browse(f"{standin.base}/pay/{_payment_session(standin)}", {})[0] == 303
    assert handler.received == []
    assert len(standin.events) == 2  # made, not delivered


def test_the_demo_state_survives_a_restart(tmp_path: Path):
    state_file = tmp_path / "stripe-standin.json"
    with running_standin() as standin:
        standin.state_file = state_file
        made = create_customer_over_http(standin)
    again = StripeStandin(state_file=state_file)
    again.load()
    assert made in again.customers
    assert again.new_id("customers") != made


def create_customer_over_http(standin: StripeStandin) -> str:
    request = urllib.request.Request(  # noqa: S310 - the local stand-in
        f"{standin.base}/v1/customers",
        data=b"name=Oost&metadata[schema]=coop_oost",
        headers={"Idempotency-Key": "demo-customer"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return json.loads(response.read())["id"]


# --- the command -------------------------------------------------------------------------------


def test_the_command_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("stripe_standin", "--port", "0", "--no-state")


def test_the_command_refuses_next_to_a_live_key(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = "sk_live_abc"
    with pytest.raises(CommandError, match="live"):
        call_command("stripe_standin", "--port", "0", "--no-state")
