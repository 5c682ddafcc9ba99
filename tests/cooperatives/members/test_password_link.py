"""A member who calls because they cannot log in: a coordinator, or the neighbourhood
assistant of their buurt, sends them the link for a new password from the member's record.
The link goes to the member's own address only (the caller never sees it), it is audited,
and nobody else can send it; a refusal sends nothing and records nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory

BUTTON = "Stuur een link voor een nieuw wachtwoord"
LINK = re.compile(r"https://alfa\.noaber\.test/wachtwoord-kiezen/[\w-]+/[\w-]+/")


@pytest.fixture
def cast(alfa):
    oudwijk = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    abstede = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3582"])
    return {
        "caller": MemberFactory(schema=alfa.schema, name="Beller Oudwijk", neighbourhood=oudwijk),
        "no_login": MemberFactory(
            schema=alfa.schema, name="Zonder Inlog", neighbourhood=oudwijk, login=False
        ),
        "coordinator": MemberFactory(schema=alfa.schema, roles=["coordinator"]),
        "assistant": MemberFactory(
            schema=alfa.schema, roles=["neighbourhood_assistant"], assists=[oudwijk]
        ),
        "other_assistant": MemberFactory(
            schema=alfa.schema, roles=["neighbourhood_assistant"], assists=[abstede]
        ),
        "board": MemberFactory(schema=alfa.schema, roles=["board_chair"]),
        "volunteer": MemberFactory(schema=alfa.schema, roles=["volunteer"]),
    }


def audited(coop) -> list[tuple[int, str]]:
    with schema_context(coop.schema):
        return list(
            AuditEntry.objects.filter(action="member.password_reset").values_list(
                "actor_id", "target_id"
            )
        )


@pytest.mark.parametrize("who", ["coordinator", "assistant"])
def test_staff_send_a_member_who_calls_the_link(
    alfa, cast, who, django_capture_on_commit_callbacks
):
    caller, staff = cast["caller"], cast[who]
    client = logged_in_client(alfa, member=staff)
    record = client.get(f"/leden/{caller.pk}/").content.decode()
    assert BUTTON in record

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/leden/{caller.pk}/wachtwoordlink/")
    assert response.status_code == 302 and response["Location"] == f"/leden/{caller.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f"gestuurd naar {caller.email}" in page
    assert not LINK.search(page)  # the caller never sees the link

    (sent,) = mail.outbox
    assert sent.to == [caller.email]
    assert LINK.search(sent.body) and alfa.cooperative.name in sent.body
    assert "Zoals afgesproken aan de telefoon" in sent.body
    assert audited(alfa) == [(staff.pk, str(caller.pk))]


@pytest.mark.parametrize(
    ("who", "status"), [("other_assistant", 404), ("board", 403), ("volunteer", 403)]
)
def test_others_cannot_send_it(alfa, cast, who, status, django_capture_on_commit_callbacks):
    client = logged_in_client(alfa, member=cast[who])
    if status == 404:  # an assistant of another buurt does not see this member at all
        assert client.get(f"/leden/{cast['caller'].pk}/").status_code == 404
    else:
        assert BUTTON not in client.get(f"/leden/{cast['caller'].pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/leden/{cast['caller'].pk}/wachtwoordlink/")
    assert response.status_code == status
    assert mail.outbox == [] and audited(alfa) == []


def test_a_member_without_a_login_gets_no_link(alfa, cast, django_capture_on_commit_callbacks):
    client = logged_in_client(alfa, member=cast["coordinator"])
    target = cast["no_login"]
    assert BUTTON not in client.get(f"/leden/{target.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/leden/{target.pk}/wachtwoordlink/", follow=True)
    assert "geen account met een e-mailadres" in response.content.decode()
    assert mail.outbox == [] and audited(alfa) == []


def test_only_post_sends_it(alfa, cast):
    client = logged_in_client(alfa, member=cast["coordinator"])
    assert client.get(f"/leden/{cast['caller'].pk}/wachtwoordlink/").status_code == 405
    assert mail.outbox == []
