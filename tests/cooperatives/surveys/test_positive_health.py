"""Positieve Gezondheid: a round of six fixed 0-10 questions the board opens per period;
members answer by choice; the board and the network figures (group "wellbeing") see only
averages of groups of at least five answers, which name nobody."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.surveys import selectors, services
from cooperatives.surveys.figures import wellbeing_cells
from cooperatives.surveys.models import Answer, Participation, Question, Response, Survey
from cooperatives.surveys.positive_health import DIMENSION_KEYS
from tests.clients import logged_in_client
from tests.pages import text
from tests.state import count_rows


def stored(coop) -> tuple[int, int, int]:
    return (
        count_rows(coop, Participation),
        count_rows(coop, Response),
        count_rows(coop, Answer),
    )


def codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]


def open_round(coop, actor) -> Survey:
    with schema_context(coop.schema):
        survey = services.survey_positive_health_create(actor=actor)
        return services.survey_open(
            actor=actor, survey=survey, closes_on=timezone.localdate() + dt.timedelta(days=7)
        )


def scores(survey: Survey, **given: int) -> dict[str, int]:
    """Answers by dimension key (``meaning=7``), keyed by the questions' field names."""
    by_dimension = {q.dimension: q for q in survey.questions.all()}
    return {by_dimension[key].field_name: value for key, value in given.items()}


def answer_all(coop, survey: Survey, members, rows: list[dict[str, int]]) -> None:
    with schema_context(coop.schema):
        for member, row in zip(members, rows, strict=True):
            services.survey_answer(member=member, survey=survey, answers=scores(survey, **row))


def close(coop, actor, survey: Survey) -> Survey:
    with schema_context(coop.schema):
        return services.survey_close(actor=actor, survey=survey)


def month_of(survey: Survey) -> dt.date:
    assert survey.closes_on is not None
    return survey.closes_on.replace(day=1)


def test_a_round_has_six_fixed_optional_score_questions(alfa, beta, people):
    with schema_context(alfa.schema):
        survey = services.survey_positive_health_create(actor=people.board)
        questions = list(survey.questions.order_by("position"))
    assert survey.kind == Survey.Kind.POSITIVE_HEALTH
    assert [q.dimension for q in questions] == list(DIMENSION_KEYS)
    assert {q.kind for q in questions} == {Question.Kind.SCORE}
    assert not any(q.required for q in questions)
    assert questions[0].text.startswith("Lichaamsfuncties:")
    # The questions are fixed: none added, none removed, nothing written.
    with schema_context(alfa.schema):
        with pytest.raises(ValidationError) as added:
            services.survey_question_add(
                actor=people.board, survey=survey, kind="score", text="Hoe is het weer?"
            )
        with pytest.raises(ValidationError) as removed:
            services.survey_question_remove(actor=people.board, question=questions[0])
        assert survey.questions.count() == 6
    assert codes(added.value) == ["fixed_questions"]
    assert codes(removed.value) == ["fixed_questions"]
    assert count_rows(beta, Survey) == 0


def test_scores_run_from_0_to_10_and_an_empty_form_writes_nothing(alfa, beta, people, kit):
    survey = open_round(alfa, people.board)
    [piet] = kit.members(alfa, 1)
    with schema_context(alfa.schema):
        with pytest.raises(ValidationError) as too_high:
            services.survey_answer(member=piet, survey=survey, answers=scores(survey, meaning=11))
        with pytest.raises(ValidationError) as empty:
            services.survey_answer(member=piet, survey=survey, answers={})
    [field] = too_high.value.message_dict
    assert too_high.value.message_dict[field] == ["Kies een cijfer van 0 tot en met 10."]
    assert codes(empty.value) == ["nothing_answered"]
    assert stored(alfa) == (0, 0, 0)
    # Any question may be skipped; 0 is a score, not a blank.
    with schema_context(alfa.schema):
        services.survey_answer(
            member=piet, survey=survey, answers=scores(survey, meaning=0, participation=10)
        )
    assert stored(alfa) == (1, 1, 2)


def test_the_figures_are_the_averages_per_dimension_of_the_closed_round(alfa, beta, people, kit):
    survey = open_round(alfa, people.board)
    members = kit.members(alfa, 6)
    rows = [
        {"bodily_functions": 6, "mental_wellbeing": 7, "meaning": 8, "participation": 3},
        {"bodily_functions": 7, "mental_wellbeing": 7, "meaning": 8, "participation": 4},
        {"bodily_functions": 8, "mental_wellbeing": 8, "meaning": 9, "participation": 5},
        {"bodily_functions": 9, "mental_wellbeing": 8, "meaning": 9},
        {"bodily_functions": 10, "mental_wellbeing": 9, "meaning": 7, "quality_of_life": 5},
        {"bodily_functions": 0, "mental_wellbeing": 6, "quality_of_life": 6},
    ]
    answer_all(alfa, survey, members, rows)
    month = month_of(survey)
    # While the round is open nothing counts (no before-and-after of one answer).
    with schema_context(alfa.schema):
        assert wellbeing_cells(month=month) == []
    close(alfa, people.board, survey)
    with schema_context(alfa.schema):
        cells = {cell.dimension: cell for cell in wellbeing_cells(month=month)}
    assert list(cells) == list(DIMENSION_KEYS)
    assert {(c.group, c.metric, c.month, c.table) for c in cells.values()} == {
        ("wellbeing", "score", month, None)
    }
    got = {key: (cell.value, cell.count) for key, cell in cells.items()}
    assert got == {
        "bodily_functions": (Decimal("6.7"), 6),  # 40 / 6 = 6.67
        "mental_wellbeing": (Decimal("7.5"), 6),  # 45 / 6
        "meaning": (Decimal("8.2"), 5),  # 41 / 5
        # Fewer than five answers: the count says so, and the suppression rule hides them.
        "quality_of_life": (Decimal("5.5"), 2),
        "participation": (Decimal("4.0"), 3),
        "daily_functioning": (Decimal("0"), 0),
    }
    # Another month, and another cooperative, have no cells.
    with schema_context(alfa.schema):
        assert wellbeing_cells(month=(month - dt.timedelta(days=1)).replace(day=1)) == []
    with schema_context(beta.schema):
        assert wellbeing_cells(month=month) == []


def test_the_cells_name_nobody_whoever_answered(alfa, beta, people, kit):
    """The cells hold only the month, the group, the metric, the dimension, the average and the
    count; and the same answers from other members give the very same cells."""
    same = {"bodily_functions": 7, "meaning": 5, "participation": 8}
    first = open_round(alfa, people.board)
    first_members = kit.members(alfa, 5)
    answer_all(alfa, first, first_members, [same] * 5)
    close(alfa, people.board, first)
    second = open_round(beta, beta_board(beta))
    answer_all(beta, second, kit.members(beta, 5), [same] * 5)
    close(beta, beta_board(beta), second)
    with schema_context(alfa.schema):
        alfa_cells = wellbeing_cells(month=month_of(first))
    with schema_context(beta.schema):
        beta_cells = wellbeing_cells(month=month_of(second))
    assert alfa_cells == beta_cells
    for cell in alfa_cells:
        fields = dataclasses.asdict(cell)
        assert set(fields) == {"month", "group", "metric", "value", "count", "dimension", "table"}
        assert cell.dimension in DIMENSION_KEYS
        assert not any(m.name in repr(fields) for m in first_members)
    assert {c.count for c in alfa_cells} == {5, 0}


def beta_board(beta):
    from cooperatives.members.models import Member

    with schema_context(beta.schema):
        return Member.objects.get(email=beta.board_email)


def test_the_latest_round_of_the_month_counts(alfa, beta, people, kit):
    older = open_round(alfa, people.board)
    answer_all(alfa, older, kit.members(alfa, 5), [{"meaning": 2}] * 5)
    close(alfa, people.board, older)
    newer = open_round(alfa, people.board)
    answer_all(alfa, newer, kit.members(alfa, 5), [{"meaning": 9}] * 5)
    close(alfa, people.board, newer)
    month = dt.date(2026, 11, 1)
    with schema_context(alfa.schema):
        # Crafted periods: both rounds ended in November, the newer one later.
        Survey.objects.filter(pk=older.pk).update(closes_on=dt.date(2026, 11, 10))
        Survey.objects.filter(pk=newer.pk).update(closes_on=dt.date(2026, 11, 24))
        [meaning] = [c for c in wellbeing_cells(month=month) if c.dimension == "meaning"]
    assert (meaning.value, meaning.count) == (Decimal("9.0"), 5)


def test_the_wellbeing_group_is_registered_for_the_nightly_figures():
    from cooperatives.figures.registry import figure_group_computer

    assert figure_group_computer("wellbeing") is wellbeing_cells


def test_the_board_starts_a_round_members_answer_on_the_page_and_results_show(
    alfa, beta, people, kit
):
    board = logged_in_client(alfa)
    assert "/peilingen/beheer/positieve-gezondheid/" in text(board.get("/peilingen/beheer/"))
    form = text(board.get("/peilingen/beheer/positieve-gezondheid/"))
    assert "Zingeving: hoe zinvol vindt u uw leven?" in form
    created = board.post("/peilingen/beheer/positieve-gezondheid/", {"closes_on": ""})
    assert created.status_code == 302
    with schema_context(alfa.schema):
        survey = Survey.objects.get(kind=Survey.Kind.POSITIVE_HEALTH)
    manage = text(board.get(f"/peilingen/beheer/{survey.pk}/"))
    assert "Vraag toevoegen" not in manage and "liggen vast" in manage
    closes = (timezone.localdate() + dt.timedelta(days=7)).strftime("%d-%m-%Y")
    assert board.post(manage_url(survey), {"step": "open", "closes_on": closes}).status_code == 302
    members = kit.members(alfa, 5)
    with schema_context(alfa.schema):
        survey.refresh_from_db()
        questions = selectors.survey_questions(survey=survey)
    for number, member in enumerate(members):
        client = logged_in_client(alfa, member=member)
        page = text(client.get(f"/peilingen/{survey.pk}/"))
        assert "10 – heel goed" in page and "0 – heel slecht" in page
        answered = client.post(f"/peilingen/{survey.pk}/", {questions[2].field_name: 6 + number})
        assert answered.status_code == 302
    assert board.post(manage_url(survey), {"step": "close"}).status_code == 302
    results = text(board.get(f"/peilingen/beheer/{survey.pk}/uitslag/"))
    assert "Gemiddeld 8.0 (van 0 tot 10)." in results or "Gemiddeld 8,0 (van 0 tot 10)." in results
    assert "Minder dan 5 antwoorden op deze vraag: niet getoond." in results


def manage_url(survey: Survey) -> str:
    return f"/peilingen/beheer/{survey.pk}/"


def test_the_round_speaks_english_too(alfa, beta, people):
    board = logged_in_client(alfa)
    board.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(board.get("/peilingen/beheer/positieve-gezondheid/"))
    assert "New round of Positive Health" in page
    assert "Meaningfulness: how meaningful is your life to you?" in page
