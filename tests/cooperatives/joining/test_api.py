"""Joining through the API: applying and accepting an invitation without a login, deciding
and inviting with the right role; structured Dutch errors, no side effect on a refusal, and
no reach into another cooperative."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.throttling import ScopedRateThrottle

from cooperatives.joining.models import Application, Invitation
from cooperatives.members.models import Member
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client, login_works, post_json
from tests.factories import (
    APPLICANT_PASSWORD,
    ApplicationFactory,
    InvitationFactory,
    MemberFactory,
    joining_people,
)
from tests.state import joining_counts
from tests.texts import ALREADY_DECIDED, INVITATION_GONE, SAME_ADDRESS, SAME_EMAIL

VALID = {
    "kind": "organisation",
    "name": "Buurthuis De Linde",
    "email": "info@delinde.example.nl",
    "phone": "030 765 4321",
    "street": "Lindelaan",
    "house_number": "3",
    "postcode": "3581CD",
    "password": APPLICANT_PASSWORD,
    "message": "Wij bieden ruimte voor koffieochtenden.",
    "accept_privacy": True,
    "accept_disclaimer": True,
}


ACCEPT = {
    "name": "Gerrit Jansen",
    "password": APPLICANT_PASSWORD,
    "accept_privacy": True,
    "accept_disclaimer": True,
    "postcode": "3582 BT",
    "house_number": "7a",
}


APPLICATION_FIELDS = {
    "id",
    "status",
    "kind",
    "name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "message",
    "created_at",
    "privacy_version",
    "disclaimer_version",
    "consent_at",
    "decided_by_id",
    "decided_at",
    "decision_reason",
    "member_id",
}


INVITATION_FIELDS = {
    "id",
    "email",
    "name",
    "state",
    "created_at",
    "expires_at",
    "used_at",
    "invited_by_id",
    "invited_by_name",
    "member_id",
}


def error(response, attr: str) -> dict:
    data = response.json()
    assert data["type"] == "validation_error", data
    matching = [e for e in data["errors"] if e["attr"] == attr]
    assert matching, data
    return matching[0]


# --- applying ----------------------------------------------------------------------------------


def test_anyone_can_apply_without_a_session_or_csrf_token(alfa):
    before = joining_counts(alfa.schema)
    client = client_for(alfa.host, enforce_csrf_checks=True)
    response = post_json(client, "/api/v1/applications/", VALID)
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"id", "status", "created_at"} and data["status"] == "pending"
    with schema_context(alfa.schema):
        application = Application.objects.get(pk=data["id"])
    assert (application.kind, application.name) == ("organisation", "Buurthuis De Linde")
    assert (application.postcode, application.message) == (
        "3581CD",
        "Wij bieden ruimte voor koffieochtenden.",
    )
    assert joining_counts(alfa.schema) == {**before, "applications": before["applications"] + 1}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "attr", "code", "detail"),
    [
        ({"email": ""}, "email", "required", "Vul uw e-mailadres in."),
        ({"email": "geen-adres"}, "email", "invalid", "Vul een geldig e-mailadres in."),
        ({"message": "x" * 2001}, "message", "too_long", "Dit mag hoogstens 2000 tekens"),
        ({"name": ""}, "name", None, "Vul de naam in."),
        ({"kind": "bedrijf"}, "kind", None, "Kies bewoner of organisatie."),
        ({"postcode": "3581"}, "postcode", "invalid", "Vul een geldige postcode in"),
        ({"password": "wachtwoord"}, "password", None, "Dit wachtwoord is te algemeen."),
        ({"accept_privacy": False}, "accept_privacy", None, "akkoord gaan met de privacy"),
        ({"accept_disclaimer": False}, "accept_disclaimer", None, "over aansprakelijkheid"),
    ],
)
def test_a_bad_application_gets_a_structured_dutch_error_and_creates_nothing(
    alfa, change, attr, code, detail
):
    before = joining_counts(alfa.schema)
    response = post_json(client_for(alfa.host), "/api/v1/applications/", {**VALID, **change})
    assert response.status_code == 400, response.content
    found = error(response, attr)
    assert detail in found["detail"]
    if code:
        assert found["code"] == code
    assert joining_counts(alfa.schema) == before
    assert mail.outbox == []


def test_consent_is_required_even_when_left_out(alfa):
    data = {k: v for k, v in VALID.items() if not k.startswith("accept")}
    response = post_json(client_for(alfa.host), "/api/v1/applications/", data)
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"accept_privacy", "accept_disclaimer"}


@pytest.mark.parametrize(
    ("change", "attr", "detail"),
    [
        ({"email": "INFO@delinde.example.nl", "name": "Ander"}, "email", SAME_EMAIL),
        ({"email": "ander@example.nl"}, "name", SAME_ADDRESS),
    ],
)
def test_a_duplicate_application_is_refused(alfa, change, attr, detail):
    post_json(client_for(alfa.host), "/api/v1/applications/", VALID)
    before = joining_counts(alfa.schema)
    response = post_json(client_for(alfa.host), "/api/v1/applications/", {**VALID, **change})
    assert response.status_code == 400
    assert error(response, attr)["detail"] == detail
    assert joining_counts(alfa.schema) == before


def test_applying_is_throttled(alfa, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"signup": "2/hour"})
    client = client_for(alfa.host)
    for n in range(2):
        response = post_json(
            client, "/api/v1/applications/", {**VALID, "email": "", "name": str(n)}
        )
        assert response.status_code == 400
    before = joining_counts(alfa.schema)
    assert post_json(client, "/api/v1/applications/", VALID).status_code == 429
    assert joining_counts(alfa.schema) == before


# --- deciding ----------------------------------------------------------------------------------


def test_only_coordinators_and_the_board_list_applications(alfa):
    ApplicationFactory(schema=alfa.schema)
    cast = joining_people(alfa)
    assert client_for(alfa.host).get("/api/v1/applications/").status_code == 403
    for role in ("member", "volunteer", "assistant"):
        refused = logged_in_client(alfa, member=cast[role]).get("/api/v1/applications/")
        assert refused.status_code == 403, role
        assert refused.json()["type"] == "client_error"
    for client in (logged_in_client(alfa, member=cast["coordinator"]), logged_in_client(alfa)):
        data = client.get("/api/v1/applications/").json()
        assert data["count"] == 1
        assert set(data["results"][0]) == APPLICATION_FIELDS
        assert data["results"][0]["name"] == "Sanne de Vries"
    pending = logged_in_client(alfa).get("/api/v1/applications/?status=approved").json()
    assert pending["count"] == 0


def test_approving_by_api_makes_a_member_and_a_second_decision_is_refused(
    alfa, django_capture_on_commit_callbacks
):
    coordinator = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"])
    application = ApplicationFactory(schema=alfa.schema)
    client = logged_in_client(alfa, member=coordinator)
    path = f"/api/v1/applications/{application.pk}/approve/"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, path)
    assert response.status_code == 200, response.content
    data = response.json()
    with schema_context(alfa.schema):
        member = Member.objects.get(email="sanne@example.nl")
        entry = AuditEntry.objects.get(action="application.approve")
    assert (data["status"], data["member_id"], data["decided_by_id"]) == (
        "approved",
        member.pk,
        coordinator.pk,
    )
    assert data["decided_at"] is not None
    assert (entry.actor_id, entry.target_id) == (coordinator.pk, str(application.pk))
    assert [m.to for m in mail.outbox] == [["sanne@example.nl"]]
    assert login_works(alfa, "sanne@example.nl", APPLICANT_PASSWORD)

    before = joining_counts(alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        again = post_json(client, path)
        decline = post_json(
            client, f"/api/v1/applications/{application.pk}/decline/", {"reason": "X"}
        )
    for refused in (again, decline):
        assert refused.status_code == 400
        assert error(refused, "status") == {
            "attr": "status",
            "code": "decided",
            "detail": ALREADY_DECIDED,
        }
    assert joining_counts(alfa.schema) == before
    assert len(mail.outbox) == 1


def test_declining_by_api_needs_a_reason(alfa, django_capture_on_commit_callbacks):
    application = ApplicationFactory(schema=alfa.schema)
    client = logged_in_client(alfa)
    path = f"/api/v1/applications/{application.pk}/decline/"
    before = joining_counts(alfa.schema)
    with django_capture_on_commit_callbacks(execute=True):
        refused = post_json(client, path, {})
    assert refused.status_code == 400
    assert error(refused, "reason") == {
        "attr": "reason",
        "code": "required",
        "detail": "Geef een reden op; de aanvrager krijgt die te lezen.",
    }
    assert joining_counts(alfa.schema) == before and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, path, {"reason": "Dubbel aangemeld."})
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["decision_reason"], data["member_id"]) == (
        "declined",
        "Dubbel aangemeld.",
        None,
    )
    with schema_context(alfa.schema):
        board = Member.objects.get(user__email=alfa.board_email)
        assert AuditEntry.objects.get(action="application.decline").actor_id == board.pk
        assert not Member.objects.filter(email="sanne@example.nl").exists()
    assert data["decided_by_id"] == board.pk
    assert "Reden: Dubbel aangemeld." in mail.outbox[0].body


def test_members_cannot_decide_by_api_and_nothing_changes(alfa):
    application = ApplicationFactory(schema=alfa.schema)
    cast = joining_people(alfa)
    before = joining_counts(alfa.schema)
    clients = [client_for(alfa.host)] + [
        logged_in_client(alfa, member=cast[r]) for r in ("member", "volunteer", "assistant")
    ]
    for client in clients:
        for action, body in (("approve", {}), ("decline", {"reason": "Nee"})):
            response = post_json(client, f"/api/v1/applications/{application.pk}/{action}/", body)
            assert response.status_code == 403
    assert joining_counts(alfa.schema) == before and mail.outbox == []


def test_an_application_of_b_is_not_found_on_a(alfa, beta):
    b_application = ApplicationFactory(schema=beta.schema)
    with schema_context(alfa.schema):
        assert not Application.objects.filter(pk=b_application.pk).exists()
    before_a, before_b = joining_counts(alfa.schema), joining_counts(beta.schema)
    client = logged_in_client(alfa)
    for action, body in (("approve", {}), ("decline", {"reason": "Nee"})):
        response = post_json(client, f"/api/v1/applications/{b_application.pk}/{action}/", body)
        assert response.status_code == 404
    assert client.get("/api/v1/applications/").json()["count"] == 0
    assert (joining_counts(alfa.schema), joining_counts(beta.schema)) == (before_a, before_b)
    assert mail.outbox == []


# --- invitations -------------------------------------------------------------------------------


def test_inviting_by_api_returns_nothing_secret(alfa, django_capture_on_commit_callbacks):
    cast = joining_people(alfa)
    client = logged_in_client(alfa, member=cast["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            client, "/api/v1/invitations/", {"email": "gerrit@example.nl", "name": "Gerrit"}
        )
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == INVITATION_FIELDS
    assert (data["email"], data["name"], data["state"]) == ("gerrit@example.nl", "Gerrit", "open")
    assert (data["invited_by_id"], data["invited_by_name"]) == (
        cast["coordinator"].pk,
        "Coco Coördinator",
    )
    with schema_context(alfa.schema):
        invitation = Invitation.objects.get()
        assert AuditEntry.objects.get(action="invitation.send").actor_id == cast["coordinator"].pk
    token = re.search(r"/uitnodiging/([\w-]+)/", mail.outbox[0].body).group(1)
    assert token not in response.content.decode()
    assert invitation.token_hash not in response.content.decode()

    listing = client.get("/api/v1/invitations/").json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == invitation.pk
    assert token not in str(listing) and invitation.token_hash not in str(listing)


def test_only_coordinators_and_the_board_invite_by_api(alfa):
    cast = joining_people(alfa)
    before = joining_counts(alfa.schema)
    clients = [client_for(alfa.host)] + [
        logged_in_client(alfa, member=cast[r]) for r in ("member", "volunteer", "assistant")
    ]
    for client in clients:
        assert client.get("/api/v1/invitations/").status_code == 403
        assert (
            post_json(client, "/api/v1/invitations/", {"email": "x@example.nl"}).status_code == 403
        )
    assert joining_counts(alfa.schema) == before and mail.outbox == []
    assert logged_in_client(alfa).get("/api/v1/invitations/").status_code == 200


def test_a_bad_invitation_gets_a_structured_error(alfa):
    MemberFactory(schema=alfa.schema, email="lid@alfa.example.nl")
    before = joining_counts(alfa.schema)
    client = logged_in_client(alfa)
    empty = post_json(client, "/api/v1/invitations/", {})
    assert error(empty, "email")["code"] == "required"
    taken = post_json(client, "/api/v1/invitations/", {"email": "LID@alfa.example.nl"})
    assert error(taken, "email") == {
        "attr": "email",
        "code": "duplicate",
        "detail": "Er is al een lid met dit e-mailadres.",
    }
    assert joining_counts(alfa.schema) == before and mail.outbox == []


def test_accepting_by_api_makes_a_member_once(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    client = client_for(alfa.host, enforce_csrf_checks=True)
    response = post_json(client, "/api/v1/invitations/accept/", {**ACCEPT, "token": token})
    assert response.status_code == 201, response.content
    with schema_context(alfa.schema):
        member = Member.objects.get(email="gerrit@example.nl")
        invitation.refresh_from_db()
        assert AuditEntry.objects.get(action="invitation.accept").actor_id == member.pk
    assert response.json() == {"member_id": member.pk, "email": "gerrit@example.nl"}
    assert (member.name, member.postcode) == ("Gerrit Jansen", "3582BT")
    assert invitation.member_id == member.pk and invitation.used_at is not None
    assert login_works(alfa, "gerrit@example.nl", APPLICANT_PASSWORD)

    before = joining_counts(alfa.schema)
    again = post_json(client, "/api/v1/invitations/accept/", {**ACCEPT, "token": token})
    assert again.status_code == 400
    assert error(again, "token") == {"attr": "token", "code": "expired", "detail": INVITATION_GONE}
    assert joining_counts(alfa.schema) == before


def test_an_expired_invitation_and_a_token_of_a_on_b_are_refused_by_api(alfa, beta):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    expired = InvitationFactory(schema=alfa.schema, invited_by=board, email="oud@example.nl")
    expired_token = expired.token
    open_invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    open_token = open_invitation.token
    with schema_context(alfa.schema):
        Invitation.objects.filter(pk=expired.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    before_a, before_b = joining_counts(alfa.schema), joining_counts(beta.schema)
    on_a = post_json(
        client_for(alfa.host), "/api/v1/invitations/accept/", {**ACCEPT, "token": expired_token}
    )
    on_b = post_json(
        client_for(beta.host), "/api/v1/invitations/accept/", {**ACCEPT, "token": open_token}
    )
    for response in (on_a, on_b):
        assert response.status_code == 400
        assert error(response, "token")["detail"] == INVITATION_GONE
    assert (joining_counts(alfa.schema), joining_counts(beta.schema)) == (before_a, before_b)
    with schema_context(alfa.schema):
        assert Invitation.objects.get(pk=open_invitation.pk).is_open


def test_accepting_without_consent_is_refused_and_the_link_stays_open(alfa):
    board = MemberFactory(schema=alfa.schema, roles=["board_chair"])
    invitation = InvitationFactory(schema=alfa.schema, invited_by=board)
    token = invitation.token
    before = joining_counts(alfa.schema)
    data = {**ACCEPT, "token": token, "accept_privacy": False, "accept_disclaimer": False}
    response = post_json(client_for(alfa.host), "/api/v1/invitations/accept/", data)
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"accept_privacy", "accept_disclaimer"}
    assert joining_counts(alfa.schema) == before
    with schema_context(alfa.schema):
        assert Invitation.objects.get(pk=invitation.pk).is_open


def test_the_openapi_schema_documents_joining(alfa):
    schema = client_for(alfa.host).get("/api/v1/schema/?format=json").json()
    operations = {
        op["operationId"]: op for path in schema["paths"].values() for op in path.values()
    }
    for name in (
        "application_submit",
        "application_list",
        "application_approve",
        "application_decline",
        "invitation_list",
        "invitation_send",
        "invitation_accept",
    ):
        assert name in operations
    invitation = schema["components"]["schemas"]["Invitation"]["properties"]
    assert set(invitation) == INVITATION_FIELDS
    submit_body = schema["components"]["schemas"]["ApplicationSubmit"]["properties"]
    assert submit_body["password"]["writeOnly"] is True
