"""The survey API: the board makes and opens a survey, a member answers once (a second answer
is a structured refusal), the coordinator enters paper answers, and the results endpoint keeps
the same rule as the page (closed, and groups of at least five)."""

import datetime as dt

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.surveys import services
from cooperatives.surveys.models import Answer, Participation, Response
from tests.clients import error_codes, logged_in_client, post_json
from tests.factories import MemberFactory
from tests.state import count_rows


def test_the_board_makes_and_opens_a_survey_through_the_api(alfa, beta, people):
    board = logged_in_client(alfa)
    made = post_json(board, "/api/v1/surveys/", {"title": "Boodschappendienst?"})
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["status"] == "draft"
    empty = post_json(board, f"/api/v1/surveys/{pk}/open/", {})
    assert empty.status_code == 400
    assert error_codes(empty) == [("closes_on", "required")]
    question = post_json(
        board,
        f"/api/v1/surveys/{pk}/questions/",
        {"kind": "single", "text": "Zou u het gebruiken?", "options": ["Ja", "Nee"]},
    )
    assert question.status_code == 201
    wrong = post_json(board, f"/api/v1/surveys/{pk}/questions/", {"kind": "vrij", "text": "x"})
    assert error_codes(wrong) == [("kind", "invalid_choice")]
    closes = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    opened = post_json(board, f"/api/v1/surveys/{pk}/open/", {"closes_on": closes})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    # The board lists every survey, drafts and closed ones too; a member only the open ones.
    draft = post_json(board, "/api/v1/surveys/", {"title": "Nog een concept"}).json()["id"]
    everything = board.get("/api/v1/surveys/?all=1").json()["results"]
    assert {s["id"] for s in everything} >= {pk, draft}
    # An ordinary member may not make surveys.
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert post_json(member, "/api/v1/surveys/", {"title": "Ik ook"}).status_code == 403
    assert [s["id"] for s in member.get("/api/v1/surveys/?all=1").json()["results"]] == [pk]
    assert count_rows(beta, Participation) == 0


def test_a_member_answers_once_and_a_second_answer_is_a_structured_refusal(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    member = MemberFactory(schema=alfa.schema)
    client = logged_in_client(alfa, member=member)
    listed = client.get("/api/v1/surveys/").json()["results"]
    assert [(s["id"], s["answered"]) for s in listed] == [(made.survey.pk, False)]
    single, multiple, scale, open_q = made.questions
    body = {
        "answers": [
            {"question": single.pk, "choices": [2]},
            {"question": multiple.pk, "choices": [0, 1]},
            {"question": scale.pk, "scale": 3},
            {"question": open_q.pk, "text": "Graag op zaterdag"},
        ]
    }
    assert post_json(client, f"/api/v1/surveys/{made.survey.pk}/answers/", body).status_code == 204
    again = post_json(client, f"/api/v1/surveys/{made.survey.pk}/answers/", body)
    assert again.status_code == 400
    assert error_codes(again) == [("member", "already_answered")]
    assert (
        count_rows(alfa, Participation),
        count_rows(alfa, Response),
        count_rows(alfa, Answer),
    ) == (
        1,
        1,
        4,
    )
    assert client.get("/api/v1/surveys/").json()["results"][0]["answered"] is True
    bad_scale = post_json(
        logged_in_client(alfa, member=MemberFactory(schema=alfa.schema)),
        f"/api/v1/surveys/{made.survey.pk}/answers/",
        {"answers": [{"question": single.pk, "choices": [0]}, {"question": scale.pk, "scale": 9}]},
    )
    assert error_codes(bad_scale) == [(scale.field_name, "invalid_scale")]
    assert count_rows(alfa, Participation) == 1


def test_the_coordinator_enters_paper_answers_through_the_api(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    greet = MemberFactory(schema=alfa.schema, email="")
    client = logged_in_client(alfa, member=people.coordinator)
    single, _multiple, scale, _open = made.questions
    body = {
        "member": greet.pk,
        "answers": [{"question": single.pk, "choices": [0]}, {"question": scale.pk, "scale": 2}],
    }
    path = f"/api/v1/surveys/{made.survey.pk}/paper-answers/"
    assert post_json(client, path, body).status_code == 204
    assert error_codes(post_json(client, path, body)) == [("member", "already_answered")]
    with schema_context(alfa.schema):
        assert list(Participation.objects.values_list("member_id", "channel")) == [
            (greet.pk, "paper")
        ]
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert post_json(member, path, body).status_code == 403


def test_the_results_endpoint_applies_the_rule_of_five(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    respondents = kit.members(alfa, 4)
    with schema_context(alfa.schema):
        for member in respondents:
            services.survey_answer(member=member, survey=made.survey, answers=kit.answers(made))
    board = logged_in_client(alfa)
    path = f"/api/v1/surveys/{made.survey.pk}/results/"
    open_results = board.get(path).json()
    assert (open_results["closed"], open_results["shown"]) == (False, False)
    with schema_context(alfa.schema):
        services.survey_close(actor=people.board, survey=made.survey)
    four = board.get(path).json()
    assert (four["responses"], four["shown"]) == (4, False)
    assert all(q["options"] == [] and not q["shown"] for q in four["questions"])
    # A member may not read results.
    member = logged_in_client(alfa, member=respondents[0])
    assert member.get(path).status_code == 403

    five = kit.survey(alfa, people.board)
    with schema_context(alfa.schema):
        for member in kit.members(alfa, 5):
            services.survey_answer(member=member, survey=five.survey, answers=kit.answers(five))
        services.survey_close(actor=people.board, survey=five.survey)
    shown = board.get(f"/api/v1/surveys/{five.survey.pk}/results/").json()
    assert shown["shown"] is True
    single = shown["questions"][0]
    assert [(o["label"], o["count"]) for o in single["options"]] == [
        ("Ja", 5),
        ("Nee", 0),
        ("Weet ik niet", 0),
    ]
