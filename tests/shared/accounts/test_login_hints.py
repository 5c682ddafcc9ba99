"""Logins that fail say why when "wrong password" would mislead: an applicant whose
application is still waiting is told so (only with the right password), and a member who ends
up on the network administrators' login on the apex is pointed to their cooperative."""

from __future__ import annotations

from django_tenants.utils import schema_context

from cooperatives.joining import services as joining
from cooperatives.joining.models import Application
from tests.clients import client_for
from tests.factories import PASSWORD, MemberFactory, with_password

WAITING = "Uw aanmelding wordt nog bekeken"
WRONG = "horen niet bij elkaar"


def apply(coop, email: str = "sanne@example.nl") -> Application:
    with schema_context(coop.schema):
        return joining.application_submit(
            name="Sanne de Vries",
            email=email,
            password=PASSWORD,
            accept_privacy=True,
            accept_disclaimer=True,
            postcode="3581AB",
            house_number="12",
        )


def log_in(coop, email: str, password: str):
    return client_for(coop.host).post("/inloggen/", {"username": email, "password": password})


def test_a_waiting_applicant_is_told_their_application_is_being_looked_at(alfa):
    apply(alfa)
    response = log_in(alfa, "Sanne@Example.nl", PASSWORD)
    assert response.status_code == 200  # no login, no session
    page = response.content.decode()
    assert WAITING in page and WRONG not in page
    assert 'role="alert"' in page


def test_with_a_wrong_password_nothing_about_the_application_is_revealed(alfa):
    apply(alfa)
    page = log_in(alfa, "sanne@example.nl", "Verkeerd-wachtwoord-1").content.decode()
    assert WRONG in page and WAITING not in page


def test_a_decided_application_or_another_cooperative_gets_no_such_hint(alfa, beta, db):
    application = apply(alfa)
    page = log_in(beta, "sanne@example.nl", PASSWORD).content.decode()
    assert WRONG in page and WAITING not in page
    with schema_context(alfa.schema):
        Application.objects.filter(pk=application.pk).update(status="declined")
    page = log_in(alfa, "sanne@example.nl", PASSWORD).content.decode()
    assert WRONG in page and WAITING not in page


def test_a_member_on_the_network_login_is_pointed_to_their_cooperative(apex_client, alfa):
    member = with_password(
        alfa.schema, MemberFactory(schema=alfa.schema, email="lid@alfa.example.nl")
    )
    login = apex_client.get("/netwerk/inloggen/").content.decode()
    assert "Inloggen voor netwerkbeheerders" in login
    assert 'href="/#zoek-uw-cooperatie"' in login
    response = apex_client.post(
        "/netwerk/inloggen/", {"username": member.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "horen niet bij een netwerkbeheerder" in page
    assert "Bent u lid van een wijkcoöperatie?" in page and "Zoek uw coöperatie" in page
    # Network administrators still log in there.
    admin = apex_client.post(
        "/netwerk/inloggen/", {"username": "beheer@samen030.example.nl", "password": PASSWORD}
    )
    assert admin.status_code == 302
