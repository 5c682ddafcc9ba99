"""Reads of the surveys: which surveys a member may answer, the board's list, who may still
answer on paper, and the results, in groups of at least ``MIN_GROUP`` answers.

The results never read the register of who answered (``Participation``) together with the
answers: a result is made of ``Response`` and ``Answer`` rows only, which name nobody."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cooperatives.members.models import Member
from cooperatives.setup.models import Neighbourhood
from cooperatives.surveys.models import MIN_GROUP, Answer, Participation, Question, Survey

# The kinds answered with a number (Answer.scale): 1 to 5, or a score from 0 to 10.
SCALES = (Question.Kind.SCALE, Question.Kind.SCORE)

# --- surveys for members --------------------------------------------------------------------------


def _in_scope(member: Member) -> Q:
    """Surveys for every member, or for the member's own buurt."""
    scope = Q(neighbourhood__isnull=True)
    if member.neighbourhood_id is not None:
        scope |= Q(neighbourhood_id=member.neighbourhood_id)
    return scope


def surveys_for_member(*, member: Member, today: dt.date | None = None) -> QuerySet[Survey]:
    """The surveys the member can answer today, each with ``answered`` (the member did)."""
    today = today or timezone.localdate()
    answered = Participation.objects.filter(survey=OuterRef("pk"), member=member)
    return (
        Survey.objects.filter(
            _in_scope(member),
            status=Survey.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("neighbourhood", "cluster")
        .annotate(answered=Exists(answered))
        .order_by("closes_on", "pk")
    )


def surveys_waiting_for(*, member: Member, today: dt.date | None = None) -> list[Survey]:
    """Open surveys the member has not answered yet (one query)."""
    return [
        s
        for s in surveys_for_member(member=member, today=today)
        if not getattr(s, "answered", False)
    ]


def survey_for_member(*, member: Member, pk: int) -> Survey | None:
    """A survey the member may see to answer: open now (or once was) and meant for them."""
    return (
        Survey.objects.filter(_in_scope(member), pk=pk)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("neighbourhood", "cluster")
        .first()
    )


def survey_answered_by(*, survey: Survey, member: Member) -> bool:
    return Participation.objects.filter(survey=survey, member=member).exists()


def survey_questions(*, survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position"))


def member_may_answer(*, survey: Survey, member: Member) -> bool:
    """The member belongs to the people the survey asks: active and, for a survey of one
    buurt, living there."""
    if member.status != Member.Status.ACTIVE:
        return False
    return survey.neighbourhood_id is None or member.neighbourhood_id == survey.neighbourhood_id


# --- for the board and the coordinator ----------------------------------------------------------


def surveys_all() -> QuerySet[Survey]:
    return Survey.objects.select_related("neighbourhood", "cluster").order_by("-created_at", "-pk")


def survey_get(*, pk: int) -> Survey | None:
    return Survey.objects.select_related("neighbourhood", "cluster").filter(pk=pk).first()


def surveys_open(*, today: dt.date | None = None) -> QuerySet[Survey]:
    today = today or timezone.localdate()
    return surveys_all().filter(
        status=Survey.Status.OPEN, opens_on__lte=today, closes_on__gte=today
    )


def surveys_overdue(*, today: dt.date | None = None) -> QuerySet[Survey]:
    """Open surveys whose last day has passed: to close, so their results can be shown."""
    today = today or timezone.localdate()
    return surveys_all().filter(status=Survey.Status.OPEN, closes_on__lt=today)


def survey_asked(*, survey: Survey) -> QuerySet[Member]:
    """Every member the survey asks: active, and in its buurt if it has one."""
    members = Member.objects.filter(status=Member.Status.ACTIVE)
    if survey.neighbourhood_id is not None:
        members = members.filter(neighbourhood_id=survey.neighbourhood_id)
    return members.order_by("name", "pk")


def survey_not_answered(*, survey: Survey) -> QuerySet[Member]:
    """The members who may still answer (for the coordinator's paper entry)."""
    done = Participation.objects.filter(survey=survey, member=OuterRef("pk"))
    return survey_asked(survey=survey).exclude(Exists(done))


def survey_answer_count(*, survey: Survey) -> int:
    """How many members answered (from the register; says nothing of what)."""
    return Participation.objects.filter(survey=survey).count()


# --- results ------------------------------------------------------------------------------------


@dataclass
class OptionCount:
    label: str
    count: int
    percent: int


@dataclass
class Group:
    """The answers to one question from one buurt."""

    name: str
    answered: int
    options: list[OptionCount]
    average: Decimal | None = None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    shown: bool
    options: list[OptionCount] = field(default_factory=list)
    average: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # Answers not shown by buurt (from buurten with fewer than MIN_GROUP, without a buurt, or
    # hidden so that those cannot be worked out); they do count in the totals.
    answers_hidden: int = 0


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    # Results are shown once the survey is closed and at least MIN_GROUP members answered.
    closed: bool
    shown: bool
    by_buurt: bool
    questions: list[QuestionResult]
    min_group: int = MIN_GROUP


def _percent(count: int, total: int) -> int:
    if not total:
        return 0
    return int((Decimal(100 * count) / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _labels(question: Question) -> list[str]:
    if question.kind == Question.Kind.SCALE:
        return [str(n) for n in range(1, 6)]
    if question.kind == Question.Kind.SCORE:
        return [str(n) for n in range(0, 11)]
    return list(question.options)


def _counted(question: Question, answers: list[Answer]) -> tuple[list[OptionCount], Decimal | None]:
    """Counts per option (or per point of the scale or score), and the scale's or score's
    average."""
    labels = _labels(question)
    counts: Counter[int] = Counter()
    scale: list[int] = []
    # A scale starts at 1, a score at 0: the label's position is the number less the start.
    start = 1 if question.kind == Question.Kind.SCALE else 0
    for answer in answers:
        if question.kind in SCALES and answer.scale is not None:
            counts[answer.scale - start] += 1
            scale.append(answer.scale)
        else:
            counts.update(i for i in answer.choices if 0 <= i < len(labels))
    total = len(answers)
    options = [
        OptionCount(label, counts[i], _percent(counts[i], total)) for i, label in enumerate(labels)
    ]
    average = None
    if scale:
        average = (Decimal(sum(scale)) / len(scale)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return options, average


def groups_shown(sizes: dict[int | None, int], total: int) -> set[int]:
    """The buurten whose answers may be shown apart: each has at least MIN_GROUP answers, and
    what is hidden together is none or at least MIN_GROUP too, else the total minus the shown
    buurten would give the hidden ones away (then the smallest shown buurt is hidden as well).
    ``None`` (no buurt) is never shown apart."""
    shown = {key for key, size in sizes.items() if key is not None and size >= MIN_GROUP}
    while shown:
        hidden = total - sum(sizes[key] for key in shown)
        if hidden == 0 or hidden >= MIN_GROUP:
            break
        shown.remove(min(shown, key=lambda key: (sizes[key], key)))
    return shown


def _question_result(
    question: Question,
    answers: list[tuple[Answer, int | None]],
    names: dict[int, str],
    *,
    by_buurt: bool,
) -> QuestionResult:
    given = [answer for answer, _buurt in answers if _given(question, answer)]
    result = QuestionResult(question=question, answered=len(given), shown=len(given) >= MIN_GROUP)
    if not result.shown:
        return result
    if question.kind == Question.Kind.OPEN:
        texts = [answer.text for answer in given]
        # Random order: the order of the rows must not hint at who wrote what.
        random.SystemRandom().shuffle(texts)
        result.texts = texts
        return result
    result.options, result.average = _counted(question, given)
    if not by_buurt:
        return result
    per_buurt: dict[int | None, list[Answer]] = {}
    for answer, buurt in answers:
        if _given(question, answer):
            per_buurt.setdefault(buurt, []).append(answer)
    sizes = {key: len(rows) for key, rows in per_buurt.items()}
    shown = groups_shown(sizes, len(given))
    for key in sorted(shown, key=lambda k: names.get(k, "")):
        options, average = _counted(question, per_buurt[key])
        result.groups.append(Group(names.get(key, ""), sizes[key], options, average))
    result.answers_hidden = len(given) - sum(sizes[key] for key in shown)
    return result


def _given(question: Question, answer: Answer) -> bool:
    if question.kind == Question.Kind.OPEN:
        return bool(answer.text.strip())
    if question.kind in SCALES:
        return answer.scale is not None
    return bool(answer.choices)


def survey_results(*, survey: Survey) -> SurveyResults:
    """The results the board may see: nothing before the survey is closed (so results cannot be
    compared before and after one member answers) or with fewer than MIN_GROUP responses; per
    question only when at least MIN_GROUP answered it; per buurt only for buurten with at
    least MIN_GROUP answers (and never such that the hidden ones can be worked out)."""
    responses = survey.responses.count()
    closed = survey.status == Survey.Status.CLOSED
    shown = closed and responses >= MIN_GROUP
    by_buurt = survey.neighbourhood_id is None
    questions = survey_questions(survey=survey)
    if not shown:
        return SurveyResults(
            survey,
            responses,
            closed,
            False,
            by_buurt,
            [QuestionResult(question=q, answered=0, shown=False) for q in questions],
        )
    rows = (
        Answer.objects.filter(response__survey=survey)
        .values_list("question_id", "choices", "scale", "text", "response__neighbourhood_id")
        .order_by("question_id")
    )
    per_question: dict[int, list[tuple[Answer, int | None]]] = {q.pk: [] for q in questions}
    for question_id, choices, scale, text, buurt in rows:
        answer = Answer(question_id=question_id, choices=choices, scale=scale, text=text)
        per_question.setdefault(question_id, []).append((answer, buurt))
    names = dict(Neighbourhood.objects.values_list("pk", "name"))
    results = [_question_result(q, per_question[q.pk], names, by_buurt=by_buurt) for q in questions]
    return SurveyResults(survey, responses, closed, True, by_buurt, results)
