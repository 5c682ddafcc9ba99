"""A logged-in member changes their password from "Mijn gegevens"; the session stays."""

from __future__ import annotations

from django_tenants.utils import schema_context

from shared.accounts.models import User
from tests.clients import client_for, logged_in_client
from tests.factories import PASSWORD, MemberFactory, with_password

NEW_PASSWORD = "Lentebloesem-77!"


def password_ok(coop, member, password: str) -> bool:
    with schema_context(coop.schema):
        return User.objects.get(pk=member.user_id).check_password(password)


def test_my_data_links_to_changing_the_password(alfa):
    member = MemberFactory(schema=alfa.schema)
    page = logged_in_client(alfa, member=member).get("/mijn-gegevens/").content.decode()
    assert 'href="/mijn-gegevens/wachtwoord/"' in page and "Wachtwoord wijzigen" in page


def test_a_member_changes_their_password_and_stays_logged_in(alfa):
    member = with_password(alfa.schema, MemberFactory(schema=alfa.schema))
    client = logged_in_client(alfa, member=member)
    form = client.get("/mijn-gegevens/wachtwoord/").content.decode()
    for label in ("Uw huidige wachtwoord", "Nieuw wachtwoord", "Nieuw wachtwoord nog een keer"):
        assert label in form

    response = client.post(
        "/mijn-gegevens/wachtwoord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/mijn-gegevens/"
    assert "Uw wachtwoord is gewijzigd." in client.get("/mijn-gegevens/").content.decode()
    assert client.get("/").status_code == 200  # still logged in
    assert password_ok(alfa, member, NEW_PASSWORD) and not password_ok(alfa, member, PASSWORD)


def test_a_wrong_current_password_changes_nothing(alfa):
    member = with_password(alfa.schema, MemberFactory(schema=alfa.schema))
    client = logged_in_client(alfa, member=member)
    response = client.post(
        "/mijn-gegevens/wachtwoord/",
        {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.content.decode()
    assert password_ok(alfa, member, PASSWORD) and not password_ok(alfa, member, NEW_PASSWORD)


def test_changing_the_password_needs_a_login(alfa):
    response = client_for(alfa.host).get("/mijn-gegevens/wachtwoord/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
