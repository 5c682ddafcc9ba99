"""Sentry tags every event with the cooperative's schema and carries no personal data (no
request body, cookies, query string, user, or addresses in messages); no event leaves the
machine."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from noaber.sentry import init_sentry, scrub_event
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


def test_the_client_is_told_to_collect_no_personal_data(sentry_events):
    options = sentry_sdk.get_client().options
    assert not options["send_default_pii"]
    assert options["data_collection"]["user_info"] is False
    assert options["data_collection"]["http_bodies"] == []
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False


def test_an_error_sends_no_body_cookies_query_user_or_personal_values(
    alfa, beta, sentry_events, mocker
):
    """A form post with an email address and a phone number fails; the message of the error
    holds them too. The event carries neither, nor the body, the cookies, the query string or
    the session; beta's request, failing the same way, is tagged beta."""

    def broken(*args, **kwargs):
        raise RuntimeError("Geen mail voor jan.jansen@example.nl, 06-12345678, 3521 AB")

    mocker.patch("shared.accounts.views.PasswordResetView.form_valid", side_effect=broken)
    for coop in (alfa, beta):
        client = client_for(coop.host)
        client.raise_request_exception = False
        client.cookies["voorkeur"] = "Jan Jansen"
        response = client.post(
            "/wachtwoord-vergeten/?postcode=3521AB",
            {"email": "jan.jansen@example.nl", "telefoon": "0612345678"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        assert response.status_code == 500
    sentry_sdk.flush()

    errors = [e for e in sentry_events.events() if e.get("exception")]
    assert [e["tags"]["cooperative"] for e in errors] == [alfa.schema, beta.schema]
    for event in errors:
        sent = json.dumps(event)
        for personal in ("jan.jansen", "12345678", "3521", "Jan Jansen", "203.0.113.9"):
            assert personal not in sent, personal
        request = event["request"]
        assert not {"data", "cookies", "query_string", "env"} & set(request)
        assert set(request["headers"]) <= {"Host", "Content-Type", "Content-Length", "Accept",
                                           "Accept-Language"}  # fmt: skip
        assert "user" not in event
        assert event["exception"]["values"][-1]["value"] == (
            "Geen mail voor [e-mail], [telefoon], [postcode]"
        )


def test_the_scrubber_removes_personal_values_wherever_they_slip_in():
    event = {
        "user": {"email": "a@b.nl", "ip_address": "192.0.2.1"},
        "request": {
            "url": "https://alfa.noaber.test/wachtwoord-kiezen/MQ/ck2x9a-0f5e8d7c6b5a4f3e2d1c0b9a8f7e6d5c/?x=1",
            "data": {"note": "zorgvraag"},
            "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "sessionid=s", "Authorization": "x", "Host": "alfa.noaber.test"},
        },
        "message": "lid 06 1234 5678 op 1234AB",
        "logentry": {"message": "mail aan %s", "params": ["piet@voorbeeld.nl"]},
        "extra": {"iban": "NL91ABNA0417164300", "n": 3},
        "exception": {"values": [{"value": "+31 6 12345678", "stacktrace": {
            "frames": [{"function": "f", "vars": {"email": "a@b.nl"}}]}}]},
        "breadcrumbs": {"values": [{"message": "login a@b.nl", "data": {"to": ["c@d.nl"]}}]},
    }  # fmt: skip

    scrubbed = scrub_event(event)

    assert "user" not in scrubbed
    assert scrubbed["request"] == {
        "url": "https://alfa.noaber.test/wachtwoord-kiezen/MQ/[token]/",
        "headers": {"Host": "alfa.noaber.test"},
    }
    assert scrubbed["message"] == "lid [telefoon] op [postcode]"
    assert scrubbed["logentry"] == {"message": "mail aan %s", "params": ["[e-mail]"]}
    assert scrubbed["extra"] == {"iban": "[iban]", "n": 3}
    assert scrubbed["exception"]["values"][0]["value"] == "[telefoon]"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"] == [{"function": "f"}]
    assert scrubbed["breadcrumbs"]["values"] == [
        {"message": "login [e-mail]", "data": {"to": ["[e-mail]"]}}
    ]
