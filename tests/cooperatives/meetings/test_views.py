"""The meetings' pages and API: a member reaches the meeting from the menu and answers, a
secret vote answers with a receipt that the list of counted ballots shows, a refusal comes in
the API's structured shape, the coordinators print the letters of members without email, and
another cooperative's meeting does not exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.meetings.models import Ballot, Rsvp
from tests.clients import error_codes, logged_in_client, post_json
from tests.factories import MemberFactory

EVOTING = {"electronic_participation": True, "electronic_voting": True}


def window():
    now = timezone.now()
    return {
        "evoting_opens": now - dt.timedelta(hours=1),
        "evoting_closes": now + dt.timedelta(days=20),
    }


def test_a_member_finds_the_meeting_from_the_menu_and_answers(alv_meeting, alfa, beta):
    made = alv_meeting(alfa, items=[{"title": "Jaarverslag 2025"}])
    member = MemberFactory(schema=alfa.schema, name="Mien Lid")
    client = logged_in_client(alfa, member=member)
    assert "/vergaderingen/" in client.get("/").content.decode()
    listing = client.get("/vergaderingen/").content.decode()
    assert f"/vergaderingen/{made.meeting.pk}/" in listing
    page = client.get(f"/vergaderingen/{made.meeting.pk}/").content.decode()
    assert "Jaarverslag 2025" in page and 'for="id_answer_0"' in page
    response = client.post(f"/vergaderingen/{made.meeting.pk}/komt-u/", {"answer": "yes"})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        assert Rsvp.objects.get(member=member).answer == "yes"
    other = logged_in_client(beta)
    assert other.get(f"/vergaderingen/{made.meeting.pk}/").status_code == 404


def test_a_secret_vote_gives_a_receipt_that_is_listed_as_counted(alv_meeting, alfa):
    item = {"title": "Verkiezing voorzitter", "kind": "election", "vote_mode": "secret", **window()}
    made = alv_meeting(alfa, items=[item], **EVOTING)
    member = MemberFactory(schema=alfa.schema, name="Stien Stem")
    client = logged_in_client(alfa, member=member)
    pk = made.items[0].pk
    page = client.post(
        f"/vergaderingen/punten/{pk}/stemmen/", {"choice": "for", "for_member": member.pk}
    ).content.decode()
    with schema_context(alfa.schema):
        code = Ballot.objects.get().receipt_code
    assert code in page
    assert code in client.get(f"/vergaderingen/punten/{pk}/bonnen/").content.decode()
    again = post_json(client, f"/api/v1/meetings/items/{pk}/votes/", {"choice": "against"})
    assert again.status_code == 400
    assert error_codes(again) == [(None, "already_voted")]


def test_the_api_refuses_online_votes_where_the_statutes_forbid_them(alv_meeting, alfa):
    made = alv_meeting(alfa, items=[{"title": "Begroting", "vote_mode": "open"}])
    client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    response = post_json(
        client, f"/api/v1/meetings/items/{made.items[0].pk}/votes/", {"choice": "for"}
    )
    assert response.status_code == 400
    assert error_codes(response) == [(None, "evoting_not_allowed")]
    listed = client.get("/api/v1/meetings/").json()
    assert [m["title"] for m in listed["results"]] == ["ALV voorjaar"]


def test_coordinators_print_the_letters_of_members_without_email(alv_meeting, alfa):
    MemberFactory(schema=alfa.schema, name="Geert Zonder Mail", email="", login=False)
    made = alv_meeting(alfa, items=[{"title": "Jaarverslag"}])
    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    client = logged_in_client(alfa, member=coordinator)
    page = client.get("/vergaderingen/brieven/").content.decode()
    assert "Geert Zonder Mail" in page
    response = client.get(f"/vergaderingen/{made.meeting.pk}/brieven.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"DejaVuSans" in response.content
    plain = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert plain.get("/vergaderingen/brieven/").status_code == 403


def test_the_home_page_asks_whether_the_member_comes_until_they_answer(alv_meeting, alfa, beta):
    made = alv_meeting(alfa, items=[{"title": "Jaarverslag"}])
    member = MemberFactory(schema=alfa.schema, name="Huib Thuis")
    client = logged_in_client(alfa, member=member)
    link = f'href="/vergaderingen/{made.meeting.pk}/"'
    assert "Laat weten of u komt" in client.get("/").content.decode()
    client.post(f"/vergaderingen/{made.meeting.pk}/komt-u/", {"answer": "no"})
    assert "Laat weten of u komt" not in client.get("/").content.decode()
    assert link not in logged_in_client(beta).get("/").content.decode()


def test_the_secretary_writes_the_minutes_and_closes_the_meeting(alv_meeting, bring_to_today, alfa):
    made = alv_meeting(alfa, items=[{"title": "Rondvraag"}])
    meeting = bring_to_today(alfa, made.meeting)
    client = logged_in_client(alfa)
    base = f"/vergaderingen/{meeting.pk}"
    assert (
        client.post(f"{base}/presentie/", {"member": made.secretary.pk, "present": "1"}).status_code
        == 302
    )
    result = client.post(
        f"/vergaderingen/punten/{made.items[0].pk}/uitslag/", {"outcome": "adopted"}
    )
    assert result.status_code == 302
    client.post(f"{base}/notulen/", {"text": "De voorzitter opent de vergadering."})
    client.post(f"{base}/afsluiten/")
    with schema_context(alfa.schema):
        meeting.refresh_from_db()
        assert meeting.status == "closed"
        assert meeting.minutes.text == "De voorzitter opent de vergadering."
        assert meeting.minutes.decisions.get().outcome == "adopted"
    page = client.get(f"{base}/presentie/").content.decode()
    assert "De voorzitter opent de vergadering." in page
