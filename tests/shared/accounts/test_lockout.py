"""Guessing passwords: after five wrong ones an account is locked for an hour, even for the
right password, and so is a client address that tries many accounts; the page says in Dutch
how to get back in. The attempts are counted per cooperative (schema): a lockout in one
cooperative locks nobody in another."""

from django_tenants.utils import schema_context

from tests.clients import client_for
from tests.factories import PASSWORD, MemberFactory, with_password


def attempt(coop, email: str, password: str, address: str = "10.1.1.1"):
    return client_for(coop.host, REMOTE_ADDR=address).post(
        "/inloggen/", {"username": email, "password": password}
    )


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(alfa, beta):
    for n in range(5):
        response = attempt(alfa, alfa.board_email, "fout-wachtwoord", f"10.0.0.{n}")
        assert response.status_code in (200, 429)
    locked = attempt(alfa, alfa.board_email, PASSWORD, "10.0.9.9")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Inloggen is even geblokkeerd" in page
    assert 'href="/wachtwoord-vergeten/"' in page
    assert "_auth_user_id" not in locked.client.session
    # Another cooperative's board member with the same kind of address logs in as usual.
    ok = attempt(beta, beta.board_email, PASSWORD, "10.0.9.9")
    assert ok.status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(alfa, beta):
    with schema_context(alfa.schema):
        people = [with_password(alfa.schema, MemberFactory(schema=alfa.schema)) for _ in range(2)]
    for n in range(5):
        attempt(alfa, f"niemand{n}@example.nl", "geraden", "10.7.7.7")
    refused = attempt(alfa, people[0].email, PASSWORD, "10.7.7.7")
    # The right password does not get in from that address (django-axes answers this case
    # with the login form again rather than its lockout page).
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in refused.client.session
    # From another address the same member gets in.
    assert attempt(alfa, people[1].email, PASSWORD, "10.8.8.8").status_code == 302


def test_the_right_password_before_the_limit_resets_the_count(alfa, beta):
    for _ in range(4):
        attempt(alfa, alfa.board_email, "fout", "10.2.2.2")
    assert attempt(alfa, alfa.board_email, PASSWORD, "10.2.2.2").status_code == 302
    for _ in range(4):
        attempt(alfa, alfa.board_email, "fout", "10.2.2.2")
    assert attempt(alfa, alfa.board_email, PASSWORD, "10.2.2.2").status_code == 302
