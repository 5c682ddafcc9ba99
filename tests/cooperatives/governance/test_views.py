"""The Bestuur en organen and Statuten pages: every member reads them, from the menu; the board
gives and ends seats, starts a project group and keeps the statutes' settings; refusals are
shown in the form and write nothing; alfa's changes leave beta as it was."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Body, Seat, Statutes
from cooperatives.governance.selectors import body_standing
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import MemberFactory
from tests.pages import audit, text
from tests.state import board_member

TODAY = timezone.localdate


def _day(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _body(coop, kind: str) -> Body:
    with schema_context(coop.schema):
        return body_standing(kind)


def test_every_member_reads_the_bodies_from_the_menu_and_only_the_board_manages(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    member = logged_in_client(alfa, member=piet)
    home = text(member.get("/"))
    assert 'href="/bestuur/"' in home and "Bestuur en organen" in home
    assert 'href="/bestuur/statuten/"' in home
    assert 'href="/bestuur/zetels/nieuw/"' not in home
    page = text(member.get("/bestuur/"))
    assert "Dagelijks bestuur" in page and "Anna Alfa" in page and "voorzitter" in page
    assert f"sinds {_day(TODAY())}" in page
    assert "Zetel toewijzen" not in page and "beëindigen" not in page
    assert "Bert Beta" not in page
    for path in ("/bestuur/zetels/nieuw/", "/bestuur/statuten/wijzigen/"):
        assert member.get(path).status_code == 403
    board = logged_in_client(alfa)
    board_home = text(board.get("/"))
    assert 'href="/bestuur/zetels/nieuw/"' in board_home
    assert 'href="/bestuur/statuten/wijzigen/"' in board_home
    assert "Zetel toewijzen" in text(board.get("/bestuur/"))


def test_the_board_assigns_a_seat_with_a_term_and_it_shows_with_its_history(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk", kind="organisation")
    general = _body(alfa, Body.Kind.GENERAL_BOARD)
    board = logged_in_client(alfa)
    with schema_context(alfa.schema):
        logged = AuditEntry.objects.filter(action="seat.assign").count()
    form = board.get(f"/bestuur/zetels/nieuw/?orgaan={general.pk}")
    found = audit(form.content.decode())
    assert all(f.get("id") in found.label_for for f in found.inputs)
    end = TODAY() + dt.timedelta(days=365)
    response = board.post(
        "/bestuur/zetels/nieuw/",
        {
            "member": piet.pk,
            "body": general.pk,
            "position": "member",
            "start": _day(TODAY()),
            "end": _day(end),
        },
    )
    assert response.status_code == 302, text(response)
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=piet)
        assert (seat.body_id, seat.position, seat.start, seat.end) == (
            general.pk,
            "member",
            TODAY(),
            end,
        )
        assert AuditEntry.objects.filter(action="seat.assign").count() == logged + 1
    page = text(board.get("/bestuur/"))
    assert "Piet Puk" in page and f"van {_day(TODAY())} tot {_day(end)}" in page
    history = text(board.get(f"/bestuur/organen/{general.pk}/"))
    assert "Piet Puk" in history and "loopt" in history
    log = text(board.get("/logboek/"))
    assert "Anna Alfa gaf Piet Puk een zetel als lid in algemeen bestuur" in log
    with schema_context(beta.schema):
        assert not Seat.objects.filter(body__kind=Body.Kind.GENERAL_BOARD).exists()


def test_a_taken_position_is_refused_in_the_form_and_nothing_is_written(alfa):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    executive = _body(alfa, Body.Kind.EXECUTIVE_BOARD)
    with schema_context(alfa.schema):
        logged = AuditEntry.objects.count()
    response = logged_in_client(alfa).post(
        "/bestuur/zetels/nieuw/",
        {"member": piet.pk, "body": executive.pk, "position": "chair", "start": _day(TODAY())},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Die functie is in die periode al bezet" in page
    assert 'href="#id_position"' in page
    with schema_context(alfa.schema):
        assert not Seat.objects.filter(member=piet).exists()
        assert AuditEntry.objects.count() == logged


def test_the_board_ends_a_term_and_the_rights_stop(alfa, beta):
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk", roles=["board_general"])
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=piet)
        seat.start = TODAY() - dt.timedelta(days=10)
        seat.save()
    piet_client = logged_in_client(alfa, member=piet)
    assert piet_client.get("/bestuur/zetels/nieuw/").status_code == 200
    board = logged_in_client(alfa)
    assert "Termijn van Piet Puk beëindigen" in text(board.get("/bestuur/"))
    response = board.post(f"/bestuur/zetels/{seat.pk}/beeindigen/", {"end": _day(TODAY())})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        assert Seat.objects.get(pk=seat.pk).end == TODAY()
    assert piet_client.get("/bestuur/zetels/nieuw/").status_code == 403
    told = text(board.get("/bestuur/"))
    assert "De termijn van Piet Puk in Algemeen bestuur is beëindigd." in told
    assert "Termijn van Piet Puk beëindigen" not in told
    assert "afgelopen" in text(board.get(f"/bestuur/organen/{seat.body_id}/"))
    # A seat of alfa is not found in beta.
    assert (
        logged_in_client(beta).get(f"/bestuur/zetels/{seat.pk + 1000}/beeindigen/").status_code
        == 404
    )


def test_the_board_starts_a_project_group_and_gives_it_seats(alfa, beta):
    board = logged_in_client(alfa)
    refused = board.post("/bestuur/projectgroepen/nieuw/", {"name": "  "})
    assert refused.status_code == 400 and "Geef de projectgroep een naam." in text(refused)
    response = board.post("/bestuur/projectgroepen/nieuw/", {"name": "Buurttuin Oudwijk"})
    with schema_context(alfa.schema):
        group = Body.objects.get(kind=Body.Kind.PROJECT_GROUP)
    assert response.status_code == 302
    assert response["Location"] == f"/bestuur/zetels/nieuw/?orgaan={group.pk}"
    assert "Buurttuin Oudwijk" in text(board.get("/bestuur/"))
    assert "richtte de projectgroep Buurttuin Oudwijk op" in text(board.get("/logboek/"))
    with schema_context(beta.schema):
        assert not Body.objects.filter(kind=Body.Kind.PROJECT_GROUP).exists()


STATUTES_FORM = {
    "convocation_days": "21",
    "quorum_percent": "10",
    "qualified_numerator": "2",
    "qualified_denominator": "3",
    "proxies_allowed": "1",
    "proxies_per_member": "2",
    "electronic_participation": "1",
    "electronic_voting": "1",
    "rules_decided_by": "alv",
    "agreements_decided_by": "general_board",
    "allowance_decided_by": "general_board",
    "network_decided_by": "executive_board",
}


def test_the_board_sets_the_statutes_and_every_member_reads_them(alfa, beta):
    board = logged_in_client(alfa)
    form = text(board.get("/bestuur/statuten/wijzigen/"))
    assert "2:38a" in form and "2:53a" in form
    found = audit(board.get("/bestuur/statuten/wijzigen/").content.decode())
    assert all(f.get("id") in found.label_for for f in found.inputs)
    response = board.post("/bestuur/statuten/wijzigen/", STATUTES_FORM)
    assert response.status_code == 302, text(response)
    with schema_context(alfa.schema):
        statutes = Statutes.objects.get()
        assert (statutes.convocation_days, statutes.rules_decided_by) == (21, "alv")
        assert statutes.electronic_voting is True
    piet = MemberFactory(schema=alfa.schema, name="Piet Puk")
    page = text(logged_in_client(alfa, member=piet).get("/bestuur/statuten/"))
    assert "21 dagen" in page and "de algemene ledenvergadering" in page
    assert "Instellingen van de statuten wijzigen" not in page
    log = text(board.get("/logboek/"))
    assert "Anna Alfa wijzigde de instellingen van de statuten" in log
    assert "van 14 naar 21" in log
    with schema_context(beta.schema):
        assert Statutes.objects.get().convocation_days == 14


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"electronic_participation": "0", "electronic_voting": "1"},
            "electronic_voting",
            "Elektronisch stemmen kan alleen als elektronisch deelnemen is toegestaan.",
        ),
        (
            {"qualified_numerator": "4", "qualified_denominator": "3"},
            "qualified_numerator",
            "De teller van de gekwalificeerde meerderheid is hoogstens de noemer.",
        ),
    ],
)
def test_statutes_refusals_show_in_the_form_and_change_nothing(alfa, change, field, message):
    response = logged_in_client(alfa).post(
        "/bestuur/statuten/wijzigen/", {**STATUTES_FORM, **change}
    )
    assert response.status_code == 400
    page = text(response)
    assert message in page and f'href="#id_{field}' in page
    with schema_context(alfa.schema):
        assert Statutes.objects.get().convocation_days == 14
        assert not AuditEntry.objects.filter(action="statutes.update").exists()


def test_the_pages_fit_a_phone_and_read_in_english(alfa):
    board = logged_in_client(alfa)
    board.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(board.get("/bestuur/"))
    assert '<html lang="en">' in page and "Boards and bodies" in page
    statutes = text(board.get("/bestuur/statuten/"))
    assert "Statutes" in statutes
    for path in ("/bestuur/", "/bestuur/statuten/", "/bestuur/zetels/nieuw/"):
        html = board.get(path).content.decode()
        assert 'name="viewport"' in html
    assert board_member(alfa).name == "Anna Alfa"


def test_the_last_board_seat_cannot_be_ended_from_the_bestuur_page(alfa, beta):
    founder = board_member(alfa)
    with schema_context(alfa.schema):
        seat = Seat.objects.get(member=founder)
        logged = AuditEntry.objects.count()
    board = logged_in_client(alfa)
    tomorrow = TODAY() + dt.timedelta(days=1)
    response = board.post(f"/bestuur/zetels/{seat.pk}/beeindigen/", {"end": _day(tomorrow)})
    assert response.status_code == 302  # a later end leaves time to seat someone else
    response = board.post(f"/bestuur/zetels/{seat.pk}/beeindigen/", {"end": _day(TODAY())})
    assert response.status_code == 400
    assert "Dit is het laatste bestuurslid of de laatste beheerder" in text(response)
    with schema_context(alfa.schema):
        assert Seat.objects.get(pk=seat.pk).end == tomorrow
        assert AuditEntry.objects.count() == logged + 1
    with schema_context(beta.schema):
        assert Seat.objects.get(member=board_member(beta)).end is None
