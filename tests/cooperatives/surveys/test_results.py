"""The results the board sees: nothing before the survey closes, nothing of fewer than five
answers, a breakdown only by buurten with five or more (and never such that the hidden ones can
be worked out), open answers only from five, without names, in random order."""

import re

from django_tenants.utils import schema_context

from cooperatives.surveys import selectors, services
from cooperatives.surveys.models import Response
from tests.clients import logged_in_client
from tests.factories import NeighbourhoodFactory
from tests.pages import text


def read(response) -> str:
    """The page's words as a person reads them: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split()).replace(" :", ":")


def answered(coop, made, kit, n, *, neighbourhood=None, **given):
    people = kit.members(coop, n, neighbourhood=neighbourhood)
    with schema_context(coop.schema):
        for member in people:
            services.survey_answer(
                member=member, survey=made.survey, answers=kit.answers(made, **given)
            )
    return people


def close(coop, made, actor):
    with schema_context(coop.schema):
        services.survey_close(actor=actor, survey=made.survey)
        return selectors.survey_results(survey=selectors.survey_get(pk=made.survey.pk))


def test_results_are_hidden_under_five_answers_and_shown_from_five(alfa, beta, people, kit):
    four, five = kit.survey(alfa, people.board), kit.survey(alfa, people.board)
    answered(alfa, four, kit, 4, choice=0)
    answered(alfa, five, kit, 5, choice=0)

    hidden = close(alfa, four, people.board)
    assert (hidden.closed, hidden.shown) == (True, False)
    assert all(not q.shown and not q.options for q in hidden.questions)
    page = read(logged_in_client(alfa).get(f"/peilingen/beheer/{four.survey.pk}/uitslag/"))
    assert "Er zijn minder dan 5 antwoorden. De uitslag wordt daarom niet getoond." in page
    assert "Ja: " not in page

    shown = close(alfa, five, people.board)
    single, multiple, scale, open_q = shown.questions
    assert shown.shown and single.shown and scale.shown
    assert [(o.label, o.count, o.percent) for o in single.options] == [
        ("Ja", 5, 100),
        ("Nee", 0, 0),
        ("Weet ik niet", 0, 0),
    ]
    assert scale.average == 4
    # Nobody chose a kind of klus or wrote anything: fewer than five answers there, not shown.
    assert (multiple.shown, open_q.shown) == (False, False)
    page = read(logged_in_client(alfa).get(f"/peilingen/beheer/{five.survey.pk}/uitslag/"))
    assert "Ja: 5 (100%)" in page
    assert "Minder dan 5 antwoorden op deze vraag: niet getoond." in page


def test_nothing_is_shown_while_the_survey_is_open(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    answered(alfa, made, kit, 6)
    with schema_context(alfa.schema):
        results = selectors.survey_results(survey=made.survey)
    assert (results.responses, results.closed, results.shown) == (6, False, False)
    page = read(logged_in_client(alfa).get(f"/peilingen/beheer/{made.survey.pk}/uitslag/"))
    assert "De uitslag verschijnt als de peiling gesloten is." in page


def test_the_breakdown_by_buurt_shows_only_buurten_with_five_answers(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    lanen = NeighbourhoodFactory(schema=alfa.schema, name="Lanen", postcodes=["3583"])
    hof = NeighbourhoodFactory(schema=alfa.schema, name="Hof", postcodes=["3584"])
    answered(alfa, made, kit, 6, neighbourhood=people.oudwijk, choice=0)
    answered(alfa, made, kit, 6, neighbourhood=people.abstede, choice=1)
    answered(alfa, made, kit, 2, neighbourhood=lanen, choice=2)
    answered(alfa, made, kit, 3, neighbourhood=hof, choice=2)
    results = close(alfa, made, people.board)
    single = results.questions[0]
    assert [(o.label, o.count) for o in single.options] == [
        ("Ja", 6),
        ("Nee", 6),
        ("Weet ik niet", 5),
    ]
    assert [(g.name, g.answered, [o.count for o in g.options]) for g in single.groups] == [
        ("Abstede", 6, [0, 6, 0]),
        ("Oudwijk", 6, [6, 0, 0]),
    ]
    assert single.answers_hidden == 5
    page = read(logged_in_client(alfa).get(f"/peilingen/beheer/{made.survey.pk}/uitslag/"))
    assert "5 antwoorden uit kleine buurten of zonder buurt zijn niet per buurt getoond" in page
    assert "Lanen" not in page and "Hof" not in page
    # In the database too: the small buurten's responses no longer say where they came from.
    with schema_context(alfa.schema):
        where = sorted(
            str(n)
            for n in Response.objects.filter(survey=made.survey).values_list(
                "neighbourhood_id", flat=True
            )
        )
    assert where.count("None") == 5
    assert str(lanen.pk) not in where and str(hof.pk) not in where


def test_a_small_buurt_cannot_be_worked_out_from_the_total(alfa, beta, people, kit):
    """6 in Oudwijk, 5 in Abstede and 2 elsewhere: showing both big buurten would give the 2
    away (total minus both), so the smaller of them is hidden as well."""
    made = kit.survey(alfa, people.board)
    answered(alfa, made, kit, 6, neighbourhood=people.oudwijk, choice=0)
    answered(alfa, made, kit, 5, neighbourhood=people.abstede, choice=1)
    answered(alfa, made, kit, 2, choice=2)
    single = close(alfa, made, people.board).questions[0]
    assert [g.name for g in single.groups] == ["Oudwijk"]
    assert single.answers_hidden == 7


def test_open_answers_from_five_without_names_in_random_order(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    writers = []
    for n in range(6):
        writers += answered(alfa, made, kit, 1, text=f"Idee nummer {n}")
    results = close(alfa, made, people.board)
    open_q = results.questions[3]
    assert open_q.shown
    assert sorted(open_q.texts) == [f"Idee nummer {n}" for n in range(6)]
    orders = set()
    with schema_context(alfa.schema):
        survey = selectors.survey_get(pk=made.survey.pk)
        for _ in range(20):
            orders.add(tuple(selectors.survey_results(survey=survey).questions[3].texts))
    assert len(orders) > 1
    page = read(logged_in_client(alfa).get(f"/peilingen/beheer/{made.survey.pk}/uitslag/"))
    assert "Idee nummer 3" in page
    assert not any(member.name in page for member in writers)
