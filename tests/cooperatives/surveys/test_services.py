"""Answering a survey: once per member, online or on paper, only while it is open and only by
the members it asks; refusals write nothing."""

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from cooperatives.surveys import services
from cooperatives.surveys.models import Answer, Participation, Question, Response, Survey
from tests.state import audit_actions, count_rows, last_audit_id


def stored(coop) -> tuple[int, int, int]:
    return (
        count_rows(coop, Participation),
        count_rows(coop, Response),
        count_rows(coop, Answer),
    )


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def test_a_second_answer_is_refused_and_nothing_is_written(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    [piet] = kit.members(alfa, 1, name="Piet Puk")
    with schema_context(alfa.schema):
        services.survey_answer(member=piet, survey=made.survey, answers=kit.answers(made))
    assert stored(alfa) == (1, 1, 2)  # the two optional questions were left empty
    since = last_audit_id(alfa.schema)
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        services.survey_answer(member=piet, survey=made.survey, answers=kit.answers(made, choice=1))
    assert codes(refused.value) == ["already_answered"]
    assert stored(alfa) == (1, 1, 2)
    assert audit_actions(alfa.schema, since) == []
    assert stored(beta) == (0, 0, 0)


def test_the_database_refuses_a_second_register_entry(alfa, beta, people, kit):
    """Two answers sent at the same moment: the unique register is the last guard."""
    from django.db import IntegrityError, transaction

    made = kit.survey(alfa, people.board)
    [piet] = kit.members(alfa, 1)
    with schema_context(alfa.schema):
        services.survey_answer(member=piet, survey=made.survey, answers=kit.answers(made))
        with pytest.raises(IntegrityError), transaction.atomic():
            Participation.objects.create(survey=made.survey, member=piet, channel="paper")


def test_missing_and_wrong_answers_are_refused_per_question(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    [piet] = kit.members(alfa, 1)
    single, multiple, scale, _open = made.questions
    given = {single.field_name: 7, multiple.field_name: [0, 9], scale.field_name: ""}
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        services.survey_answer(member=piet, survey=made.survey, answers=given)
    assert refused.value.message_dict == {
        single.field_name: ["Kies uit de opties die er staan."],
        multiple.field_name: ["Kies uit de opties die er staan."],
        scale.field_name: ["Beantwoord deze vraag."],
    }
    assert stored(alfa) == (0, 0, 0)


def test_paper_answers_by_the_coordinator_count_once_per_member(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    online, on_paper = kit.members(alfa, 2)
    with schema_context(alfa.schema):
        services.survey_answer(member=online, survey=made.survey, answers=kit.answers(made))
        services.survey_answer_paper(
            actor=people.coordinator,
            member=on_paper,
            survey=made.survey,
            answers=kit.answers(made, choice=1),
        )
        # Neither can be entered again, on paper or online.
        with pytest.raises(ValidationError) as again_paper:
            services.survey_answer_paper(
                actor=people.coordinator,
                member=online,
                survey=made.survey,
                answers=kit.answers(made),
            )
        with pytest.raises(ValidationError) as again_online:
            services.survey_answer(member=on_paper, survey=made.survey, answers=kit.answers(made))
        register = sorted(
            Participation.objects.filter(survey=made.survey).values_list(
                "member_id", "channel", "entered_by_id"
            )
        )
    assert codes(again_paper.value) == codes(again_online.value) == ["already_answered"]
    assert register == sorted(
        [(online.pk, "online", None), (on_paper.pk, "paper", people.coordinator.pk)]
    )
    assert stored(alfa) == (2, 2, 4)


def test_only_members_of_the_buurt_may_answer_a_buurt_survey(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board, neighbourhood=people.oudwijk)
    [inside] = kit.members(alfa, 1, neighbourhood=people.oudwijk)
    [outside] = kit.members(alfa, 1, neighbourhood=people.abstede)
    with schema_context(alfa.schema):
        services.survey_answer(member=inside, survey=made.survey, answers=kit.answers(made))
        with pytest.raises(ValidationError) as refused:
            services.survey_answer(member=outside, survey=made.survey, answers=kit.answers(made))
    assert codes(refused.value) == ["not_asked"]
    assert stored(alfa) == (1, 1, 2)


def test_a_draft_and_a_closed_survey_take_no_answers(alfa, beta, people, kit):
    draft = kit.survey(alfa, people.board, open_it=False)
    closed = kit.survey(alfa, people.board)
    [piet] = kit.members(alfa, 1)
    with schema_context(alfa.schema):
        services.survey_close(actor=people.board, survey=closed.survey)
        for made in (draft, closed):
            with pytest.raises(ValidationError) as refused:
                services.survey_answer(member=piet, survey=made.survey, answers=kit.answers(made))
            assert codes(refused.value) == ["survey_not_open"]
    assert stored(alfa) == (0, 0, 0)


def test_questions_are_frozen_once_the_survey_is_open(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    with schema_context(alfa.schema):
        with pytest.raises(ValidationError) as refused:
            services.survey_question_add(
                actor=people.board, survey=made.survey, kind=Question.Kind.OPEN, text="Nog iets?"
            )
        assert codes(refused.value) == ["not_draft"]
        assert made.survey.questions.count() == 4


def test_a_survey_opens_only_with_a_question_and_a_last_day(alfa, beta, people):
    with schema_context(alfa.schema):
        survey = services.survey_create(actor=people.board, title="Leeg")
        with pytest.raises(ValidationError) as no_day:
            services.survey_open(actor=people.board, survey=survey)
        services.survey_question_add(
            actor=people.board, survey=survey, kind=Question.Kind.SCALE, text="Hoe tevreden?"
        )
        with pytest.raises(ValidationError) as one_option:
            services.survey_question_add(
                actor=people.board,
                survey=survey,
                kind=Question.Kind.SINGLE,
                text="Welke?",
                options=["alleen deze"],
            )
        survey.refresh_from_db()
        assert survey.status == Survey.Status.DRAFT
    assert codes(no_day.value) == ["required"]
    assert codes(one_option.value) == ["too_few_options"]
