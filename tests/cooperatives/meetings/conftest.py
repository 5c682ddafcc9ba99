"""A meeting of the ALV in a cooperative, convened the statutes' period ahead and then brought
to its day (the tests move ``starts_at`` instead of the clock), with members to vote."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import statutes_update
from cooperatives.meetings.models import Meeting
from cooperatives.meetings.services import agenda_item_add, meeting_convene, meeting_create
from cooperatives.members.models import Member
from tests.factories import MemberFactory


def _founder(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def _alv_meeting(coop, *, items=(), days_ahead: int = 20, convene: bool = True, **statutes):
    """An ALV ``days_ahead`` from now with ``items`` (dicts for agenda_item_add), convened."""
    secretary = _founder(coop)
    with schema_context(coop.schema):
        if statutes:
            statutes_update(actor=None, changes=statutes)
        meeting = meeting_create(
            actor=secretary,
            body=body_standing(Body.Kind.ALV),
            title="ALV voorjaar",
            starts_at=timezone.now() + dt.timedelta(days=days_ahead),
            place="Buurthuis De Linde",
        )
        made = [agenda_item_add(actor=secretary, meeting=meeting, **item) for item in items]
        if convene:
            meeting = meeting_convene(actor=secretary, meeting=meeting)
    return SimpleNamespace(meeting=meeting, items=made, secretary=secretary)


def _bring_to_today(coop, meeting) -> Meeting:
    """The meeting's day has come: it started a minute ago."""
    with schema_context(coop.schema):
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - dt.timedelta(minutes=1)
        )
        return Meeting.objects.select_related("body").get(pk=meeting.pk)


@pytest.fixture
def voters(alfa):
    return [MemberFactory(schema=alfa.schema, name=f"Stemmer {n}") for n in range(6)]


@pytest.fixture
def alv_meeting():
    """alv_meeting(coop, items=[...], days_ahead=20, convene=True, **statutes)."""
    return _alv_meeting


@pytest.fixture
def bring_to_today():
    """bring_to_today(coop, meeting): the meeting started a minute ago."""
    return _bring_to_today
