"""The governance core: every cooperative has its standing bodies, seats cannot overlap where a
position is held once, decisions are numbered per year and follow the majority of their kind,
and once their minutes are approved the database refuses to change them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, transaction
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Decision, Seat
from cooperatives.governance.selectors import body_standing, outcome_of
from cooperatives.governance.services import (
    decision_record,
    minutes_approve,
    minutes_save,
    seat_assign,
    seat_end,
    statutes_update,
)
from tests.factories import MemberFactory

DAY = dt.date(2026, 5, 12)


def test_each_cooperative_starts_with_its_own_standing_bodies(alfa, beta):
    for coop in (alfa, beta):
        with schema_context(coop.schema):
            kinds = sorted(Body.objects.values_list("kind", flat=True))
            assert kinds == sorted(Body.STANDING)
    with schema_context(alfa.schema):
        body_standing(Body.Kind.GENERAL_BOARD).seats.count()
        seat_assign(
            actor=None,
            body=body_standing(Body.Kind.GENERAL_BOARD),
            member=MemberFactory(schema=alfa.schema),
            position=Seat.Position.MEMBER,
            start=DAY,
        )
    with schema_context(beta.schema):
        # Beta's only seat is its founder's chair in the daily board.
        assert not Seat.objects.filter(body__kind=Body.Kind.GENERAL_BOARD).exists()


def test_a_position_held_once_cannot_be_filled_twice_in_one_period(alfa):
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.EXECUTIVE_BOARD)
        first = MemberFactory(schema=alfa.schema, name="Eerste Secretaris")
        second = MemberFactory(schema=alfa.schema, name="Tweede Secretaris")
        seat = seat_assign(actor=None, body=board, member=first, position="secretary", start=DAY)
        with pytest.raises(ValidationError) as refused:
            seat_assign(actor=None, body=board, member=second, position="secretary", start=DAY)
        assert "position_taken" in str(refused.value.error_dict["position"][0].code)
        assert board.seats.filter(member=second).count() == 0
        seat = seat_end(actor=None, seat=seat, end=DAY + dt.timedelta(days=30))
        later = seat_assign(
            actor=None,
            body=board,
            member=second,
            position="secretary",
            start=DAY + dt.timedelta(days=30),
        )
        assert later.active_on(DAY + dt.timedelta(days=30))
        assert not seat.active_on(DAY + dt.timedelta(days=30))
        with pytest.raises(ValidationError):
            seat_assign(
                actor=None,
                body=body_standing(Body.Kind.ALV),
                member=first,
                position="member",
                start=DAY,
            )


@pytest.mark.parametrize(
    ("kind", "votes_for", "votes_against", "outcome"),
    [
        ("ordinary", 5, 4, "adopted"),
        ("ordinary", 4, 4, "rejected"),  # a tie is no majority
        ("statutes", 6, 3, "adopted"),  # exactly two thirds
        ("statutes", 5, 3, "rejected"),  # 62.5%: a simple majority, not a qualified one
        ("dissolution", 0, 0, "rejected"),
    ],
)
def test_majorities_per_kind_of_decision(alfa, kind, votes_for, votes_against, outcome):
    with schema_context(alfa.schema):
        assert outcome_of(kind=kind, votes_for=votes_for, votes_against=votes_against) == outcome


def test_a_qualified_majority_follows_the_statutes(alfa, beta):
    with schema_context(alfa.schema):
        statutes_update(actor=None, changes={"qualified_numerator": 3, "qualified_denominator": 4})
        assert outcome_of(kind="statutes", votes_for=6, votes_against=3) == "rejected"
        assert outcome_of(kind="statutes", votes_for=6, votes_against=2) == "adopted"
    with schema_context(beta.schema):
        assert outcome_of(kind="statutes", votes_for=6, votes_against=3) == "adopted"


def test_decisions_are_numbered_per_year_and_frozen_when_their_minutes_are_approved(alfa, beta):
    with schema_context(alfa.schema):
        alv = body_standing(Body.Kind.ALV)
        minutes = minutes_save(actor=None, body=alv, held_on=DAY, text="Opening, besluiten.")
        first = decision_record(
            actor=None,
            body=alv,
            decided_on=DAY,
            title="Uurwaarde",
            text="Een uur is 1 punt.",
            votes_for=12,
            votes_against=3,
            votes_abstain=1,
            minutes=minutes,
        )
        second = decision_record(
            actor=None,
            body=alv,
            decided_on=DAY,
            title="Statuten",
            kind="statutes",
            text="Artikel 4 gewijzigd.",
            votes_for=5,
            votes_against=3,
            minutes=minutes,
        )
        assert (first.number, first.outcome) == ("2026-001", "adopted")
        assert (second.number, second.outcome) == ("2026-002", "rejected")
        next_alv = decision_record(
            actor=None,
            body=alv,
            decided_on=DAY.replace(year=2027),
            kind="minutes",
            title="Notulen ALV 2026",
            text="Vastgesteld.",
            votes_for=20,
            votes_against=0,
        )
        assert next_alv.number == "2027-001"
        minutes_approve(actor=None, minutes=minutes, decision=next_alv)
        first.refresh_from_db()
        assert first.final_at is not None
        with pytest.raises(ProgrammingError), transaction.atomic():
            Decision.objects.filter(pk=first.pk).update(text="Een uur is 2 punten.")
        with pytest.raises(ProgrammingError), transaction.atomic():
            Decision.objects.filter(pk=second.pk).delete()
        first.refresh_from_db()
        assert first.text == "Een uur is 1 punt."
        with pytest.raises(ValidationError):
            minutes_save(actor=None, body=alv, held_on=DAY, text="Anders", minutes=minutes)
    with schema_context(beta.schema):
        assert not Decision.objects.exists()
        beta_first = decision_record(
            actor=None,
            body=body_standing(Body.Kind.ALV),
            decided_on=DAY,
            title="Eerste",
            text="Eerste besluit van Beta.",
            outcome="adopted",
        )
        assert beta_first.number == "2026-001"


def test_only_the_alv_decides_on_the_statutes_and_refusals_write_nothing(alfa):
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
        with pytest.raises(ValidationError):
            decision_record(
                actor=None,
                body=board,
                decided_on=DAY,
                title="Statuten",
                text="Wijzigen.",
                kind="statutes",
                votes_for=9,
                votes_against=0,
            )
        with pytest.raises(ValidationError):
            decision_record(
                actor=None, body=board, decided_on=DAY, title="", text="Iets.", outcome="adopted"
            )
        assert not Decision.objects.exists()
