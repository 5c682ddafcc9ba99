"""Guessing passwords: after five wrong ones an account is locked for an hour, even for the
right password, and so is a client address that tries many accounts; the page says in Dutch
how to get back in. The attempts are counted per cooperative (schema): a lockout in one
cooperative locks nobody in another."""

import re

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
        people = [
            with_password(
                alfa.schema, MemberFactory(schema=alfa.schema, email=f"{name}@alfa.example.nl")
            )
            for name in ("piet", "pien")
        ]
    for n in range(5):
        attempt(alfa, f"niemand{n}@example.nl", "geraden", "10.7.7.7")
    refused = attempt(alfa, people[0].email, PASSWORD, "10.7.7.7")
    assert refused.status_code == 429
    # From another address the same member gets in.
    assert attempt(alfa, people[1].email, PASSWORD, "10.8.8.8").status_code == 302


def test_the_right_password_before_the_limit_resets_the_count(alfa, beta):
    for _ in range(4):
        attempt(alfa, alfa.board_email, "fout", "10.2.2.2")
    assert attempt(alfa, alfa.board_email, PASSWORD, "10.2.2.2").status_code == 302
    for _ in range(4):
        attempt(alfa, alfa.board_email, "fout", "10.2.2.2")
    assert attempt(alfa, alfa.board_email, PASSWORD, "10.2.2.2").status_code == 302


def test_a_new_password_through_the_mailed_link_lifts_the_lockout(alfa, beta, mailoutbox):
    for n in range(5):
        attempt(alfa, alfa.board_email, "fout-wachtwoord", f"10.3.0.{n}")
    assert attempt(alfa, alfa.board_email, PASSWORD, "10.3.9.9").status_code == 429
    client = client_for(alfa.host)
    client.post("/wachtwoord-vergeten/", {"email": alfa.board_email})
    link = re.search(r"https?://[^\s]+/wachtwoord-kiezen/[^\s]+", mailoutbox[-1].body).group(0)
    form = client.get(link.split(alfa.host, 1)[1], follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.split(alfa.host, 1)[1],
        {"new_password1": "Nieuw-Wachtwoord-77!", "new_password2": "Nieuw-Wachtwoord-77!"},
    )
    assert attempt(alfa, alfa.board_email, "Nieuw-Wachtwoord-77!", "10.3.9.9").status_code == 302
