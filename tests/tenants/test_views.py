"""Signing up a cooperative on the apex domain's page: it is live at once, and every validation
error is shown in Dutch next to its field with nothing created."""

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from tenants.models import Cooperative, Domain
from tests.clients import client_for
from tests.factories import PASSWORD, SIGN_UP
from tests.state import registry_snapshot
from tests.texts import SIGN_UP_REFUSALS

# --- the happy paths -------------------------------------------------------------------------


def test_sign_up_page_creates_a_live_cooperative_whose_board_member_can_log_in(
    apex_client, coops, db, django_capture_on_commit_callbacks
):
    page = apex_client.get("/aanmelden/")
    assert page.status_code == 200
    body = page.content.decode()
    for label in ("Naam van de coöperatie", "Subdomein", "Uw e-mailadres", "Kies een wachtwoord"):
        assert label in body

    with django_capture_on_commit_callbacks(execute=True):
        response = apex_client.post("/aanmelden/", SIGN_UP)
    assert response.status_code == 302
    done = apex_client.get(response["Location"])
    assert "Buurtkracht Zuid staat klaar" in done.content.decode()
    assert "https://zuid.noaber.test/inloggen/" in done.content.decode()

    coop = Cooperative.objects.get(slug="zuid")
    assert coop.status == Cooperative.Status.TRIAL
    assert coop.schema_name == "coop_zuid"
    assert Domain.objects.get(tenant=coop).domain == "zuid.noaber.test"

    # Live at once: the board member logs in on the new subdomain, and (the board must) sets
    # up a phone for the second factor first.
    client = client_for("zuid.noaber.test")
    login = client.post("/inloggen/", {"username": SIGN_UP["email"], "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == "/tweestaps/?next=%2F"
    assert "Telefoon koppelen" in client.get(login["Location"]).content.decode()
    with schema_context("coop_zuid"):
        device = TOTPDevice.objects.get(confirmed=False)
        code = f"{totp(device.bin_key):06d}"
    assert client.post("/tweestaps/", {"code": code, "next": "/"}).status_code == 302
    home = client.get("/").content.decode()
    assert "Welkom, Fatima" in home and "Buurtkracht Zuid" in home
    assert "U bent bestuurslid" in home
    assert "Reparaties" in home  # the Oost template's clusters

    # The welcome email went out after the commit, once.
    assert [m.to for m in mail.outbox] == [[SIGN_UP["email"]]]
    assert "zuid.noaber.test/inloggen/" in mail.outbox[0].body


@pytest.mark.parametrize(("field", "change", "code", "message"), SIGN_UP_REFUSALS)
def test_page_shows_each_error_in_dutch_next_to_its_field(
    apex_client, coops, db, field, change, code, message
):
    before = registry_snapshot()
    response = apex_client.post("/aanmelden/", {**SIGN_UP, **change})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert message.replace("'", "&#x27;") in body
    assert 'role="alert"' in body  # the error summary is announced
    assert registry_snapshot() == before
