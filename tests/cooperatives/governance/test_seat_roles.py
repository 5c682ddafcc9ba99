"""The board's and the kascommissie's rights follow seats: a term gives them from its first day
and takes them away on the day it ends (the first day without the seat), pages and API alike;
the members' role page gives and ends seats; stored board roles became seats (migration 0003).
Every check runs in two cooperatives, and what happens in one leaves the other as it was."""

import datetime as dt
import importlib
from contextlib import contextmanager
from unittest import mock

from django.apps import apps
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.selectors import treasurers_to_mail
from cooperatives.governance.models import Body, Seat
from cooperatives.governance.selectors import body_standing, members_with_seat_role
from cooperatives.members.models import Member, RoleAssignment
from shared import permissions
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory
from tests.state import board_member

TODAY = timezone.localdate
_real_localdate = timezone.localdate


@contextmanager
def on_day(day: dt.date):
    """The platform believes today is ``day`` (Europe/Amsterdam's date, as everywhere)."""

    def localdate(value=None, timezone=None):
        return day if value is None else _real_localdate(value, timezone)

    with mock.patch("django.utils.timezone.localdate", side_effect=localdate):
        yield


def _seated(coop, name: str, *, kind: str, position: str, start: dt.date, end=None) -> Member:
    member = MemberFactory(schema=coop.schema, name=name)
    with schema_context(coop.schema):
        Seat.objects.create(
            body=body_standing(kind), member=member, position=position, start=start, end=end
        )
    return member


def _board_page_and_api(coop, member) -> tuple[int, int]:
    """A board-only page (the audit log) and a board-only API call (correct points is the
    board's; the overview of the points is the board's and the kascommissie's)."""
    client = logged_in_client(coop, member=member)
    page = client.get("/logboek/").status_code
    api = client.get("/api/v1/audit/").status_code
    return page, api


def test_a_board_member_whose_term_ends_loses_the_rights_that_day(alfa, beta):
    start, end = dt.date(2026, 3, 1), dt.date(2026, 9, 1)
    tom = _seated(
        alfa, "Tom Termijn", kind=Body.Kind.EXECUTIVE_BOARD, position="treasurer", start=start
    )
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=tom)
        seat.end = end
        seat.save()
    # Beta's treasurer has a term that runs on: nothing in alfa touches it.
    bep = _seated(
        beta, "Bep Beta", kind=Body.Kind.EXECUTIVE_BOARD, position="treasurer", start=start
    )

    with on_day(end - dt.timedelta(days=1)):
        assert _board_page_and_api(alfa, tom) == (200, 200)
        with schema_context(alfa.schema):
            assert "board_treasurer" in permissions.roles_of(Member.objects.get(pk=tom.pk))
            assert [m.pk for m in treasurers_to_mail()] == [tom.pk]
    with on_day(end):
        assert _board_page_and_api(alfa, tom) == (403, 403)
        with schema_context(alfa.schema):
            fresh = Member.objects.get(pk=tom.pk)
            assert permissions.roles_of(fresh) == {"member"}
            assert not members_with_seat_role(role="board_treasurer").filter(pk=tom.pk).exists()
            assert treasurers_to_mail() == []
        assert _board_page_and_api(beta, bep) == (200, 200)
        with schema_context(beta.schema):
            assert [m.pk for m in treasurers_to_mail()] == [bep.pk]


def test_a_seat_that_starts_tomorrow_gives_no_rights_today(alfa, beta):
    tomorrow = TODAY() + dt.timedelta(days=1)
    kees = _seated(
        alfa, "Kees Kas", kind=Body.Kind.AUDIT_COMMITTEE, position="member", start=tomorrow
    )
    gerda = _seated(
        beta, "Gerda Gisteren", kind=Body.Kind.GENERAL_BOARD, position="member", start=TODAY()
    )
    assert _board_page_and_api(alfa, kees) == (403, 403)
    assert _board_page_and_api(beta, gerda) == (200, 200)
    with schema_context(alfa.schema):
        assert permissions.roles_of(Member.objects.get(pk=kees.pk)) == {"member"}
    with on_day(tomorrow):
        # From its first day the kascommissie reads the log.
        assert _board_page_and_api(alfa, kees) == (200, 200)


def test_the_member_list_shows_roles_from_seats_and_filters_on_them(alfa, beta):
    _seated(alfa, "Sanne Lid", kind=Body.Kind.EXECUTIVE_BOARD, position="member", start=TODAY())
    gone = _seated(
        alfa,
        "Oud Bestuur",
        kind=Body.Kind.GENERAL_BOARD,
        position="member",
        start=TODAY() - dt.timedelta(days=400),
        end=TODAY() - dt.timedelta(days=30),
    )
    client = logged_in_client(alfa)
    listed = client.get("/api/v1/members/?role=board_general").json()
    assert [m["name"] for m in listed["results"]] == ["Sanne Lid"]
    assert listed["results"][0]["roles"] == ["board_general"]
    everyone = {m["name"]: m["roles"] for m in client.get("/api/v1/members/").json()["results"]}
    assert everyone[alfa.board_name] == ["board_chair"]
    assert everyone["Oud Bestuur"] == []
    html = client.get("/leden/?rol=board_general").content.decode()
    assert "Sanne Lid" in html and "Oud Bestuur" not in html
    assert "algemeen bestuurslid" in html
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=gone.pk).current_roles() == frozenset()
    beta_list = logged_in_client(beta).get("/api/v1/members/?role=board_general").json()
    assert beta_list["count"] == 0


def test_the_roles_page_gives_and_ends_seats(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    board = logged_in_client(alfa)
    response = board.post(f"/leden/{piet.pk}/rollen/", {"roles": ["board_secretary", "volunteer"]})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=piet)
        assert (seat.body.kind, seat.position, seat.start, seat.end) == (
            "executive_board",
            "secretary",
            TODAY(),
            None,
        )
        assert list(piet.role_assignments.values_list("role", flat=True)) == ["volunteer"]
        assert AuditEntry.objects.filter(action="seat.assign", target_id=str(seat.pk)).exists()
    assert _board_page_and_api(alfa, piet) == (200, 200)
    # A second chair while the founder chairs: refused, nothing written.
    response = board.post(f"/leden/{piet.pk}/rollen/", {"roles": ["board_chair"]})
    assert response.status_code == 400
    assert "Die functie is in die periode al bezet" in response.content.decode()
    assert "Bestuur en organen" in response.content.decode()
    with schema_context(alfa.schema):
        assert list(Seat.objects.filter(member=piet).values_list("position", flat=True)) == [
            "secretary"
        ]
    # Unticked on the day it was given: the seat is withdrawn and the rights go with it.
    response = board.post(f"/leden/{piet.pk}/rollen/", {"roles": ["volunteer"]})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        assert not Seat.objects.filter(member=piet).exists()
        assert AuditEntry.objects.filter(action="seat.end").count() == 1
    assert _board_page_and_api(alfa, piet) == (403, 403)
    with schema_context(beta.schema):
        assert not Seat.objects.exclude(member=board_member(beta)).exists()


def test_an_older_term_ended_from_the_roles_page_stays_in_the_history(alfa):
    wim = _seated(
        alfa,
        "Wim Penning",
        kind=Body.Kind.EXECUTIVE_BOARD,
        position="treasurer",
        start=TODAY() - dt.timedelta(days=100),
    )
    response = logged_in_client(alfa).post(f"/leden/{wim.pk}/rollen/", {"roles": ["volunteer"]})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=wim)
        assert seat.end == TODAY() and not seat.active_on(TODAY())


def test_the_last_board_seat_cannot_be_given_up(alfa, beta):
    founder = board_member(alfa)
    response = logged_in_client(alfa).post(f"/leden/{founder.pk}/rollen/", {"roles": ["volunteer"]})
    assert response.status_code == 400
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=founder)
        assert seat.end is None and seat.position == "chair"
    # Once someone else sits on a board, the founder may step down.
    _seated(alfa, "Nieuw Bestuur", kind=Body.Kind.GENERAL_BOARD, position="member", start=TODAY())
    response = logged_in_client(alfa).post(f"/leden/{founder.pk}/rollen/", {"roles": ["volunteer"]})
    assert response.status_code == 302
    with schema_context(beta.schema):
        assert Seat.objects.get(member=board_member(beta)).end is None


def test_stored_board_roles_become_seats_and_the_stored_roles_go(alfa, beta):
    migration = importlib.import_module(
        "cooperatives.governance.migrations.0003_board_roles_become_seats"
    )
    given = timezone.make_aware(dt.datetime(2025, 4, 2, 12))
    with schema_context(alfa.schema):
        marian = Member.objects.create(name="Marian Kok")
        kees = Member.objects.create(name="Kees Vos")
        for member, role in (
            (marian, "board_treasurer"),
            (marian, "board_chair"),
            (kees, "audit_committee"),
        ):
            RoleAssignment.objects.create(member=member, role=role, assigned_at=given)
        RoleAssignment.objects.create(member=kees, role="volunteer")
        migration.roles_to_seats(apps, None)
        seats = sorted(
            (s.member.name, s.body.kind, s.position, s.start, s.end)
            for s in Seat.objects.filter(member__in=[marian, kees])
        )
        assert seats == [
            ("Kees Vos", "audit_committee", "member", dt.date(2025, 4, 2), None),
            ("Marian Kok", "executive_board", "treasurer", dt.date(2025, 4, 2), None),
            ("Marian Kok", "general_board", "chair", dt.date(2025, 4, 2), None),
        ]
        assert list(RoleAssignment.objects.values_list("role", flat=True)) == ["volunteer"]
        assert permissions.roles_of(Member.objects.get(pk=marian.pk)) >= {
            "board",
            "board_chair",
            "board_treasurer",
        }
    with schema_context(beta.schema):
        assert Seat.objects.count() == 1  # beta's founder only


def test_the_only_chair_may_move_to_secretary_in_one_step(alfa, beta):
    founder = board_member(alfa)
    response = logged_in_client(alfa).post(
        f"/leden/{founder.pk}/rollen/", {"roles": ["board_secretary"]}
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        seats = [(s.body.kind, s.position, s.end) for s in Seat.objects.filter(member=founder)]
        assert seats == [("executive_board", "secretary", None)]
        assert permissions.roles_of(Member.objects.get(pk=founder.pk)) >= {"board_secretary"}
    with schema_context(beta.schema):
        assert Seat.objects.get(member=board_member(beta)).position == "chair"
