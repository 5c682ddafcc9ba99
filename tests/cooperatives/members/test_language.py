"""The member's language: switching the site's language while logged in is remembered, and
emails to the member follow it."""

from __future__ import annotations

from django.core import mail
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory


def language_of(coop, member) -> str:
    with schema_context(coop.schema):
        return Member.objects.get(pk=member.pk).language


def test_switching_the_language_while_logged_in_is_remembered_for_emails(alfa, beta):
    member = MemberFactory(schema=alfa.schema, email="wisselaar@example.nl")
    twin = MemberFactory(schema=beta.schema, email=member.email)
    client = logged_in_client(alfa, member=member)
    assert language_of(alfa, member) == "nl"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert language_of(alfa, member) == "en"
    assert language_of(beta, twin) == "nl"  # another cooperative's member is not touched

    client_for(alfa.host).post("/wachtwoord-vergeten/", {"email": member.email})
    assert mail.outbox[-1].subject.startswith("Choose a new password")

    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert language_of(alfa, member) == "nl"


def test_a_visitor_switches_language_without_an_account(alfa):
    response = client_for(alfa.host).post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    # An unknown language changes nothing for a member either.
    member = MemberFactory(schema=alfa.schema)
    logged_in_client(alfa, member=member).post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert language_of(alfa, member) == "nl"
