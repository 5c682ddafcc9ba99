"""The governance API: every member reads the bodies with today's seats and the statutes; the
board gives and ends seats, starts project groups and changes the statutes; refusals come in
the structured error shape and write nothing; ids of another cooperative do not exist."""

import datetime as dt

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Seat, Statutes
from cooperatives.governance.selectors import body_standing
from shared.audit.models import AuditEntry
from tests.clients import JSON, error_codes, logged_in_client, post_json
from tests.factories import MemberFactory, beta_only_member

TODAY = timezone.localdate


def _body_pk(coop, kind: str) -> int:
    with schema_context(coop.schema):
        return body_standing(kind).pk


def test_members_read_the_bodies_with_todays_seats(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    data = logged_in_client(alfa, member=piet).get("/api/v1/governance/bodies/").json()
    kinds = [b["kind"] for b in data]
    assert kinds == ["alv", "general_board", "executive_board", "audit_committee"]
    executive = data[2]
    assert [(s["member_name"], s["position"], s["end"]) for s in executive["seats"]] == [
        ("Anna Alfa", "chair", None)
    ]
    beta_data = logged_in_client(beta).get("/api/v1/governance/bodies/").json()
    assert [s["member_name"] for s in beta_data[2]["seats"]] == ["Bert Beta"]


def test_the_board_gives_and_ends_a_seat_by_api(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    board = logged_in_client(alfa)
    start = TODAY() - dt.timedelta(days=5)
    response = post_json(
        board,
        "/api/v1/governance/seats/",
        {
            "body": _body_pk(alfa, Body.Kind.AUDIT_COMMITTEE),
            "member": piet.pk,
            "position": "member",
            "start": start.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    seat = response.json()
    assert (seat["member_name"], seat["body_name"], seat["start"]) == (
        "Piet Puk",
        "Kascommissie",
        start.isoformat(),
    )
    piet_client = logged_in_client(alfa, member=piet)
    assert piet_client.get("/api/v1/audit/").status_code == 200
    ended = board.patch(
        f"/api/v1/governance/seats/{seat['id']}/",
        {"end": TODAY().isoformat()},
        content_type=JSON,
    )
    assert ended.status_code == 200 and ended.json()["end"] == TODAY().isoformat()
    assert piet_client.get("/api/v1/audit/").status_code == 403
    # Alfa's seat id does not exist in beta.
    missing = logged_in_client(beta).patch(
        f"/api/v1/governance/seats/{seat['id']}/", {"end": "2030-01-01"}, content_type=JSON
    )
    assert missing.status_code == 404


def test_refusals_are_structured_and_write_nothing(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    bea = beta_only_member(alfa, beta, "Bea Beta")
    board = logged_in_client(alfa)
    with schema_context(alfa.schema):
        logged = AuditEntry.objects.count()
    executive = _body_pk(alfa, Body.Kind.EXECUTIVE_BOARD)
    taken = post_json(
        board,
        "/api/v1/governance/seats/",
        {"body": executive, "member": piet.pk, "position": "chair", "start": "2026-01-01"},
    )
    assert taken.status_code == 400
    assert error_codes(taken) == [("position", "position_taken")]
    foreign = post_json(
        board,
        "/api/v1/governance/seats/",
        {"body": executive, "member": bea.pk, "position": "member", "start": "2026-01-01"},
    )
    assert foreign.status_code == 400 and error_codes(foreign) == [("member", "does_not_exist")]
    alv = post_json(
        board,
        "/api/v1/governance/seats/",
        {
            "body": _body_pk(alfa, Body.Kind.ALV),
            "member": piet.pk,
            "position": "member",
            "start": "2026-01-01",
        },
    )
    assert error_codes(alv) == [("body", "alv_no_seats")]
    member_try = post_json(
        logged_in_client(alfa, member=piet),
        "/api/v1/governance/seats/",
        {"body": executive, "member": piet.pk, "position": "member", "start": "2026-01-01"},
    )
    assert member_try.status_code == 403
    with schema_context(alfa.schema):
        assert not Seat.objects.filter(member=piet).exists()
        assert AuditEntry.objects.count() == logged


def test_statutes_by_api(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    read = logged_in_client(alfa, member=piet).get("/api/v1/governance/statutes/").json()
    assert (read["convocation_days"], read["electronic_voting"]) == (14, False)
    refused = logged_in_client(alfa, member=piet).patch(
        "/api/v1/governance/statutes/", {"convocation_days": 21}, content_type=JSON
    )
    assert refused.status_code == 403
    board = logged_in_client(alfa)
    bad = board.patch(
        "/api/v1/governance/statutes/", {"electronic_voting": True}, content_type=JSON
    )
    assert bad.status_code == 400
    assert error_codes(bad) == [("electronic_voting", "voting_needs_participation")]
    ok = board.patch(
        "/api/v1/governance/statutes/",
        {"convocation_days": 21, "electronic_participation": True, "electronic_voting": True},
        content_type=JSON,
    )
    assert ok.status_code == 200 and ok.json()["convocation_days"] == 21
    with schema_context(alfa.schema):
        assert Statutes.objects.get().electronic_voting is True
    with schema_context(beta.schema):
        assert Statutes.objects.get().convocation_days == 14


def test_a_project_group_by_api(alfa, beta):
    board = logged_in_client(alfa)
    response = post_json(board, "/api/v1/governance/bodies/", {"name": "Repair Café"})
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["name"]) == ("project_group", "Repair Café")
    empty = post_json(board, "/api/v1/governance/bodies/", {"name": ""})
    assert error_codes(empty) == [("name", "required")]
    with schema_context(beta.schema):
        assert not Body.objects.filter(kind=Body.Kind.PROJECT_GROUP).exists()
