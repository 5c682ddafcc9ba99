"""The survey pages: the board makes and opens a survey by clicking, members are mailed a link
to the answer page and answer there once, the coordinator prints the paper form and enters
paper answers; another cooperative's members cannot answer."""

import datetime as dt

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.surveys import services
from cooperatives.surveys.models import Answer, Participation, Response, Survey
from shared.tenancy.urls import cooperative_url
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory
from tests.pages import text
from tests.state import count_rows


def test_the_board_makes_and_opens_a_survey_and_members_get_the_link(
    alfa, beta, people, kit, django_capture_on_commit_callbacks
):
    with_mail = MemberFactory(schema=alfa.schema, name="Mila Mail", email="mila@alfa.example.nl")
    MemberFactory(schema=alfa.schema, name="Paul Papier", email="")
    MemberFactory(schema=beta.schema, name="Bea Beta", email="bea@beta.example.nl")
    board = logged_in_client(alfa)
    menu = text(board.get("/"))
    assert 'href="/peilingen/beheer/"' in menu
    created = board.post("/peilingen/beheer/nieuw/", {"title": "Tuinhulp in de buurt?"})
    assert created.status_code == 302
    with schema_context(alfa.schema):
        survey = Survey.objects.get(title="Tuinhulp in de buurt?")
    page = f"/peilingen/beheer/{survey.pk}/"
    assert created["Location"] == page
    added = board.post(
        page,
        {
            "step": "question",
            "kind": "single",
            "text": "Zoekt u hulp in de tuin?",
            "options": "Ja\nNee",
            "required": "on",
        },
    )
    assert added.status_code == 302
    mail.outbox.clear()
    closes = (timezone.localdate() + dt.timedelta(days=10)).strftime("%d-%m-%Y")
    with django_capture_on_commit_callbacks(execute=True):
        opened = board.post(page, {"step": "open", "closes_on": closes})
    assert opened.status_code == 302
    with schema_context(alfa.schema):
        survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    to = sorted(address for m in mail.outbox for address in m.to)
    assert "mila@alfa.example.nl" in to and "bea@beta.example.nl" not in to
    assert len(to) == len(set(to))
    [sent] = [m for m in mail.outbox if m.to == [with_mail.email]]
    link = cooperative_url(slug="alfa", path=f"/peilingen/{survey.pk}/")
    assert f"Beantwoord de vragen:\n    {link}" in sent.body
    assert client_for(alfa.host).get(link.split(alfa.host, 1)[1]).status_code == 302  # login first
    assert "Tuinhulp in de buurt?" in sent.subject
    # Sent once: a task delivered twice mails nobody again.
    mail.outbox.clear()
    with schema_context(alfa.schema):
        assert services.survey_invite_send(survey_id=survey.pk) == 0
    assert mail.outbox == []


def test_a_member_answers_once_on_the_page_linked_from_the_menu(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    member = MemberFactory(schema=alfa.schema, name="Piet Puk")
    client = logged_in_client(alfa, member=member)
    home = text(client.get("/"))
    assert 'href="/peilingen/"' in home and f'href="/peilingen/{made.survey.pk}/"' in home
    page = f"/peilingen/{made.survey.pk}/"
    form = text(client.get(page))
    single, multiple, scale, open_q = made.questions
    for question in made.questions:
        assert question.text in form
    assert f"<legend>1. {single.text}</legend>" in form
    refused = client.post(page, {multiple.field_name: ["0"]})
    assert refused.status_code == 400
    assert "Beantwoord deze vraag." in text(refused)
    assert count_rows(alfa, Participation) == 0
    done = client.post(
        page,
        {
            single.field_name: "1",
            multiple.field_name: ["0", "2"],
            scale.field_name: "5",
            open_q.field_name: "Fijn idee",
        },
    )
    assert done.status_code == 302
    after = text(client.get(page))
    assert (
        "U heeft deze peiling beantwoord." in after
        and '<form method="post" novalidate>' not in after
    )
    again = client.post(page, {single.field_name: "0", scale.field_name: "1"})
    assert again.status_code == 200
    assert (
        count_rows(alfa, Participation),
        count_rows(alfa, Response),
        count_rows(alfa, Answer),
    ) == (1, 1, 4)
    # Answered: no longer waiting on the home page.
    assert f'href="/peilingen/{made.survey.pk}/"' not in text(client.get("/"))


def test_the_other_cooperatives_members_cannot_answer(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    outsider = MemberFactory(schema=beta.schema, name="Bea Beta")
    # Logged in at beta, Bea's session means nothing on alfa's site.
    client = logged_in_client(beta, member=outsider)
    single = made.questions[0]
    page = client.post(
        f"/peilingen/{made.survey.pk}/", {single.field_name: "0"}, HTTP_HOST=alfa.host
    )
    api = client.post(
        f"/api/v1/surveys/{made.survey.pk}/answers/",
        {"answers": [{"question": single.pk, "choices": [0]}]},
        content_type="application/json",
        HTTP_HOST=alfa.host,
    )
    assert page.status_code == 302 and page["Location"].startswith("/inloggen/")
    assert api.status_code == 403
    # On their own cooperative's site, alfa's survey does not exist.
    own = logged_in_client(beta, member=outsider)
    assert own.get(f"/peilingen/{made.survey.pk}/").status_code == 404
    assert made.survey.title not in text(own.get("/peilingen/"))
    assert count_rows(alfa, Participation) == count_rows(beta, Participation) == 0


def test_the_coordinator_prints_the_form_and_enters_paper_answers(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    on_paper = MemberFactory(schema=alfa.schema, name="Greet Grootmoeder", email="")
    client = logged_in_client(alfa, member=people.coordinator)
    assert 'href="/peilingen/papier/"' in text(client.get("/"))
    listing = text(client.get("/peilingen/papier/"))
    assert f'href="/peilingen/{made.survey.pk}/formulier.pdf"' in listing
    pdf = client.get(f"/peilingen/{made.survey.pk}/formulier.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"DejaVuSans" in pdf.content
    single, _multiple, scale, _open = made.questions
    page = f"/peilingen/{made.survey.pk}/papier/"
    option = f'<option value="{on_paper.pk}">Greet Grootmoeder</option>'
    before = text(client.get(page))
    assert option in before
    # Greet has no email: she is listed as one to bring the form to.
    assert "<li>Greet Grootmoeder</li>" in before
    entered = client.post(
        page, {"member": on_paper.pk, single.field_name: "2", scale.field_name: "3"}
    )
    assert entered.status_code == 302
    # Counted once: Greet is no longer offered, and entering her again is refused.
    assert option not in text(client.get(page))
    again = client.post(
        page, {"member": on_paper.pk, single.field_name: "0", scale.field_name: "1"}
    )
    assert again.status_code == 400
    with schema_context(alfa.schema):
        assert list(Participation.objects.values_list("member_id", "channel")) == [
            (on_paper.pk, "paper")
        ]
    assert count_rows(alfa, Response) == 1
    # An ordinary member cannot enter answers for someone else.
    member = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert member.get(page).status_code == 403


def test_the_pages_speak_english_too(alfa, beta, people, kit):
    made = kit.survey(alfa, people.board)
    member = MemberFactory(schema=alfa.schema, name="Emma English")
    client = logged_in_client(alfa, member=member)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(f"/peilingen/{made.survey.pk}/"))
    assert '<html lang="en">' in page and "Send my answers" in page
