"""Logging in: users live per schema, so a login or a session cookie of one cooperative is no
login on another; a wrong password gets a Dutch message and no session."""

from tests.clients import client_for, logged_in_client
from tests.factories import PASSWORD


def test_board_member_logs_in_with_email_password_and_code(alfa):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tenants.utils import schema_context

    from shared.accounts.models import User

    with schema_context(alfa.schema):
        device = TOTPDevice.objects.create(
            user=User.objects.get(email=alfa.board_email), name="telefoon", confirmed=True
        )
    client = client_for(alfa.host)
    page = client.get("/inloggen/")
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()
    response = client.post(
        "/inloggen/", {"username": alfa.board_email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/tweestaps/?next=%2F"
    # The password alone opens no page of the board member's.
    assert client.get("/")["Location"].startswith("/tweestaps/")
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/tweestaps/", {"code": code, "next": "/"})["Location"] == "/"
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
