"""Sentry tags every event with the cooperative's schema; no event leaves the machine."""

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from noaber.sentry import init_sentry
from tests.clients import client_for, logged_in_client


class CapturingTransport(Transport):
    """Keeps envelopes in memory instead of sending them anywhere."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def events(self):
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event"
        ]


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    assert init_sentry(
        dsn="https://public@sentry.invalid/1", environment="test", transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # back to a client without a DSN: nothing captured, nothing sent


def test_no_dsn_means_no_sentry():
    assert init_sentry(dsn="", environment="test") is False


def test_error_in_a_tenant_view_is_tagged_with_its_schema(alfa, beta, sentry_events, mocker):
    def broken(**kwargs):
        raise RuntimeError("kapotte selector")  # a new exception each time: Sentry dedupes

    mocker.patch("cooperatives.home.views.setup_selectors.cluster_rows", side_effect=broken)
    for coop in (alfa, beta):
        client = logged_in_client(coop)
        client.raise_request_exception = False
        assert client.get("/").status_code == 500
    sentry_sdk.flush()
    events = sentry_events.events()
    errors = [e for e in events if e.get("exception")]
    assert [e["tags"]["cooperative"] for e in errors] == [alfa.schema, beta.schema]
    assert errors[0]["exception"]["values"][-1]["value"] == "kapotte selector"
    # No personal data travels with the event.
    assert "user" not in errors[0] or "email" not in errors[0].get("user", {})


def test_error_on_the_public_site_is_tagged_public(coops, db, sentry_events, mocker):
    mocker.patch("tenants.views.render", side_effect=RuntimeError("kapot"))
    client = client_for("noaber.test")
    client.raise_request_exception = False
    assert client.get("/").status_code == 500
    sentry_sdk.flush()
    errors = [e for e in sentry_events.events() if e.get("exception")]
    assert [e["tags"]["cooperative"] for e in errors] == ["public"]
