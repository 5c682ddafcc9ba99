"""Demo surveys for ``oost`` (called from ``noaber.demo`` inside the cooperative's schema):
one closed survey about a klussendienst with its results (seven answers, one of them on paper
through the coordinator), one open survey about a walking group that some members still have
to answer, and a closed round of Positieve Gezondheid (six answers) for the wellbeing figures.
Made through the real services; only the dates of the closed surveys are moved into the past
afterwards (a service opens and closes a survey today). Idempotent, and it mails
nobody: the invitations are marked as sent before a survey opens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cooperatives.members.models import Member
from cooperatives.surveys import services
from cooperatives.surveys.models import Question, Survey

CLOSED_TITLE = "Hebben we een klussendienst nodig?"
OPEN_TITLE = "Een wandelgroep op zaterdagochtend?"

# (email or name, single choice, kinds of klus, scale, open answer)
CLOSED_ANSWERS = [
    ("bestuur@oost.example.nl", 0, [0, 1], 4, "Vooral hulp bij kleine reparaties in huis."),
    ("henk@oost.example.nl", 0, [1], 5, "Graag met vaste vrijwilligers per buurt."),
    ("fatma@oost.example.nl", 0, [0, 2], 4, "Veel ouderen in Sterrenwijk hebben een tuin."),
    ("joop@oost.example.nl", 2, [2], 3, "Vervoer naar het ziekenhuis is het belangrijkst."),
    ("marian@oost.example.nl", 1, [], 2, "Let op dat we niet concurreren met ondernemers."),
    ("kees@oost.example.nl", 0, [1], 4, "Een vast tarief per uur is duidelijk."),
]
# Tineke has no email and answers on paper; Henk, the coordinator, enters her form.
PAPER = ("Tineke Smit", 0, [0], 5, "Mijn heg moet twee keer per jaar geknipt worden.")


def _questions(board: Member, survey: Survey) -> None:
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.SINGLE,
        text="Zou u een klussendienst van de coöperatie gebruiken?",
        options=["Ja", "Nee", "Weet ik nog niet"],
    )
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.MULTIPLE,
        text="Bij welke klussen zoekt u hulp?",
        options=["Tuin", "Kleine reparaties", "Vervoer"],
        required=False,
    )
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.SCALE,
        text="Hoe belangrijk vindt u een klussendienst?",
    )
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.OPEN,
        text="Wat wilt u het bestuur nog meegeven?",
        required=False,
    )


def _open_quietly(board: Member, survey: Survey, closes_on: dt.date) -> Survey:
    # The demo mails nobody: the invitation counts as sent before the survey opens.
    Survey.objects.filter(pk=survey.pk).update(invited_at=timezone.now())
    return services.survey_open(actor=board, survey=survey, closes_on=closes_on)


def _answers(survey: Survey, row: tuple[str, int, list[int], int, str]) -> dict[str, object]:
    _who, choice, kinds, scale, text = row
    single, multiple, scale_q, open_q = list(survey.questions.order_by("position"))
    return {
        single.field_name: choice,
        multiple.field_name: kinds,
        scale_q.field_name: scale,
        open_q.field_name: text,
    }


def _closed_survey(board: Member) -> None:
    if Survey.objects.filter(title=CLOSED_TITLE).exists():
        return
    today = timezone.localdate()
    survey = services.survey_create(
        actor=board,
        title=CLOSED_TITLE,
        intro=(
            "Voordat we een nieuwe dienst beginnen, vragen we wat u nodig heeft. Denk aan hulp "
            "in de tuin, kleine reparaties en vervoer, voor € 4,50 per uur."
        ),
    )
    _questions(board, survey)
    survey = _open_quietly(board, survey, today)
    for row in CLOSED_ANSWERS:
        member = Member.objects.filter(email=row[0]).first()
        if member is not None:
            services.survey_answer(member=member, survey=survey, answers=_answers(survey, row))
    tineke = Member.objects.filter(name=PAPER[0]).first()
    henk = Member.objects.filter(email="henk@oost.example.nl").first()
    if tineke is not None and henk is not None:
        services.survey_answer_paper(
            actor=henk, member=tineke, survey=survey, answers=_answers(survey, PAPER)
        )
    survey = services.survey_close(actor=board, survey=survey)
    # It ran last month.
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - dt.timedelta(days=45), closes_on=today - dt.timedelta(days=25)
    )


def _open_survey(board: Member) -> None:
    if Survey.objects.filter(title=OPEN_TITLE).exists():
        return
    survey = services.survey_create(
        actor=board,
        title=OPEN_TITLE,
        intro="Een paar leden willen samen wandelen. Doet u mee?",
    )
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.SINGLE,
        text="Zou u meewandelen?",
        options=["Ja, elke week", "Af en toe", "Nee"],
    )
    services.survey_question_add(
        actor=board,
        survey=survey,
        kind=Question.Kind.SCALE,
        text="Hoe graag wilt u dat er een wandelgroep komt?",
    )
    survey = _open_quietly(board, survey, timezone.localdate() + dt.timedelta(days=14))
    single, scale = list(survey.questions.order_by("position"))
    for email, choice, points in (("joop@oost.example.nl", 0, 5), ("kees@oost.example.nl", 1, 3)):
        member = Member.objects.filter(email=email).first()
        if member is not None:
            services.survey_answer(
                member=member,
                survey=survey,
                answers={single.field_name: choice, scale.field_name: points},
            )


# A round of Positieve Gezondheid, last month: scores per dimension (in the order of
# cooperatives.surveys.positive_health.DIMENSIONS; None = skipped, answering is by choice).
HEALTH_TITLE = "Hoe gaat het met u? Positieve Gezondheid (demo)"
HEALTH_ANSWERS = [
    ("bestuur@oost.example.nl", (7, 8, 8, 8, 9, 8)),
    ("henk@oost.example.nl", (6, 7, 8, 7, 8, 7)),
    ("fatma@oost.example.nl", (8, 7, 7, 8, 6, 8)),
    ("joop@oost.example.nl", (5, 6, 7, 6, 5, None)),
    ("marian@oost.example.nl", (7, 8, None, 7, 7, 7)),
    ("kees@oost.example.nl", (6, 7, 6, 7, 8, 6)),
]


def _positive_health_round(board: Member) -> None:
    if Survey.objects.filter(title=HEALTH_TITLE).exists():
        return
    today = timezone.localdate()
    survey = services.survey_positive_health_create(actor=board, title=HEALTH_TITLE)
    survey = _open_quietly(board, survey, today)
    questions = list(survey.questions.order_by("position"))
    for email, scores in HEALTH_ANSWERS:
        member = Member.objects.filter(email=email).first()
        if member is not None:
            answers = {
                q.field_name: n for q, n in zip(questions, scores, strict=True) if n is not None
            }
            services.survey_answer(member=member, survey=survey, answers=answers)
    services.survey_close(actor=board, survey=survey)
    # It ran last month: the network's wellbeing figures count it for that month.
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=30)
    )


def surveys_demo_seed(*, slug: str, board: Member) -> None:
    """The demo surveys of the cooperative ``slug`` (only ``oost`` has any)."""
    if slug != "oost":
        return
    _closed_survey(board)
    _open_survey(board)
    _positive_health_round(board)
