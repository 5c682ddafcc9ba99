"""Reaching each other: once matched, the requester and the volunteer see each other's first
name and only the phone number or email address each chose to share (a setting per member, off
until they choose); the address stays hidden until matched. Before the match, after a
cancellation, and for the board or anyone else: nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import MemberSettings
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client

JSON = "application/json"


def page(client, service) -> str:
    return client.get(f"/diensten/{service.pk}/").content.decode()


def share(coop, member, *, phone: bool, email: bool) -> None:
    client = logged_in_client(coop, member=member)
    response = client.post(
        "/instellingen/",
        {
            "digest": "weekly",
            **({"share_phone": "on"} if phone else {}),
            **({"share_email": "on"} if email else {}),
        },
    )
    assert response.status_code == 302


def test_nothing_is_shared_before_the_match_nor_unless_chosen(alfa, beta, cast):
    people = cast(alfa)
    share(alfa, people.rita, phone=True, email=True)
    with schema_context(alfa.schema):
        request = services.request_create(
            actor=people.rita,
            requester=people.rita,
            cluster=Cluster.objects.get(name="Wandelen"),
            title="Wandelen in het park",
            expected_hours="1",
        )
        services.response_create(volunteer=people.vera, request=request)
    as_vera = logged_in_client(alfa, member=people.vera)
    before = as_vera.get(f"/hulpvragen/{request.pk}/").content.decode()
    assert "030 111 22 33" not in before and "Oudwijkerlaan" not in before

    with schema_context(alfa.schema):
        response = request.responses.get()
        service = services.response_accept(
            actor=people.rita,
            response=response,
            date=timezone.localdate() + dt.timedelta(days=1),
            start_time=dt.time(10, 0),
        )
    # Matched: Vera sees Rita's first name, phone and email (Rita shares both), and the address.
    vera_page = page(as_vera, service)
    assert "Elkaar bereiken" in vera_page
    assert "<strong>Rita</strong>" in vera_page
    assert 'href="tel:030 111 22 33"' in vera_page
    assert f'href="mailto:{people.rita.email}"' in vera_page
    assert "Oudwijkerlaan" in vera_page
    assert "030 111 22 33" in as_vera.get(f"/hulpvragen/{request.pk}/").content.decode()
    # Vera shares nothing: Rita sees her first name and the way to write to her.
    as_rita = logged_in_client(alfa, member=people.rita)
    rita_page = page(as_rita, service)
    assert "<strong>Vera</strong>" in rita_page
    assert "06 9876 5432" not in rita_page and people.vera.email not in rita_page
    assert "deelt geen telefoonnummer of e-mailadres" in rita_page
    assert "U deelt met de ander: uw telefoonnummer en uw e-mailadres." in rita_page

    # Vera shares her phone only: Rita sees the phone, not the email.
    share(alfa, people.vera, phone=True, email=False)
    rita_page = page(as_rita, service)
    assert 'href="tel:06 9876 5432"' in rita_page and people.vera.email not in rita_page
    api = as_rita.get(f"/api/v1/services/{service.pk}/").json()["contacts"]
    assert api == [{"side": "volunteer", "name": "Vera", "phone": "06 9876 5432", "email": ""}]

    # The coordinator sees both as the records hold them; the board and a stranger nothing.
    coordinator_page = page(logged_in_client(alfa, member=people.coordinator), service)
    assert "030 111 22 33" in coordinator_page and "06 9876 5432" in coordinator_page
    board = logged_in_client(alfa, member=people.board)
    board_page = page(board, service)
    assert "030 111 22 33" not in board_page and "06 9876 5432" not in board_page
    assert "Elkaar bereiken" not in board_page
    assert board.get(f"/api/v1/services/{service.pk}/").json()["contacts"] == []
    stranger = logged_in_client(alfa, member=people.stranger)
    assert stranger.get(f"/diensten/{service.pk}/").status_code == 404

    # Cancelled: the contact details go, for both.
    assert as_rita.post(f"/diensten/{service.pk}/annuleren/", {"reason": "ziek"}).status_code == 302
    assert "06 9876 5432" not in page(as_rita, service)
    assert "030 111 22 33" not in page(as_vera, service)
    assert "030 111 22 33" not in as_vera.get(f"/hulpvragen/{request.pk}/").content.decode()


def test_sharing_is_off_until_chosen_and_set_through_the_api(alfa, beta, cast):
    people = cast(alfa)
    client = logged_in_client(alfa, member=people.vera)
    assert client.get("/api/v1/settings/").json()["share_phone"] is False
    changed = client.patch("/api/v1/settings/", {"share_email": True}, content_type=JSON)
    assert changed.status_code == 200
    assert (changed.json()["share_phone"], changed.json()["share_email"]) == (False, True)
    assert changed.json()["digest"] == "weekly"
    with schema_context(alfa.schema):
        row = MemberSettings.objects.get(member=people.vera)
        assert (row.share_phone, row.share_email) == (False, True)
        # Her own choice is not audited; a coordinator setting it for a member would be.
        assert not AuditEntry.objects.filter(action="member.contact_sharing").exists()
        services.contact_sharing_set(
            actor=people.assistant, member=people.rita, share_phone=True, share_email=False
        )
        entry = AuditEntry.objects.get(action="member.contact_sharing")
        assert entry.actor_id == people.assistant.pk
        # The assistant of another buurt may not.
        with pytest.raises(ValidationError, match="namens dit lid"):
            services.contact_sharing_set(
                actor=people.other_assistant,
                member=people.rita,
                share_phone=False,
                share_email=False,
            )
        assert MemberSettings.objects.get(member=people.rita).share_phone is True
