"""The joining feature's emails go through shared.mail: each names the cooperative, links to
the page on the cooperative's own subdomain where its action is done, is written in the
recipient's language, and has the board's contact address as Reply-To once it is set (and
otherwise never asks to reply to a no-reply address)."""

from __future__ import annotations

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from cooperatives.joining import services as joining
from tenants.models import Cooperative
from tests.factories import PASSWORD, MemberFactory

CONTACT = "info@alfa.example.nl"


@pytest.fixture(params=["with_contact", "without_contact"])
def contact(request, alfa) -> str:
    address = CONTACT if request.param == "with_contact" else ""
    row = Cooperative.objects.get(pk=alfa.cooperative.pk)
    row.contact_email = address
    row.save(update_fields=["contact_email"])
    return address


def check(message, *, coop, contact: str, link: str | None) -> None:
    assert coop.cooperative.name in message.subject and coop.cooperative.name in message.body
    if link:
        assert f"https://{coop.host}{link}" in message.body
    if contact:
        assert message.reply_to == [contact] and contact in message.body
    else:
        assert message.reply_to == [] and "beantwoord" not in message.body.lower()


def apply(coop, language: str = "nl"):
    from django.utils import translation

    with schema_context(coop.schema), translation.override(language):
        return joining.application_submit(
            name="Sanne de Vries",
            email="sanne@example.nl",
            password=PASSWORD,
            accept_privacy=True,
            accept_disclaimer=True,
        )


def test_the_approval_links_to_the_login(alfa, contact, django_capture_on_commit_callbacks):
    application = apply(alfa)
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        joining.application_approve(actor=board, application=application)
    (sent,) = mail.outbox
    assert sent.to == ["sanne@example.nl"]
    check(sent, coop=alfa, contact=contact, link="/inloggen/")


def test_the_decline_names_the_cooperative_and_where_to_ask(
    alfa, contact, django_capture_on_commit_callbacks
):
    application = apply(alfa)
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        joining.application_decline(actor=board, application=application, reason="Te ver weg.")
    (sent,) = mail.outbox
    # It asks nothing, so it has no link; the closing lines say whom to ask.
    check(sent, coop=alfa, contact=contact, link=None)
    assert "Te ver weg." in sent.body


def test_the_invitation_links_to_its_one_time_page(
    alfa, contact, django_capture_on_commit_callbacks
):
    board = MemberFactory(schema=alfa.schema, name="Bea Bestuur", roles=["board_chair"])
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        _invitation, token = joining.invitation_send(actor=board, email="gerrit@example.nl")
    (sent,) = mail.outbox
    check(sent, coop=alfa, contact=contact, link=f"/uitnodiging/{token}/")
    assert "Bea Bestuur" in sent.body


def test_an_applicant_who_applied_in_english_hears_back_in_english(
    alfa, django_capture_on_commit_callbacks
):
    application = apply(alfa, language="en")
    assert application.language == "en"
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    with schema_context(alfa.schema), django_capture_on_commit_callbacks(execute=True):
        member = joining.application_approve(actor=board, application=application)
    assert member.language == "en"
    assert mail.outbox[0].subject == f"Welcome as a member of {alfa.cooperative.name}"
