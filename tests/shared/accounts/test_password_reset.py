"""Wachtwoord vergeten: Django's own reset views, one cooperative at a time. The link goes out
through shared.mail (the member's language, the cooperative's name, its own subdomain) and
works once, only in the cooperative it was made in: user ids are per schema, so user N of
alfa and user N of beta are different people."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from shared.accounts.models import User
from shared.accounts.tokens import password_reset_token
from tenants.models import Cooperative
from tests.clients import client_for
from tests.factories import PASSWORD, MemberFactory, with_password

NEW_PASSWORD = "Lentebloesem-77!"
LINK = re.compile(r"https://(?P<host>[\w.-]+)(?P<path>/wachtwoord-kiezen/[\w-]+/[\w-]+/)")


def reset_link(message) -> tuple[str, str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found["host"], found["path"]


def login_works(coop, email: str, password: str) -> bool:
    response = client_for(coop.host).post("/inloggen/", {"username": email, "password": password})
    return response.status_code == 302


def twin_users(alfa, beta) -> tuple[User, User]:
    """A user with the same id, email, password hash and last login in alfa and in beta: all
    that Django's own token looks at is the same, only the cooperative differs."""
    same = {
        "pk": 987_654,
        "email": "tweeling@example.nl",
        "full_name": "Tweeling",
        "password": make_password(PASSWORD),
    }
    users = []
    for coop in (alfa, beta):
        with schema_context(coop.schema):
            users.append(User.objects.create(**same))
    return users[0], users[1]


def test_a_reset_link_of_alfa_never_works_on_beta_for_the_same_user_id(alfa, beta):
    alfa_user, beta_user = twin_users(alfa, beta)
    with schema_context(alfa.schema):
        token = password_reset_token.make_token(alfa_user)
        assert password_reset_token.check_token(alfa_user, token)
        # Django's own generator would let the link through: it cannot tell them apart.
        plain = default_token_generator.make_token(alfa_user)
    with schema_context(beta.schema):
        beta_user = User.objects.get(pk=alfa_user.pk)
        assert default_token_generator.check_token(beta_user, plain)
        assert not password_reset_token.check_token(beta_user, token)

    # Through the pages: alfa's link on beta's subdomain is refused and changes nothing.
    uid = urlsafe_base64_encode(force_bytes(alfa_user.pk))
    client = client_for(beta.host)
    response = client.get(f"/wachtwoord-kiezen/{uid}/{token}/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze link werkt niet (meer)" in page and 'name="new_password1"' not in page
    client.post(
        f"/wachtwoord-kiezen/{uid}/set-password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert login_works(beta, "tweeling@example.nl", PASSWORD)
    assert not login_works(beta, "tweeling@example.nl", NEW_PASSWORD)
    # On alfa the same link works.
    response = client_for(alfa.host).get(f"/wachtwoord-kiezen/{uid}/{token}/", follow=True)
    assert 'name="new_password1"' in response.content.decode()


def test_forgotten_password_from_the_login_page_to_logging_in_with_the_new_one(alfa, beta):
    member = with_password(
        alfa.schema,
        MemberFactory(schema=alfa.schema, name="Greet Vergeet", email="greet@example.nl"),
    )
    # The same address in beta gets nothing from alfa's page.
    MemberFactory(schema=beta.schema, name="Greet Elders", email=member.email)
    registry = Cooperative.objects.get(pk=alfa.cooperative.pk)  # not the session's instance
    registry.contact_email = "info@alfa.example.nl"
    registry.save(update_fields=["contact_email"])
    client = client_for(alfa.host)

    login_page = client.get("/inloggen/").content.decode()
    assert 'href="/wachtwoord-vergeten/"' in login_page and "Wachtwoord vergeten?" in login_page
    form = client.get("/wachtwoord-vergeten/")
    assert form.status_code == 200 and 'for="id_email"' in form.content.decode()
    response = client.post("/wachtwoord-vergeten/", {"email": member.email.upper()})
    assert response.status_code == 302
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert "Kijk in uw e-mail" in client.get(response["Location"]).content.decode()

    assert [m.to for m in mail.outbox] == [[member.email]]
    sent = mail.outbox[0]
    assert sent.subject == f"Nieuw wachtwoord kiezen voor {alfa.cooperative.name}"
    assert alfa.cooperative.name in sent.body
    assert sent.reply_to == ["info@alfa.example.nl"]
    host, path = reset_link(sent)
    assert host == alfa.host

    # The link leads to a form (Django moves the token into the session first).
    response = client.get(path, follow=True)
    assert 'name="new_password1"' in response.content.decode()
    set_password_path = response.redirect_chain[-1][0]
    mismatch = client.post(
        set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": "iets-anders-1!"}
    )
    assert mismatch.status_code == 200 and "fouten" in mismatch.content.decode()
    with schema_context(alfa.schema):  # (logging in now would spend the link: last_login)
        assert User.objects.get(pk=member.user_id).check_password(PASSWORD)
    done = client.post(
        set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == "/wachtwoord-kiezen/klaar/"
    assert "Uw nieuwe wachtwoord is opgeslagen" in client.get(done["Location"]).content.decode()

    assert login_works(alfa, member.email, NEW_PASSWORD)
    assert not login_works(alfa, member.email, PASSWORD)
    # Used once, the link no longer works.
    again = client_for(alfa.host).get(path, follow=True).content.decode()
    assert "Deze link werkt niet (meer)" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(alfa):
    response = client_for(alfa.host).post("/wachtwoord-vergeten/", {"email": "niemand@x.nl"})
    assert response.status_code == 302
    assert response["Location"] == "/wachtwoord-vergeten/verstuurd/"
    assert mail.outbox == []


def test_a_member_who_left_gets_no_link(alfa):
    member = MemberFactory(schema=alfa.schema, email="weg@example.nl")
    with schema_context(alfa.schema):
        User.objects.filter(pk=member.user_id).update(is_active=False)
    client_for(alfa.host).post("/wachtwoord-vergeten/", {"email": member.email})
    assert mail.outbox == []


def test_asking_again_at_once_sends_no_second_mail(alfa):
    member = MemberFactory(schema=alfa.schema, email="ongeduldig@example.nl")
    client = client_for(alfa.host)
    for _ in range(3):
        assert client.post("/wachtwoord-vergeten/", {"email": member.email}).status_code == 302
    assert len(mail.outbox) == 1


def test_the_mail_is_in_the_members_language(alfa):
    member = MemberFactory(schema=alfa.schema, email="emma@example.nl", language="en")
    client_for(alfa.host).post("/wachtwoord-vergeten/", {"email": member.email})
    (sent,) = mail.outbox
    assert sent.subject == f"Choose a new password for {alfa.cooperative.name}"
    assert "Choose a new password" in sent.body


@pytest.mark.parametrize("path", ["/wachtwoord-vergeten/", "/mijn-gegevens/wachtwoord/"])
def test_the_apex_has_no_password_pages(apex_client, coops, db, path):
    # Network administrators keep their own login; the password pages are per cooperative.
    assert apex_client.get(path).status_code == 404
