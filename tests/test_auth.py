"""Users live per schema: a login on one cooperative is no login on another."""

from django_tenants.utils import schema_context

from shared.accounts.models import User
from tests.clients import client_for, logged_in_client
from tests.factories import PASSWORD


def test_board_member_logs_in_with_email_and_password(alfa):
    client = client_for(alfa.host)
    page = client.get("/inloggen/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(
        "/inloggen/", {"username": alfa.board_email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert f"Welkom, {alfa.board_name.split()[0]}" in home.content.decode()


def test_wrong_password_gives_a_dutch_message_and_no_session(alfa):
    client = client_for(alfa.host)
    response = client.post("/inloggen/", {"username": alfa.board_email, "password": "fout"})
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()
    assert client.get("/").status_code == 302


def test_member_of_a_cannot_log_in_on_b(alfa, beta):
    client = client_for(beta.host)
    response = client.post("/inloggen/", {"username": alfa.board_email, "password": PASSWORD})
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()


def test_session_cookie_of_a_is_no_login_on_b(alfa, beta):
    a_client = logged_in_client(alfa)
    assert a_client.get("/").status_code == 200
    b_client = client_for(beta.host)
    b_client.cookies = a_client.cookies  # the same session id, presented to B
    response = b_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    api = b_client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["type"] == "client_error"


def test_api_me_answers_within_the_own_cooperative(alfa, beta):
    data = logged_in_client(alfa).get("/api/v1/me/").json()
    assert data["email"] == alfa.board_email
    assert data["cooperative"] == alfa.cooperative.name
    data = logged_in_client(beta).get("/api/v1/me/").json()
    assert data["email"] == beta.board_email


def test_users_are_per_schema_and_hashed_with_argon2(alfa, beta):
    with schema_context(alfa.schema):
        alfa_emails = set(User.objects.values_list("email", flat=True))
        assert User.objects.get(email=alfa.board_email).password.startswith("argon2")
    with schema_context(beta.schema):
        beta_emails = set(User.objects.values_list("email", flat=True))
    with schema_context("public"):
        public_emails = set(User.objects.values_list("email", flat=True))
    assert alfa_emails == {alfa.board_email}
    assert beta_emails == {beta.board_email}
    assert public_emails == {"beheer@samen030.example.nl"}


def test_network_administrator_logs_in_on_the_apex_only(apex_client, alfa):
    response = apex_client.post(
        "/netwerk/inloggen/", {"username": "beheer@samen030.example.nl", "password": PASSWORD}
    )
    assert response.status_code == 302
    overview = apex_client.get("/netwerk/")
    assert overview.status_code == 200
    body = overview.content.decode()
    assert alfa.cooperative.name in body and "WIJ-coöperatie Beta" in body
    # The network administrator is not a member of any cooperative.
    response = client_for(alfa.host).post(
        "/inloggen/", {"username": "beheer@samen030.example.nl", "password": PASSWORD}
    )
    assert response.status_code == 200


def test_network_overview_needs_a_login(apex_client, coops, db):
    response = apex_client.get("/netwerk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/netwerk/inloggen/")
