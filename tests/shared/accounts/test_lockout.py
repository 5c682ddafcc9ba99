"""Guessing passwords: after five wrong ones an account is locked for an hour, even for the
right password, and so is a client address that tries many accounts; the page says in Dutch
how to get back in, and lifting the lock is written to the cooperative's audit log. Asking for
new-password links is limited per client address and per email address. The attempts are
counted per cooperative (schema): a lockout in one cooperative locks nobody in another."""

import re

from django.test import override_settings
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
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
    with schema_context(alfa.schema):
        unlock = AuditEntry.objects.get(action="account.unlock")
        founder = Member.objects.get(email=alfa.board_email)
        assert (unlock.actor_id, unlock.target_id) == (founder.pk, str(founder.pk))
        assert "6 mislukte pogingen" in unlock.summary
    with schema_context(beta.schema):
        assert not AuditEntry.objects.filter(action="account.unlock").exists()


def choose_new_password(coop, client, mailoutbox, password: str) -> None:
    link = re.search(r"https?://[^\s]+/wachtwoord-kiezen/[^\s]+", mailoutbox[-1].body).group(0)
    form = client.get(link.split(coop.host, 1)[1], follow=True)
    client.post(form.redirect_chain[-1][0],
                {"new_password1": password, "new_password2": password})  # fmt: skip


def test_a_new_password_without_a_lockout_writes_no_unlock(alfa, beta, mailoutbox):
    attempt(alfa, alfa.board_email, "fout-wachtwoord", "10.4.0.1")
    client = client_for(alfa.host)
    client.post("/wachtwoord-vergeten/", {"email": alfa.board_email})
    choose_new_password(alfa, client, mailoutbox, "Nieuw-Wachtwoord-78!")

    assert attempt(alfa, alfa.board_email, "Nieuw-Wachtwoord-78!", "10.4.0.1").status_code == 302
    with schema_context(alfa.schema):
        assert not AuditEntry.objects.filter(action="account.unlock").exists()


def test_one_address_asking_many_new_password_links_is_stopped(alfa, beta, mailoutbox):
    """Ten requests an hour from one client address; the eleventh is refused with a Dutch
    message and sends nothing. The same address asks in beta as usual."""
    client = client_for(alfa.host, REMOTE_ADDR="10.5.5.5")
    for n in range(10):
        response = client.post("/wachtwoord-vergeten/", {"email": f"iemand{n}@example.nl"})
        assert response.status_code == 302
    sent = len(mailoutbox)

    refused = client.post("/wachtwoord-vergeten/", {"email": alfa.board_email})

    assert refused.status_code == 429
    assert "al vaak een nieuw wachtwoord aangevraagd" in refused.content.decode()
    assert len(mailoutbox) == sent == 0
    other = client_for(beta.host, REMOTE_ADDR="10.5.5.5")
    assert other.post("/wachtwoord-vergeten/", {"email": beta.board_email}).status_code == 302
    assert [m.to for m in mailoutbox] == [[beta.board_email]]


def test_one_email_address_asked_for_from_many_addresses_is_stopped(alfa, beta, mailoutbox):
    """Five requests an hour for one email address, from wherever; the sixth is refused. One
    mail went out (one per account per two minutes)."""
    for n in range(5):
        response = client_for(alfa.host, REMOTE_ADDR=f"10.6.0.{n}").post(
            "/wachtwoord-vergeten/", {"email": alfa.board_email.upper()}
        )
        assert response.status_code == 302

    refused = client_for(alfa.host, REMOTE_ADDR="10.6.1.1").post(
        "/wachtwoord-vergeten/", {"email": alfa.board_email}
    )

    assert refused.status_code == 429
    assert [m.to for m in mailoutbox] == [[alfa.board_email]]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_guessing_client_is_locked_not_the_proxy(alfa, beta):
    """Every request comes from the proxy (REMOTE_ADDR); the client is the entry it appended.
    Entries the guesser made up in front of it change nothing: after five wrong tries that
    client is refused even the right password, while another client through the same proxy
    logs in."""

    def through_proxy(email: str, password: str, client_ip: str, made_up: str):
        return client_for(
            alfa.host, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{made_up}, {client_ip}"
        ).post("/inloggen/", {"username": email, "password": password})

    for n in range(5):
        through_proxy(f"niemand{n}@example.nl", "geraden", "203.0.113.50", f"198.51.100.{n}")

    locked = through_proxy(alfa.board_email, PASSWORD, "203.0.113.50", "198.51.100.77")
    assert locked.status_code == 429
    assert "Inloggen is even geblokkeerd" in locked.content.decode()
    assert "_auth_user_id" not in locked.client.session
    assert through_proxy(alfa.board_email, PASSWORD, "203.0.113.51", "1.2.3.4").status_code == 302
