"""One word for each subscription state, the same wherever the state is shown: the
subscription page, the API, the monthly statement as page, CSV and PDF (and the audit log)."""

import datetime as dt
import html

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.subscriptions.models import Plan, Subscription
from tests.clients import logged_in_client
from tests.factories import MemberFactory

S = Subscription.Status
WORDS = {
    S.NONE: "gratis",
    S.TRIALING: "proefperiode",
    S.ACTIVE: "actief",
    S.PAST_DUE: "achterstallig",
    S.UNPAID: "onbetaald",
    S.CANCELED: "opgezegd",
    S.INCOMPLETE: "onafgerond",
    S.INCOMPLETE_EXPIRED: "verlopen",
    S.PAUSED: "gepauzeerd",
}


def test_each_state_has_one_dutch_word_of_its_own():
    assert {status: S.word(status) for status in S} == WORDS
    assert len(set(WORDS.values())) == len(S)
    assert all(" " not in word for word in WORDS.values())
    # A state Stripe adds later is shown as Stripe names it, not as an error.
    assert S.word("on_hold") == "on_hold" and S.word(None) == "gratis"


@pytest.fixture
def past_due(alfa):
    now = timezone.now()
    with schema_context("public"):
        plan = Plan.objects.create(
            code="test-woorden", name="Buurtpakket", monthly_price_cents=1500
        )
        return Subscription.objects.create(
            cooperative=alfa.cooperative,
            stripe_customer_id="cus_woorden_alfa",
            stripe_subscription_id="sub_woorden_alfa",
            plan=plan,
            status=S.PAST_DUE,
            current_period_start=now - dt.timedelta(days=20),
            current_period_end=now + dt.timedelta(days=10),
            grace_until=now + dt.timedelta(days=5),
        )


def _cell(page: str, header: str) -> str:
    after = page.split(f'<th scope="row">{header}</th>', 1)[1]
    return (
        after.split("<td>", 1)[1]
        .split("</td>", 1)[0]
        .replace("<strong>", "")
        .replace("</strong>", "")
    )


def test_the_same_word_on_the_page_in_the_api_and_the_statement(alfa, beta, past_due):
    treasurer = logged_in_client(
        alfa,
        member=MemberFactory(
            schema=alfa.schema, name="Pien Penningmeester", roles=["board_treasurer"]
        ),
    )
    today = timezone.localdate()
    month = f"/overzichten/{today.year}/{today.month}"

    page = html.unescape(treasurer.get("/abonnement/").content.decode())
    assert _cell(page, "Status") == "achterstallig"
    assert treasurer.get("/api/v1/billing/subscription/").json()["status_label"] == "achterstallig"
    statement = html.unescape(treasurer.get(f"{month}/").content.decode())
    assert _cell(statement, "Status") == "achterstallig"
    csv = treasurer.get(f"{month}.csv").content.decode("utf-8-sig")
    assert "Buurtpakket;achterstallig" in csv
    pdf = treasurer.get(f"{month}.pdf").content
    assert b"achterstallig" in pdf and b"betaling achterstallig" not in pdf

    # The audit log names it the same way: tests/cooperatives/audit/test_sentences.py.


def test_a_cooperative_without_a_subscription_is_free_everywhere(alfa, beta):
    treasurer = logged_in_client(
        alfa,
        member=MemberFactory(
            schema=alfa.schema, name="Pien Penningmeester", roles=["board_treasurer"]
        ),
    )
    today = timezone.localdate()
    page = html.unescape(treasurer.get("/abonnement/").content.decode())
    assert _cell(page, "Status") == "gratis"
    statement = html.unescape(
        treasurer.get(f"/overzichten/{today.year}/{today.month}/").content.decode()
    )
    assert "Status: gratis. De coöperatie heeft nog geen abonnement." in statement
    assert "proefperiode" not in statement
