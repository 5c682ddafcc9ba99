"""What was answered is never linked to who answered, in the tables themselves: the answers
have no member, no user, no time and no sequential id; the register of who answered names no
response; closing writes every response anew with new keys."""

from django.db import connection
from django_tenants.utils import schema_context

from cooperatives.surveys import services
from cooperatives.surveys.models import Answer, Participation, Response
from tests.clients import logged_in_client


def columns(schema: str, table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return dict(cursor.fetchall())


def foreign_keys(schema: str, table: str) -> set[str]:
    """The tables ``table`` refers to."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ccu.table_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu "
            "  ON tc.constraint_name = ccu.constraint_name AND tc.table_schema = ccu.table_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' "
            "  AND tc.table_schema = %s AND tc.table_name = %s",
            [schema, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_answers_tables_have_no_link_to_members(alfa, beta, people, kit):
    for coop in (alfa, beta):
        response, answer = (
            columns(coop.schema, Response._meta.db_table),
            columns(coop.schema, Answer._meta.db_table),
        )
        assert response == {"id": "uuid", "survey_id": "bigint", "neighbourhood_id": "bigint"}
        assert answer == {
            "id": "uuid",
            "response_id": "uuid",
            "question_id": "bigint",
            "choices": "ARRAY",
            "scale": "smallint",
            "text": "text",
        }
        assert foreign_keys(coop.schema, Response._meta.db_table) == {
            "surveys_survey",
            "cooperatives_neighbourhood",
        }
        assert foreign_keys(coop.schema, Answer._meta.db_table) == {
            "surveys_response",
            "surveys_question",
        }
        # The register names the member and the survey, never a response.
        assert foreign_keys(coop.schema, Participation._meta.db_table) == {
            "surveys_survey",
            "cooperatives_member",
        }
        assert "response_id" not in columns(coop.schema, Participation._meta.db_table)


def test_rows_name_nobody_and_closing_writes_them_anew(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    respondents = kit.members(alfa, 5)
    with schema_context(alfa.schema):
        for member in respondents:
            services.survey_answer(
                member=member, survey=made.survey, answers=kit.answers(made, text=member.name)
            )
        before = set(Response.objects.values_list("id", flat=True))
        register = set(Participation.objects.values_list("member_id", flat=True))
        stored = [
            tuple(str(v) for v in row)
            for row in Answer.objects.values_list(
                "id", "response_id", "question_id", "choices", "scale"
            )
        ]
        services.survey_close(actor=people.board, survey=made.survey)
        after = set(Response.objects.values_list("id", flat=True))
        texts = sorted(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert register == {m.pk for m in respondents}
    # No stored value of a response is a member's id or a user's id.
    member_ids = {str(m.pk) for m in respondents} | {str(m.user_id) for m in respondents}
    assert not any(value in member_ids for row in stored for value in row[:2])
    assert before.isdisjoint(after) and len(after) == 5
    assert texts == sorted(m.name for m in respondents)


def test_the_board_sees_no_name_next_to_an_answer(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    respondents = kit.members(alfa, 5)
    with schema_context(alfa.schema):
        for member in respondents:
            services.survey_answer(
                member=member, survey=made.survey, answers=kit.answers(made, text="Graag!")
            )
        services.survey_close(actor=people.board, survey=made.survey)
    board = logged_in_client(alfa)
    for path in (
        f"/peilingen/beheer/{made.survey.pk}/",
        f"/peilingen/beheer/{made.survey.pk}/uitslag/",
        f"/api/v1/surveys/{made.survey.pk}/results/",
    ):
        body = board.get(path).content.decode()
        assert not any(m.name in body or m.email in body for m in respondents), path
