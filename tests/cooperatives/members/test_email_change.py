"""A new email address is confirmed by a link sent to it: nothing changes until that link is
used (once, before it expires; a tampered or old link changes nothing), and then the old
address is told. A coordinator's edit of a member who logs in goes the same way; a member
without a login has no login to take over, so their address changes at once."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import EmailChange, Member
from shared.accounts.models import User
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory

LINK = re.compile(r"https://alfa\.noaber\.test(/e-mailadres-bevestigen/([\w-]+)/)")
NEW = "nieuw.adres@example.nl"
INVALID = "Deze link werkt niet (meer)"


def stored(coop, member) -> tuple[str, str | None]:
    with schema_context(coop.schema):
        fresh = Member.objects.select_related("user").get(pk=member.pk)
        return fresh.email, fresh.user.email if fresh.user else None


def ask(client, email: str = NEW):
    return client.post("/mijn-gegevens/e-mailadres/", {"email": email})


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found[1]


def test_nothing_changes_until_the_link_sent_to_the_new_address_is_used(
    alfa, beta, django_capture_on_commit_callbacks
):
    member = MemberFactory(schema=alfa.schema, name="Eva Adres")
    old = member.email
    client = logged_in_client(alfa, member=member)
    page = client.get("/mijn-gegevens/").content.decode()
    assert 'href="/mijn-gegevens/e-mailadres/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client)
    assert response.status_code == 302 and response["Location"] == "/mijn-gegevens/"
    assert stored(alfa, member) == (old, old)
    assert "wacht op bevestiging" in client.get("/mijn-gegevens/").content.decode()
    (sent,) = mail.outbox
    assert sent.to == [NEW]
    assert sent.subject == f"Bevestig uw nieuwe e-mailadres voor {alfa.cooperative.name}"
    path = link_in(sent)

    # Opening the link asks first; a mail program that opens it changes nothing.
    confirm = client_for(alfa.host)
    page = confirm.get(path)
    assert page.status_code == 200 and f"Ja, gebruik {NEW}" in page.content.decode()
    assert stored(alfa, member) == (old, old)
    # The same token means nothing on beta.
    assert client_for(beta.host).post(path).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm.post(path)
    assert done.status_code == 200 and "Uw e-mailadres is gewijzigd" in done.content.decode()
    assert stored(alfa, member) == (NEW, NEW)
    # The old address is told, with the link to check one's data.
    told = [m for m in mail.outbox if m.to == [old]]
    assert len(told) == 1
    assert told[0].subject == f"Uw e-mailadres bij {alfa.cooperative.name} is gewijzigd"
    assert "https://alfa.noaber.test/mijn-gegevens/" in told[0].body
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="member.email_change")
        assert entry.actor_id == member.pk and NEW not in str(entry.changes)
        assert AuditEntry.objects.filter(action="member.email_change_request").count() == 1

    # Used once: the link is dead, and the login moved to the new address.
    assert INVALID in client_for(alfa.host).get(path).content.decode()
    assert client_for(alfa.host).post(path).status_code == 404
    assert stored(alfa, member) == (NEW, NEW)


def test_a_tampered_link_changes_nothing(alfa, django_capture_on_commit_callbacks):
    member = MemberFactory(schema=alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        ask(logged_in_client(alfa, member=member))
    path = link_in(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
    client = client_for(alfa.host)
    assert client.get(tampered).status_code == 404
    assert client.post(tampered).status_code == 404
    assert stored(alfa, member) == (member.email, member.email)


def test_an_expired_link_changes_nothing(alfa, django_capture_on_commit_callbacks):
    member = MemberFactory(schema=alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        ask(logged_in_client(alfa, member=member))
    path = link_in(mail.outbox[0])
    with schema_context(alfa.schema):
        EmailChange.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(alfa.host)
    assert INVALID in client.get(path).content.decode()
    assert client.post(path).status_code == 404
    assert stored(alfa, member) == (member.email, member.email)
    assert len(mail.outbox) == 1  # the old address heard nothing: nothing happened


def test_only_the_newest_link_works(alfa, django_capture_on_commit_callbacks):
    member = MemberFactory(schema=alfa.schema)
    client = logged_in_client(alfa, member=member)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "eerste@example.nl")
        ask(client, "tweede@example.nl")
    first, second = (link_in(m) for m in mail.outbox)
    assert client_for(alfa.host).post(first).status_code == 404
    assert client_for(alfa.host).post(second).status_code == 200
    assert stored(alfa, member) == ("tweede@example.nl", "tweede@example.nl")


def test_an_address_in_use_is_refused_when_asked_and_when_confirmed(
    alfa, django_capture_on_commit_callbacks
):
    member = MemberFactory(schema=alfa.schema)
    other = MemberFactory(schema=alfa.schema, email="bezet@example.nl")
    client = logged_in_client(alfa, member=member)
    refused = ask(client, "BEZET@example.nl")
    assert refused.status_code == 400
    assert "Er is al een lid met dit e-mailadres." in refused.content.decode()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, NEW)
    path = link_in(mail.outbox[0])
    # Meanwhile someone else took the address.
    with schema_context(alfa.schema):
        Member.objects.filter(pk=other.pk).update(email=NEW)
    response = client_for(alfa.host).post(path)
    assert response.status_code == 400
    assert "Er is al een lid met dit e-mailadres." in response.content.decode()
    assert stored(alfa, member) == (member.email, member.email)


def test_a_coordinators_edit_of_a_member_who_logs_in_waits_for_the_link_too(
    alfa, django_capture_on_commit_callbacks
):
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    member = MemberFactory(schema=alfa.schema, name="Met Inlog")
    without_login = MemberFactory(schema=alfa.schema, name="Zonder Inlog", login=False)
    client = logged_in_client(alfa, member=coordinator)
    for target, email in ((member, NEW), (without_login, "zonder@example.nl")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/leden/{target.pk}/bewerken/",
                {"kind": "resident", "name": target.name, "email": email},
            )
        assert response.status_code == 302, response.content.decode()
    assert stored(alfa, member) == (member.email, member.email)
    assert stored(alfa, without_login) == ("zonder@example.nl", None)
    assert [m.to for m in mail.outbox] == [[NEW]]
    page = client.get(f"/leden/{member.pk}/", follow=True).content.decode()
    assert "Het e-mailadres wijzigt pas als die link gebruikt is." in page
    with schema_context(alfa.schema):
        assert User.objects.filter(email__iexact=NEW).count() == 0
