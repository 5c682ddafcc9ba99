"""The minutes of the previous meeting go out with the convocation and are approved at the
meeting, which makes that meeting's decisions final; a board meeting calls only its seat
holders; reminders go out once however often the task runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import ProgrammingError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record, minutes_save, seat_assign
from cooperatives.meetings.models import Meeting
from cooperatives.meetings.services import (
    agenda_item_add,
    attendance_register,
    item_record_result,
    meeting_convene,
    meeting_create,
    meetings_remind,
)
from tests.factories import MemberFactory


def test_approving_the_previous_minutes_at_the_meeting_makes_their_decisions_final(
    alv_meeting, bring_to_today, alfa, beta, django_capture_on_commit_callbacks
):
    with schema_context(alfa.schema):
        alv = body_standing(Body.Kind.ALV)
        held = timezone.localdate() - dt.timedelta(days=90)
        minutes = minutes_save(actor=None, body=alv, held_on=held, text="Notulen van de ALV.")
        earlier = decision_record(
            actor=None,
            body=alv,
            decided_on=held,
            title="Begroting",
            text="Vastgesteld.",
            votes_for=10,
            votes_against=1,
            minutes=minutes,
        )
        secretary = MemberFactory(schema=alfa.schema, roles=["board_secretary"])
        meeting = meeting_create(
            actor=secretary,
            body=alv,
            title="ALV najaar",
            place="Buurthuis",
            starts_at=timezone.now() + dt.timedelta(days=20),
            previous_minutes=minutes,
        )
        item = agenda_item_add(
            actor=secretary,
            meeting=meeting,
            title="Vaststellen notulen",
            kind=Decision.Kind.MINUTES,
            vote_mode="open",
        )
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meeting_convene(actor=secretary, meeting=meeting)
        assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.SENT
        assert "conceptnotulen" in mail.outbox[0].body
    meeting = bring_to_today(alfa, meeting)
    with schema_context(alfa.schema):
        attendance_register(actor=secretary, meeting=meeting, member=secretary)
        approval = item_record_result(actor=secretary, item=item, hall_for=5)
        minutes.refresh_from_db()
        assert (minutes.status, minutes.approved_by_id) == (Minutes.Status.APPROVED, approval.pk)
        assert Decision.objects.get(pk=earlier.pk).final_at is not None
        # The database refuses to change a final decision.
        with pytest.raises(ProgrammingError), transaction.atomic():
            Decision.objects.filter(pk=earlier.pk).update(title="Anders")
        # The approval itself sits in this meeting's own draft minutes, for the next one.
        assert approval.minutes_id == Meeting.objects.get(pk=meeting.pk).minutes_id
    with schema_context(beta.schema):
        assert not Decision.objects.exists()


def test_a_board_meeting_calls_its_seat_holders_only(alfa, django_capture_on_commit_callbacks):
    with schema_context(alfa.schema):
        board = body_standing(Body.Kind.GENERAL_BOARD)
        seated = MemberFactory(schema=alfa.schema, name="Zetel Houder")
        outsider = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
        seat_assign(
            actor=None,
            body=board,
            member=seated,
            position="member",
            start=timezone.localdate() - dt.timedelta(days=10),
        )
        meeting = meeting_create(
            actor=None,
            body=board,
            title="Bestuursvergadering",
            place="Kantoor",
            starts_at=timezone.now() + dt.timedelta(days=3),
        )
        agenda_item_add(actor=None, meeting=meeting, title="Planning")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meeting_convene(actor=None, meeting=meeting)
        addressed = {address for m in mail.outbox for address in m.to}
        assert seated.email in addressed and outsider.email not in addressed


def test_reminders_go_out_once_however_often_the_task_runs(alv_meeting, alfa):
    made = alv_meeting(alfa, items=[{"title": "Jaarverslag"}])
    with schema_context(alfa.schema):
        assert meetings_remind() == 0  # twenty days ahead: not yet
        Meeting.objects.filter(pk=made.meeting.pk).update(
            starts_at=timezone.now() + dt.timedelta(days=1)
        )
        assert meetings_remind() == 1
        assert meetings_remind() == 0
        assert Meeting.objects.get(pk=made.meeting.pk).reminded_at is not None


def test_a_meeting_in_the_past_or_without_a_place_is_refused(alfa):
    with schema_context(alfa.schema):
        alv = body_standing(Body.Kind.ALV)
        with pytest.raises(ValidationError):
            meeting_create(
                actor=None,
                body=alv,
                title="Te laat",
                place="Hier",
                starts_at=timezone.now() - dt.timedelta(hours=1),
            )
        with pytest.raises(ValidationError):
            meeting_create(
                actor=None,
                body=alv,
                title="Nergens",
                place="",
                starts_at=timezone.now() + dt.timedelta(days=30),
            )
        assert not Meeting.objects.exists()
