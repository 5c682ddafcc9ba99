"""API writes that send mail are throttled per account and per client address (the trusted
proxy count decides which address that is): past the rate, a structured 429 and no mail, no
row. Reads are never counted. Counted per cooperative: beta's board is not slowed by alfa's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django_tenants.utils import schema_context

from cooperatives.joining.models import Invitation
from shared.api.throttles import MailAccountThrottle, MailAddressThrottle
from tests.clients import logged_in_client
from tests.factories import joining_people


@pytest.fixture
def low_rates(monkeypatch):
    rates = {"mail": "3/hour", "mail_address": "4/hour"}
    monkeypatch.setattr(MailAccountThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(MailAddressThrottle, "THROTTLE_RATES", rates)


def invite(client, n: int, **extra):
    return client.post("/api/v1/invitations/", {"email": f"gast{n}@example.nl", "name": "Gast"},
                       content_type="application/json", **extra)  # fmt: skip


def invitations(coop) -> int:
    with schema_context(coop.schema):
        return Invitation.objects.count()


def test_an_account_sending_invitations_is_stopped_past_its_rate(
    alfa, beta, low_rates, django_capture_on_commit_callbacks
):
    client = logged_in_client(alfa)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert invite(client, n, REMOTE_ADDR=f"10.20.0.{n}").status_code == 201
        refused = invite(client, 9, REMOTE_ADDR="10.20.1.1")

    assert refused.status_code == 429
    body = refused.json()
    assert [e["code"] for e in body["errors"]] == ["throttled"]
    assert (invitations(alfa), len(mail.outbox)) == (3, 3)
    # Reading the list is not a write: never counted.
    assert client.get("/api/v1/invitations/").status_code == 200
    # Beta's board invites as usual.
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(logged_in_client(beta), 1).status_code == 201
    assert invitations(beta) == 1


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_address_is_stopped_whoever_is_logged_in_and_a_made_up_header_does_not_help(
    alfa, beta, low_rates, django_capture_on_commit_callbacks
):
    """Behind one proxy, the address is the entry the proxy appended; the entries a client
    wrote before it change nothing. The board member and a coordinator, each under their own
    rate, share the address's four."""
    board = logged_in_client(alfa)
    coordinator = logged_in_client(alfa, member=joining_people(alfa)["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            who = board if n % 2 == 0 else coordinator
            made_up = f"198.51.100.{n}, 203.0.113.7"
            response = invite(who, n, HTTP_X_FORWARDED_FOR=made_up)
            assert response.status_code == 201, (n, response.content)
        refused = invite(coordinator, 8, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
        other = invite(board, 9, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert refused.status_code == 429
    assert other.status_code == 201
    assert invitations(alfa) == 5
    assert invitations(beta) == 0
