"""Writes of the surveys: the board makes a survey, adds its questions, opens it (the members
are mailed a link to answer) and closes it; a member answers once, online or on paper through
the coordinator. Every write is logged, never with what was answered; refusals are Dutch
ValidationErrors and leave nothing written.

Answering writes the register of who answered (``Participation``, unique per member: the
database refuses a second) and, apart from it, the response without anything that says whose
(see ``cooperatives.surveys.models``)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster, Neighbourhood
from cooperatives.surveys import selectors
from cooperatives.surveys.emails import survey_invitation
from cooperatives.surveys.models import (
    MIN_GROUP,
    Answer,
    Participation,
    Question,
    Response,
    Survey,
)
from cooperatives.surveys.positive_health import DIMENSIONS
from shared.audit.services import audit_record
from shared.mail import mail_send
from shared.tenancy.current import connection, queue_in
from shared.validation import actor_id, field_error

INVITE_MAILED = "survey.invite_mailed"
MAX_OPTIONS = 12


# --- the mail, queued after commit --------------------------------------------------------------


@shared_task(
    name="cooperatives.surveys.tasks.survey_invite_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def survey_invite_mail(*, survey_id: int) -> int:
    return survey_invite_send(survey_id=survey_id)


@transaction.atomic
def survey_invite_send(*, survey_id: int) -> int:
    """Mail every member the survey asks (active, with an email address, in its buurt if it has
    one) a link to the answer page, once: the survey row is locked and marks when the mail went
    out, so a task delivered twice mails once. Members without email answer on paper through
    the coordinator. Returns how many were mailed."""
    survey = (
        Survey.objects.select_for_update()
        .filter(pk=survey_id, status=Survey.Status.OPEN, invited_at__isnull=True)
        .first()
    )
    if survey is None:
        return 0
    recipients = [m for m in selectors.survey_asked(survey=survey) if m.email]
    mail_send(to=recipients, compose=partial(survey_invitation, survey=survey), after_commit=False)
    survey.invited_at = timezone.now()
    survey.save(update_fields=["invited_at"])
    audit_record(
        actor_id=None,
        action=INVITE_MAILED,
        target=survey,
        summary=f"{len(recipients)} mail(s)",
        changes={"mailed": [None, len(recipients)]},
    )
    return len(recipients)


# --- the board: making, opening, closing --------------------------------------------------------


def _clean(text: str | None, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def survey_create(
    *,
    actor: Member | None,
    title: str,
    intro: str = "",
    closes_on: dt.date | None = None,
    neighbourhood: Neighbourhood | None = None,
    cluster: Cluster | None = None,
) -> Survey:
    """A new survey as a draft: questions are added before it opens."""
    title = _clean(title, 150)
    if not title:
        raise field_error("title", _("Geef de peiling een titel."), "required")
    if closes_on is not None and closes_on < timezone.localdate():
        raise field_error(
            "closes_on", _("De laatste dag kan niet in het verleden liggen."), "in_past"
        )
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title,
            intro=(intro or "").strip(),
            closes_on=closes_on,
            neighbourhood=neighbourhood,
            cluster=cluster,
            created_by_id=actor_id(actor),
        )
        audit_record(
            actor_id=actor_id(actor),
            action="survey.create",
            target=survey,
            summary=survey.title,
        )
    return survey


def survey_positive_health_create(
    *, actor: Member | None, title: str = "", closes_on: dt.date | None = None
) -> Survey:
    """A new round of Positieve Gezondheid as a draft, with its six fixed questions (one per
    dimension, a score from 0 to 10, none required: members answer by choice). The board
    opens it like any survey; its results, and the network figures of the group "wellbeing",
    count once it is closed."""
    if closes_on is not None and closes_on < timezone.localdate():
        raise field_error(
            "closes_on", _("De laatste dag kan niet in het verleden liggen."), "in_past"
        )
    title = _clean(title, 150) or _("Hoe gaat het met u? Positieve Gezondheid")
    with transaction.atomic():
        survey = Survey.objects.create(
            kind=Survey.Kind.POSITIVE_HEALTH,
            title=title,
            intro=_(
                "Zes korte vragen over hoe het met u gaat. Geef bij elke vraag een cijfer van "
                "0 (heel slecht) tot 10 (heel goed). Meedoen is vrijwillig: u mag ook een vraag "
                "overslaan. Uw antwoorden zijn anoniem; de coöperatie en haar netwerk zien "
                "alleen gemiddelden van groepen van ten minste vijf antwoorden."
            ),
            closes_on=closes_on,
            created_by_id=actor_id(actor),
        )
        Question.objects.bulk_create(
            Question(
                survey=survey,
                position=position,
                kind=Question.Kind.SCORE,
                text=str(dimension.question),
                required=False,
                dimension=dimension.key,
            )
            for position, dimension in enumerate(DIMENSIONS, start=1)
        )
        audit_record(
            actor_id=actor_id(actor),
            action="survey.create",
            target=survey,
            summary=survey.title,
            changes={"kind": [None, survey.kind]},
        )
    return survey


def _draft(survey: Survey) -> None:
    if survey.status != Survey.Status.DRAFT:
        raise field_error(
            None,
            _("Deze peiling is al geopend; de vragen kunnen niet meer veranderen."),
            "not_draft",
        )


def _questions_editable(survey: Survey) -> None:
    _draft(survey)
    if survey.kind == Survey.Kind.POSITIVE_HEALTH:
        # Fixed so that rounds, and cooperatives in a network, can be compared.
        raise field_error(
            None,
            _(
                "De vragen van Positieve Gezondheid liggen vast, zodat de uitkomsten te "
                "vergelijken zijn."
            ),
            "fixed_questions",
        )


def _options(kind: str, options: Iterable[str]) -> list[str]:
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return []
    cleaned = [_clean(option, 120) for option in options]
    cleaned = list(dict.fromkeys(option for option in cleaned if option))
    if len(cleaned) < 2:
        raise field_error(
            "options", _("Geef ten minste twee opties, één per regel."), "too_few_options"
        )
    if len(cleaned) > MAX_OPTIONS:
        raise field_error(
            "options",
            _("Geef ten hoogste %(n)s opties.") % {"n": MAX_OPTIONS},
            "too_many_options",
        )
    return cleaned


def survey_question_add(
    *,
    actor: Member | None,
    survey: Survey,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    required: bool = True,
) -> Question:
    if kind not in Question.Kind.values:
        raise field_error("kind", _("Kies de soort vraag."), "invalid_choice")
    text = _clean(text, 300)
    if not text:
        raise field_error("text", _("Schrijf de vraag op."), "required")
    cleaned = _options(kind, options)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _questions_editable(survey)
        last = survey.questions.order_by("-position").values_list("position", flat=True).first()
        question = Question.objects.create(
            survey=survey,
            position=(last or 0) + 1,
            kind=kind,
            text=text,
            options=cleaned,
            required=required,
        )
        audit_record(
            actor_id=actor_id(actor),
            action="survey.question_add",
            target=survey,
            summary=text,
            changes={"kind": [None, kind]},
        )
    return question


def survey_question_remove(*, actor: Member | None, question: Question) -> None:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.survey_id)
        _questions_editable(survey)
        text = question.text
        question.delete()
        audit_record(
            actor_id=actor_id(actor),
            action="survey.question_remove",
            target=survey,
            summary=text,
        )


def survey_open(
    *, actor: Member | None, survey: Survey, closes_on: dt.date | None = None
) -> Survey:
    """Open a draft from today until ``closes_on`` (or the day set before). The members it
    asks are mailed a link to answer, after the commit."""
    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _draft(survey)
        closes_on = closes_on or survey.closes_on
        if closes_on is None:
            raise field_error(
                "closes_on", _("Vul de laatste dag in waarop leden kunnen antwoorden."), "required"
            )
        if closes_on < today:
            raise field_error(
                "closes_on", _("De laatste dag kan niet in het verleden liggen."), "in_past"
            )
        if not survey.questions.exists():
            raise field_error(None, _("Voeg eerst ten minste één vraag toe."), "no_questions")
        survey.status = Survey.Status.OPEN
        survey.opens_on = today
        survey.closes_on = closes_on
        survey.opened_at = timezone.now()
        survey.save(update_fields=["status", "opens_on", "closes_on", "opened_at"])
        audit_record(
            actor_id=actor_id(actor),
            action="survey.open",
            target=survey,
            summary=survey.title,
            changes={"closes_on": [None, closes_on.isoformat()]},
        )
        transaction.on_commit(
            partial(
                queue_in, survey_invite_mail, schema=connection.schema_name, survey_id=survey.pk
            )
        )
    return survey


def _coarsen_and_shuffle(survey: Survey) -> None:
    """Make the stored responses as anonymous as the results: buurten with fewer than
    MIN_GROUP responses become "no buurt" (and, if what is then without a buurt is fewer than
    MIN_GROUP, the smallest buurten too), and every response is written anew, in random order
    and with new keys, so neither the rows' order nor their transaction tells when, and so next
    to whose entry in the register, each was written."""
    responses = list(survey.responses.prefetch_related("answers"))
    sizes: dict[int | None, int] = {}
    for response in responses:
        sizes[response.neighbourhood_id] = sizes.get(response.neighbourhood_id, 0) + 1
    kept = selectors.groups_shown(sizes, len(responses))
    rows = [
        (
            response.neighbourhood_id if response.neighbourhood_id in kept else None,
            [(a.question_id, a.choices, a.scale, a.text) for a in response.answers.all()],
        )
        for response in responses
    ]
    random.SystemRandom().shuffle(rows)
    Answer.objects.filter(response__survey=survey).delete()
    survey.responses.all().delete()
    for buurt, answers in rows:
        response = Response.objects.create(survey=survey, neighbourhood_id=buurt)
        Answer.objects.bulk_create(
            Answer(response=response, question_id=q, choices=c, scale=s, text=t)
            for q, c, s, t in answers
        )


def survey_close(*, actor: Member | None, survey: Survey) -> Survey:
    """Close an open survey: no more answers, and the results can be shown (in groups of at
    least MIN_GROUP)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.OPEN:
            raise field_error(None, _("Alleen een open peiling kan worden gesloten."), "not_open")
        survey.status = Survey.Status.CLOSED
        survey.closed_at = timezone.now()
        survey.save(update_fields=["status", "closed_at"])
        _coarsen_and_shuffle(survey)
        audit_record(
            actor_id=actor_id(actor),
            action="survey.close",
            target=survey,
            summary=survey.title,
            changes={"answers": [None, survey.participations.count()]},
        )
    return survey


# --- answering -----------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _answer(question: Question, value: Any) -> Answer:
    """The answer to one question, or a refusal naming the question's field."""
    name = question.field_name
    if question.kind == Question.Kind.OPEN:
        text = str(value).strip()
        if len(text) > 2000:
            raise field_error(
                name, _("Uw antwoord is te lang (ten hoogste 2000 tekens)."), "too_long"
            )
        return Answer(question=question, text=text)
    if question.kind == Question.Kind.SCALE:
        number = _int(value)
        if number is None or not 1 <= number <= 5:
            raise field_error(name, _("Kies een getal van 1 tot en met 5."), "invalid_scale")
        return Answer(question=question, scale=number)
    if question.kind == Question.Kind.SCORE:
        number = _int(value)
        if number is None or not 0 <= number <= 10:
            raise field_error(name, _("Kies een cijfer van 0 tot en met 10."), "invalid_score")
        return Answer(question=question, scale=number)
    values = value if isinstance(value, (list, tuple)) else [value]
    if question.kind == Question.Kind.SINGLE and len(values) != 1:
        raise field_error(name, _("Kies één antwoord."), "one_choice")
    choices = [_int(v) for v in values]
    picked: list[int] = []
    for choice in choices:
        if choice is None or not 0 <= choice < len(question.options):
            raise field_error(name, _("Kies uit de opties die er staan."), "invalid_choice")
        if choice not in picked:
            picked.append(choice)
    return Answer(question=question, choices=sorted(picked))


def _answers(questions: list[Question], given: Mapping[str, Any]) -> list[Answer]:
    """Every answer checked; all refusals together, per question."""
    answers: list[Answer] = []
    errors: dict[str, list[ValidationError]] = {}
    known = {q.field_name for q in questions}
    for key in given:
        if key not in known:
            errors.setdefault("__all__", []).append(
                ValidationError(
                    _("Een antwoord hoort bij geen vraag van deze peiling."),
                    code="unknown_question",
                )
            )
    for question in questions:
        value = given.get(question.field_name)
        if _blank(value) or (isinstance(value, str) and not value.strip()):
            if question.required:
                errors.setdefault(question.field_name, []).append(
                    ValidationError(_("Beantwoord deze vraag."), code="required")
                )
            continue
        try:
            answers.append(_answer(question, value))
        except ValidationError as error:
            for field, messages in error.error_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return answers


def _record(
    *,
    survey: Survey,
    member: Member,
    answers: Mapping[str, Any],
    channel: str,
    entered_by: Member | None,
) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.answerable(today):
            raise field_error(None, _("Deze peiling is niet (meer) open."), "survey_not_open")
        if not selectors.member_may_answer(survey=survey, member=member):
            raise field_error(
                "member", _("Deze peiling is niet voor dit lid bedoeld."), "not_asked"
            )
        if selectors.survey_answered_by(survey=survey, member=member):
            raise field_error(
                "member", _("Deze peiling is al beantwoord door dit lid."), "already_answered"
            )
        checked = _answers(selectors.survey_questions(survey=survey), answers)
        if not checked and survey.kind == Survey.Kind.POSITIVE_HEALTH:
            # Every question may be skipped, but an empty form says nothing: not answering
            # at all is the member's choice, and leaves no entry in the register.
            raise field_error(
                None,
                _("Vul ten minste één cijfer in, of laat de vragenlijst liggen."),
                "nothing_answered",
            )
        try:
            # The register first: the database refuses a second answer of one member (two
            # answers sent at the same moment), and then nothing else is written.
            with transaction.atomic():
                Participation.objects.create(
                    survey=survey,
                    member=member,
                    channel=channel,
                    entered_by_id=actor_id(entered_by),
                )
        except IntegrityError:
            raise field_error(
                "member", _("Deze peiling is al beantwoord door dit lid."), "already_answered"
            ) from None
        response = Response.objects.create(survey=survey, neighbourhood_id=member.neighbourhood_id)
        for answer in checked:
            answer.response = response
        Answer.objects.bulk_create(checked)
        # That the member answered, never what: the log is no place for the answers.
        audit_record(
            actor_id=actor_id(entered_by or member),
            action="survey.answer_paper"
            if channel == Participation.Channel.PAPER
            else "survey.answer",
            target=survey,
            summary=survey.title,
            changes={"member": [None, member.pk]} if entered_by is not None else None,
        )


def survey_answer(*, member: Member, survey: Survey, answers: Mapping[str, Any]) -> None:
    """A member's own answers, given online. ``answers`` maps each question's ``field_name``
    to the chosen option's position (a list of them for a multiple choice), a number from 1 to
    5 for a scale, or a text."""
    _record(
        survey=survey,
        member=member,
        answers=answers,
        channel=Participation.Channel.ONLINE,
        entered_by=None,
    )


def survey_answer_paper(
    *, actor: Member, member: Member, survey: Survey, answers: Mapping[str, Any]
) -> None:
    """The answers a member gave on the paper form, entered by the coordinator. They count once
    per member, like online answers: a member who answered online cannot be entered again."""
    _record(
        survey=survey,
        member=member,
        answers=answers,
        channel=Participation.Channel.PAPER,
        entered_by=actor,
    )


__all__ = [
    "MIN_GROUP",
    "survey_answer",
    "survey_answer_paper",
    "survey_close",
    "survey_create",
    "survey_invite_mail",
    "survey_invite_send",
    "survey_open",
    "survey_positive_health_create",
    "survey_question_add",
    "survey_question_remove",
]
