"""The people and a survey the surveys' tests share: in alfa, two buurten, the board, a
coordinator and members; a survey with one question of each kind."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from cooperatives.surveys import services
from cooperatives.surveys.models import Question
from tests.factories import MemberFactory, NeighbourhoodFactory


@pytest.fixture
def people(alfa):
    oudwijk = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    abstede = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3582"])
    with schema_context(alfa.schema):
        board = Member.objects.get(email=alfa.board_email)
    return SimpleNamespace(
        board=board,
        coordinator=MemberFactory(
            schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"]
        ),
        oudwijk=oudwijk,
        abstede=abstede,
    )


def _members(coop, n: int, **kwargs) -> list[Member]:
    return [MemberFactory(schema=coop.schema, **kwargs) for _ in range(n)]


def _make_survey(coop, actor, *, neighbourhood=None, open_it=True):
    """A survey with a single choice, a multiple choice, a scale and an open question."""
    with schema_context(coop.schema):
        survey = services.survey_create(
            actor=actor,
            title="Hebben we een klussendienst nodig?",
            intro="Het bestuur wil weten of leden hulp bij klussen zoeken.",
            neighbourhood=neighbourhood,
        )
        questions = [
            services.survey_question_add(
                actor=actor,
                survey=survey,
                kind=Question.Kind.SINGLE,
                text="Zou u de klussendienst gebruiken?",
                options=["Ja", "Nee", "Weet ik niet"],
            ),
            services.survey_question_add(
                actor=actor,
                survey=survey,
                kind=Question.Kind.MULTIPLE,
                text="Bij welke klussen?",
                options=["Tuin", "Reparaties", "Vervoer"],
                required=False,
            ),
            services.survey_question_add(
                actor=actor,
                survey=survey,
                kind=Question.Kind.SCALE,
                text="Hoe belangrijk vindt u dit?",
            ),
            services.survey_question_add(
                actor=actor,
                survey=survey,
                kind=Question.Kind.OPEN,
                text="Wat wilt u het bestuur nog meegeven?",
                required=False,
            ),
        ]
        if open_it:
            survey = services.survey_open(
                actor=actor, survey=survey, closes_on=timezone.localdate() + dt.timedelta(days=14)
            )
    return SimpleNamespace(survey=survey, questions=questions)


def _answers(made, *, choice=0, scale=4, text="", extra=()):
    single, multiple, scale_q, open_q = made.questions
    return {
        single.field_name: choice,
        multiple.field_name: list(extra),
        scale_q.field_name: scale,
        open_q.field_name: text,
    }


@pytest.fixture
def kit():
    """The helpers as a fixture (tests import nothing from another test module):
    ``kit.members(coop, n, neighbourhood=...)``, ``kit.survey(coop, actor, ...)`` and
    ``kit.answers(made, choice=0, scale=4, text="")``."""
    return SimpleNamespace(members=_members, survey=_make_survey, answers=_answers)
