"""Member pages on the subdomain: who may open which page (a matrix of roles), the buurt
scope of a neighbourhood assistant, isolation between cooperatives, bad input that changes
nothing, intake by phone, roles, erasure, a member's own data, and a member list that stays
fast with 5,000 members."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cooperatives.members.models import Member, RoleAssignment
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from shared.audit.models import AuditEntry
from tests.clients import client_as, client_for, logged_in_client
from tests.factories import CAST_ROLES, PASSWORD, with_password
from tests.pages import audit
from tests.state import member_snapshot

# --- who may open which page ------------------------------------------------------------------

PAGE_MATRIX = {
    # page: statuses for CAST_ROLES in order
    "list": [403, 403, 200, 200, 200, 200, 403],
    "detail": [403, 403, 200, 404, 200, 200, 403],
    "edit": [403, 403, 200, 404, 200, 403, 403],
    "roles": [403, 403, 403, 403, 403, 200, 403],
    "register": [403, 403, 200, 200, 200, 403, 403],
    "erase": [403, 403, 403, 403, 403, 200, 403],
    "my-data": [200] * 7,
    "my-data-edit": [200] * 7,
    "my-data-export": [200] * 7,
    "my-data-leave": [200] * 7,
}


def page_path(page: str, pk: int) -> str:
    return {
        "list": "/leden/",
        "detail": f"/leden/{pk}/",
        "edit": f"/leden/{pk}/bewerken/",
        "roles": f"/leden/{pk}/rollen/",
        "register": "/leden/nieuw/",
        "erase": f"/leden/{pk}/wissen/",
        "my-data": "/mijn-gegevens/",
        "my-data-edit": "/mijn-gegevens/bewerken/",
        "my-data-export": "/mijn-gegevens/export/",
        "my-data-leave": "/mijn-gegevens/opzeggen/",
    }[page]


@pytest.mark.parametrize("page", sorted(PAGE_MATRIX))
@pytest.mark.parametrize("role", CAST_ROLES)
def test_page_matrix(alfa, cast, page, role):
    """Each role opens the pages it may (Piet lives in Oudwijk, assistant_other assists
    Abstede: his record does not exist for them)."""
    response = client_as(alfa, cast, role).get(page_path(page, cast.piet.pk))
    assert response.status_code == PAGE_MATRIX[page][CAST_ROLES.index(role)]
    if response.status_code == 403:
        assert "U heeft hier geen toegang toe" in response.content.decode()
        assert "Piet Puk" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("coordinator", "list"),
        ("coordinator", "detail"),
        ("coordinator", "edit"),
        ("board", "roles"),
        ("coordinator", "register"),
        ("board", "erase"),
        ("member", "my-data"),
        ("member", "my-data-edit"),
        ("member", "my-data-leave"),
    ],
)
def test_pages_are_dutch_labelled_and_fit_a_phone(alfa, cast, role, page):
    html = client_as(alfa, cast, role).get(page_path(page, cast.piet.pk)).content.decode()
    found = audit(html)
    assert found.html_lang == "nl" and found.has_skip_link and 'name="viewport"' in html
    for field in found.inputs:
        assert field.get("id") in found.label_for, f"field without a label: {field}"
    if '<form method="post"' in html:
        assert "csrfmiddlewaretoken" in html


@pytest.mark.parametrize("page", sorted(PAGE_MATRIX))
def test_pages_ask_to_log_in_first(alfa, cast, page):
    path = page_path(page, cast.piet.pk)
    response = client_for(alfa.host).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")


@pytest.mark.parametrize(
    ("role", "path", "data"),
    [
        ("member", "bewerken", {"name": "Gekaapt", "phone": "0600000000"}),
        ("board", "bewerken", {"name": "Gekaapt", "phone": "0600000000"}),
        ("assistant_other", "bewerken", {"name": "Gekaapt", "phone": "0600000000"}),
        ("coordinator", "rollen", {"roles": ["administrator"]}),
        ("assistant", "rollen", {"roles": ["administrator"]}),
        ("coordinator", "wissen", {}),
        ("audit", "wissen", {}),
    ],
)
def test_refused_changes_change_nothing(alfa, cast, role, path, data):
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = client_as(alfa, cast, role).post(f"/leden/{cast.piet.pk}/{path}/", data)
    assert response.status_code == (404 if role == "assistant_other" else 403)
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


def test_register_refused_for_a_volunteer_creates_nothing(alfa, cast):
    with schema_context(alfa.schema):
        count = Member.objects.count()
    response = client_as(alfa, cast, "volunteer").post(
        "/leden/nieuw/", {"name": "Nieuw", "phone": "030", "accept_privacy": "on"}
    )
    assert response.status_code == 403
    with schema_context(alfa.schema):
        assert Member.objects.count() == count


# --- isolation: another cooperative's id is not found -----------------------------------------


@pytest.mark.parametrize(
    ("role", "path"),
    [("coordinator", ""), ("coordinator", "bewerken/"), ("board", "rollen/"), ("board", "wissen/")],
)
def test_an_id_of_beta_sent_to_alfa_is_not_found_and_changes_nothing(alfa, beta, cast, role, path):
    """The viewer has the right to do this in alfa; beta's member simply does not exist there."""
    before = member_snapshot(beta.schema, cast.bea.pk)
    client = client_as(alfa, cast, role)
    url = f"/leden/{cast.bea.pk}/{path}"
    assert client.get(url).status_code == 404
    if path:  # the record itself is only read
        assert client.post(url, {"name": "Gekaapt", "roles": ["coordinator"]}).status_code == 404
    assert member_snapshot(beta.schema, cast.bea.pk) == before


def test_member_list_of_alfa_never_shows_beta(alfa, cast):
    html = client_as(alfa, cast, "coordinator").get("/leden/?status=alle").content.decode()
    assert "Piet Puk" in html and "Bea Beta" not in html


# --- the member list ----------------------------------------------------------------------------


def test_member_list_shows_name_buurt_and_roles(alfa, cast):
    html = client_as(alfa, cast, "coordinator").get("/leden/").content.decode()
    # The cast, Piet, Wim and the founder; not Bea of beta.
    assert "10 leden gevonden" in html
    assert "Anna Alfa</a>" in html and "voorzitter" in html
    assert "assistant lid</a>" in html and "buurtassistent" in html
    assert "board lid</a>" in html and "penningmeester" in html
    assert "Abstede" in html and "Oudwijk" in html


def test_assistant_sees_only_members_of_their_own_buurt(alfa, cast):
    html = client_as(alfa, cast, "assistant").get("/leden/").content.decode()
    assert "Piet Puk" in html and "Wim West" not in html
    other = client_as(alfa, cast, "assistant_other").get("/leden/").content.decode()
    assert "Wim West" in other and "Piet Puk" not in other
    # Filtering on the other buurt does not widen the view.
    url = f"/leden/?buurt={cast.abstede.pk}"
    assert "Wim West" not in client_as(alfa, cast, "assistant").get(url).content.decode()
    # Only their own buurt is offered as a filter.
    assert f'value="{cast.abstede.pk}"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoek=piet", ["Piet Puk"]),
        ("zoek=PIET%40alfa", ["Piet Puk"]),
        ("zoek=oudwijk", ["Piet Puk"]),
        ("zoek=3581+ab", ["Piet Puk"]),
        ("zoek=3582", ["Wim West"]),
        ("rol=coordinator", ["coordinator lid"]),
        ("rol=neighbourhood_assistant", ["assistant lid", "assistant_other lid"]),
        ("buurt={abstede}", ["Wim West", "assistant_other lid"]),
    ],
)
def test_member_list_search_and_filters(alfa, cast, query, expected):
    response = client_as(alfa, cast, "coordinator").get(
        "/leden/?" + query.format(abstede=cast.abstede.pk)
    )
    names = [m.name for m in response.context["page"]]
    assert sorted(names) == sorted(expected)


def test_member_list_is_paginated_and_keeps_the_filters(alfa, cast):
    with schema_context(alfa.schema):
        Member.objects.bulk_create(
            [Member(name=f"Zoekbaar {i:03d}", neighbourhood=cast.oudwijk) for i in range(120)]
        )
    client = client_as(alfa, cast, "coordinator")
    first = client.get("/leden/?zoek=zoekbaar")
    assert len(first.context["page"]) == 50
    html = first.content.decode()
    assert "120 leden gevonden" in html and "Pagina 1 van 3" in html
    assert 'href="?zoek=zoekbaar&amp;pagina=2"' in html
    last = client.get("/leden/?zoek=zoekbaar&pagina=3")
    assert next(iter(last.context["page"])).name == "Zoekbaar 100"
    assert len(last.context["page"]) == 20


def test_member_list_stays_at_the_same_number_of_queries_with_5000_members(
    alfa, cast, django_assert_max_num_queries
):
    """The page does the same queries for 50 members as for 5,000: the buurt and the roles
    of each row are loaded up front, never per row."""

    def bulk(start: int, count: int) -> None:
        with schema_context(alfa.schema):
            made = Member.objects.bulk_create(
                [
                    Member(
                        name=f"Bulk {i:05d}",
                        email=f"bulk{i}@alfa.example.nl",
                        postcode="3581AA" if i % 2 else "3582BB",
                        neighbourhood=cast.oudwijk if i % 2 else cast.abstede,
                    )
                    for i in range(start, start + count)
                ]
            )
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(member=m, role="volunteer") for m in made[::3]]
            )

    def measure(client, url: str) -> tuple[int, str]:
        client.get(url)  # warm up: the session and the tenant lookup are cached after this
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    coordinator = client_as(alfa, cast, "coordinator")
    assistant = client_as(alfa, cast, "assistant")
    # 6 rows, then a full page of 50: a query per row would show as a difference.
    bulk(0, 6)
    few, html = measure(coordinator, "/leden/?zoek=bulk")
    assert html.count("Bulk ") == 6
    small_assistant, _html = measure(assistant, "/leden/?zoek=bulk")
    bulk(6, 44)
    small, html = measure(coordinator, "/leden/?zoek=bulk")
    assert html.count("Bulk ") == 50 and small == few

    bulk(50, 4950)
    large, html = measure(coordinator, "/leden/?zoek=bulk")
    assert large == small
    assert "5000 leden gevonden" in html and html.count("Bulk ") == 50
    # The session, the user, the viewer and their roles, a count, the buurten of the filter,
    # the page, the roles of its rows (and an assistant's buurten), the rules in force (which
    # the menu asks: points, klussen), the phone the session passed the second factor with:
    # nothing per row.
    with django_assert_max_num_queries(11):
        coordinator.get("/leden/?zoek=bulk&rol=volunteer&pagina=7")

    large_assistant, html = measure(assistant, "/leden/?zoek=bulk")
    assert large_assistant == small_assistant
    assert "2500 leden gevonden" in html  # only the odd ones live in Oudwijk
    page = assistant.get("/leden/?zoek=bulk&pagina=50").context["page"]
    assert {m.neighbourhood_id for m in page} == {cast.oudwijk.pk}


# --- a member's record --------------------------------------------------------------------------


def test_detail_shows_profile_consent_roles_and_the_links_the_viewer_may_use(alfa, cast):
    coordinator = client_as(alfa, cast, "coordinator").get(f"/leden/{cast.piet.pk}/")
    html = coordinator.content.decode()
    assert "Piet Puk" in html and "0301234567" in html and "3581AB" in html
    assert "Oudwijk" in html and "Lid, zonder andere rollen." in html
    assert "door het lid zelf" in html
    assert f"/leden/{cast.piet.pk}/bewerken/" in html
    assert f"/leden/{cast.piet.pk}/rollen/" not in html
    assert f"/leden/{cast.piet.pk}/wissen/" not in html
    board = client_as(alfa, cast, "board").get(f"/leden/{cast.piet.pk}/").content.decode()
    assert f"/leden/{cast.piet.pk}/bewerken/" not in board
    assert f"/leden/{cast.piet.pk}/rollen/" in board
    assert f"/leden/{cast.piet.pk}/wissen/" in board
    assistant = client_as(alfa, cast, "assistant").get(f"/leden/{cast.people['assistant'].pk}/")
    assert "Buurtassistent voor: Oudwijk" in assistant.content.decode()


# --- editing ------------------------------------------------------------------------------------


def profile_form(**overrides) -> dict:
    data = {
        "kind": "resident",
        "name": "Piet Puk",
        "street": "Oudwijk",
        "house_number": "12",
        "postcode": "3581AB",
        "phone": "0301234567",
        "email": "piet@alfa.example.nl",
        "year_of_birth": "",
        "languages": "",
        "talents": "",
        "uses_internet": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_edits_a_profile_and_the_buurt_and_it_is_logged(alfa, cast):
    with schema_context(alfa.schema):
        walks = Cluster.objects.get(name="Wandelen")
    with schema_context(alfa.schema):
        before = AuditEntry.objects.count()
    response = client_as(alfa, cast, "coordinator").post(
        f"/leden/{cast.piet.pk}/bewerken/",
        profile_form(
            phone="06 1234 5678",
            year_of_birth="1948",
            languages="Nederlands, Fries, nederlands",
            talents="koken",
            help_clusters=[walks.pk],
            availability=["ma-ochtend", "do-middag"],
            neighbourhood=cast.abstede.pk,
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/leden/{cast.piet.pk}/"
    with schema_context(alfa.schema):
        piet = Member.objects.get(pk=cast.piet.pk)
        assert piet.phone == "06 1234 5678"
        assert piet.year_of_birth == 1948
        assert piet.languages == ["Nederlands", "Fries"]
        assert piet.talents == ["koken"]
        assert list(piet.help_clusters.values_list("name", flat=True)) == ["Wandelen"]
        assert piet.availability == ["ma-ochtend", "do-middag"]
        assert (piet.neighbourhood_id, piet.neighbourhood_fixed) == (cast.abstede.pk, True)
        entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["member.update", "member.set_neighbourhood"]
    assert all(e.actor_id == cast.people["coordinator"].pk for e in entries)
    assert entries[0].changes == {
        "availability": "(gewijzigd)",
        "help_clusters": [[], [walks.pk]],
        "languages": "(gewijzigd)",
        "phone": "(gewijzigd)",
        "talents": "(gewijzigd)",
        "year_of_birth": "(gewijzigd)",
    }
    assert entries[1].changes == {"neighbourhood": [cast.oudwijk.pk, cast.abstede.pk]}
    logged = json.dumps([(e.summary, e.changes) for e in entries])
    assert "1234" not in logged and "Piet" not in logged and "koken" not in logged


def test_an_empty_buurt_choice_lets_the_address_decide_again(alfa, cast):
    with schema_context(alfa.schema):
        Member.objects.filter(pk=cast.piet.pk).update(
            neighbourhood=cast.abstede, neighbourhood_fixed=True
        )
    response = client_as(alfa, cast, "coordinator").post(
        f"/leden/{cast.piet.pk}/bewerken/", profile_form(neighbourhood="")
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        piet = Member.objects.get(pk=cast.piet.pk)
    assert (piet.neighbourhood_id, piet.neighbourhood_fixed) == (cast.oudwijk.pk, False)


def test_assistant_may_only_choose_among_their_own_buurten(alfa, cast):
    client = client_as(alfa, cast, "assistant")
    html = client.get(f"/leden/{cast.piet.pk}/bewerken/").content.decode()
    assert f'<option value="{cast.oudwijk.pk}"' in html
    assert f'<option value="{cast.abstede.pk}"' not in html
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = client.post(
        f"/leden/{cast.piet.pk}/bewerken/",
        profile_form(phone="0611111111", neighbourhood=cast.abstede.pk),
    )
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


def test_edit_page_without_the_right_to_move_has_no_buurt_choice(alfa, cast):
    """Administrators and coordinators may move members; the form shows the field only then
    (a plain member's own edit page never has it)."""
    html = logged_in_client(alfa, member=cast.piet).get("/mijn-gegevens/bewerken/")
    assert 'name="neighbourhood"' not in html.content.decode()
    coordinator = client_as(alfa, cast, "coordinator").get(f"/leden/{cast.piet.pk}/bewerken/")
    assert 'name="neighbourhood"' in coordinator.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "abc", "Vul een geldige postcode in, bijvoorbeeld 3581 AB."),
        ("name", "  ", "Vul de naam in."),
        ("email", "geen-adres", "Vul een geldig e-mailadres in."),
        ("email", "wim@elders.nl", "Er is al een lid met dit e-mailadres."),
        ("year_of_birth", "achttien", "Vul een geldig geboortejaar in."),
        ("year_of_birth", "1850", "Vul een geldig geboortejaar in."),
        ("kind", "robot", "Kies bewoner of organisatie."),
        ("house_number", "1" * 13, "Dit mag hoogstens 12 tekens lang zijn."),
    ],
)
def test_bad_input_gets_a_dutch_message_and_changes_nothing(alfa, cast, field, value, message):
    with schema_context(alfa.schema):
        Member.objects.filter(pk=cast.west.pk).update(email="wim@elders.nl")
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = client_as(alfa, cast, "coordinator").post(
        f"/leden/{cast.piet.pk}/bewerken/", profile_form(phone="0699999999", **{field: value})
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_{field}' in html  # the summary points at the field
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


# --- roles --------------------------------------------------------------------------------------


def test_board_assigns_roles_and_assisted_buurten(alfa, cast):
    response = client_as(alfa, cast, "board").post(
        f"/leden/{cast.piet.pk}/rollen/",
        {
            "roles": ["volunteer", "neighbourhood_assistant"],
            "assisted_neighbourhoods": [
                cast.oudwijk.pk,
                cast.abstede.pk,
            ],
        },
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        piet = Member.objects.get(pk=cast.piet.pk)
        assert sorted(piet.role_assignments.values_list("role", flat=True)) == [
            "neighbourhood_assistant",
            "volunteer",
        ]
        assert sorted(piet.assisted_neighbourhoods.values_list("name", flat=True)) == [
            "Abstede",
            "Oudwijk",
        ]
        entry = AuditEntry.objects.filter(action="member.assign_roles").latest("id")
    assert entry.actor_id == cast.people["board"].pk
    assert entry.target_id == str(cast.piet.pk)
    assert entry.changes == {"roles": [[], ["neighbourhood_assistant", "volunteer"]]}
    # Piet now sees the list, scoped to his two buurten.
    html = logged_in_client(alfa, member=cast.piet).get("/leden/").content.decode()
    assert "Wim West" in html


def test_the_last_board_member_cannot_give_up_the_role(alfa):
    with schema_context(alfa.schema):
        founder = Member.objects.get(email=alfa.board_email)
        count = AuditEntry.objects.count()
    before = member_snapshot(alfa.schema, founder.pk)
    response = logged_in_client(alfa).post(f"/leden/{founder.pk}/rollen/", {"roles": ["volunteer"]})
    assert response.status_code == 400
    assert (
        "Dit is het laatste bestuurslid of de laatste beheerder; wijs eerst iemand anders aan."
        in response.content.decode()
    )
    assert (
        member_snapshot(alfa.schema, founder.pk) == before == {**before, "roles": ["board_chair"]}
    )
    with schema_context(alfa.schema):
        assert AuditEntry.objects.count() == count


# --- intake by phone or at the door -------------------------------------------------------------


def intake(**overrides) -> dict:
    data = {
        "kind": "resident",
        "name": "Tineke Smit",
        "street": "Oudwijk",
        "house_number": "3",
        "postcode": "3581 cd",
        "phone": "030 222 3344",
        "accept_privacy": "on",
        "accept_disclaimer": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_coordinator_registers_a_member_by_phone(alfa, cast):
    page = client_as(alfa, cast, "coordinator").get("/leden/nieuw/").content.decode()
    assert "niet aansprakelijk" in page  # the disclaimer to read out (Oost template)
    response = client_as(alfa, cast, "coordinator").post("/leden/nieuw/", intake())
    assert response.status_code == 302
    with schema_context(alfa.schema):
        tineke = Member.objects.get(name="Tineke Smit")
        entry = AuditEntry.objects.filter(action="member.register").latest("id")
    assert response["Location"] == f"/leden/{tineke.pk}/"
    assert tineke.user_id is None
    assert tineke.registered_by_id == cast.people["coordinator"].pk
    assert tineke.consent_on_behalf is True
    assert tineke.privacy_version == "2026-11" and tineke.disclaimer_version == 1
    assert tineke.postcode == "3581CD" and tineke.neighbourhood_id == cast.oudwijk.pk
    assert tineke.uses_internet is False
    assert (entry.actor_id, entry.target_id) == (cast.people["coordinator"].pk, str(tineke.pk))
    assert "Tineke" not in entry.summary and entry.changes == {}
    detail = client_as(alfa, cast, "coordinator").get(response["Location"]).content.decode()
    assert "mondeling, namens het lid vastgelegd door coordinator lid" in detail


def test_assistant_registers_in_their_buurt_but_not_outside_it(alfa, cast):
    client = client_as(alfa, cast, "assistant")
    assert client.post("/leden/nieuw/", intake()).status_code == 302
    with schema_context(alfa.schema):
        count = Member.objects.count()
        audit = AuditEntry.objects.count()
    refused = client.post(
        "/leden/nieuw/", intake(name="Karel Kwast", postcode="3582 AA", house_number="9")
    )
    assert refused.status_code == 400
    assert (
        "Dit adres ligt niet in een buurt waarvoor u buurtassistent bent."
        in refused.content.decode()
    )
    with schema_context(alfa.schema):
        assert Member.objects.count() == count
        assert not Member.objects.filter(name="Karel Kwast").exists()
        assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"accept_privacy": None}, "U moet akkoord gaan met de privacyverklaring."),
        (
            {"accept_disclaimer": None},
            "U moet akkoord gaan met de spelregels over aansprakelijkheid.",
        ),
        (
            {"phone": ""},
            "Vul een telefoonnummer of e-mailadres in, zodat we het lid kunnen bereiken.",
        ),
        (
            {"name": "piet puk", "postcode": "3581AB", "house_number": "12"},
            "Er is al een aanmelding of lidmaatschap voor deze naam op dit adres.",
        ),
        (
            {"email": "PIET@alfa.example.nl"},
            "Er is al een lid met dit e-mailadres.",
        ),
    ],
)
def test_intake_with_bad_input_creates_nothing(alfa, cast, overrides, message):
    with schema_context(alfa.schema):
        count = Member.objects.count()
    response = client_as(alfa, cast, "coordinator").post("/leden/nieuw/", intake(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context(alfa.schema):
        assert Member.objects.count() == count


# --- erasure ------------------------------------------------------------------------------------


def test_board_erases_a_member_on_request(alfa, cast):
    client = client_as(alfa, cast, "board")
    confirm = client.get(f"/leden/{cast.piet.pk}/wissen/").content.decode()
    assert "Dit kan niet ongedaan worden gemaakt." in confirm
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=cast.piet.pk).status == "active"  # GET changes nothing
    user_id = cast.piet.user_id
    response = client.post(f"/leden/{cast.piet.pk}/wissen/")
    assert response.status_code == 302 and response["Location"] == "/leden/?status=erased"
    with schema_context(alfa.schema):
        piet = Member.objects.get(pk=cast.piet.pk)  # the record is kept
        assert not User.objects.filter(pk=user_id).exists()
        entry = AuditEntry.objects.filter(action="member.erase").latest("id")
    assert piet.status == "erased" and piet.erased_at is not None
    assert piet.name.startswith("Oud-lid ")
    personal = ("street", "house_number", "postcode", "phone", "email")
    assert [getattr(piet, f) for f in personal] == ["", "", "", "", ""]
    assert piet.user_id is None and piet.year_of_birth is None
    assert piet.neighbourhood_id == cast.oudwijk.pk  # counts per buurt still add up
    assert entry.actor_id == cast.people["board"].pk and "Piet" not in entry.summary
    listing = client.get(response["Location"]).content.decode()
    assert piet.name in listing and "Piet Puk" not in listing
    assert "De persoonsgegevens zijn gewist." in listing
    # The login is gone.
    assert (
        client_for(alfa.host)
        .post("/inloggen/", {"username": "piet@alfa.example.nl", "password": PASSWORD})
        .status_code
        == 200
    )
    # Erased data cannot be edited back in.
    again = client_as(alfa, cast, "coordinator").post(f"/leden/{piet.pk}/bewerken/", profile_form())
    assert again.status_code == 400
    assert "De gegevens van dit lid zijn gewist." in again.content.decode()


def test_a_board_member_cannot_erase_themselves(alfa, cast):
    board = cast.people["board"]
    before = member_snapshot(alfa.schema, board.pk)
    response = client_as(alfa, cast, "board").post(f"/leden/{board.pk}/wissen/")
    assert response.status_code == 400
    assert "U kunt uw eigen gegevens niet wissen" in response.content.decode()
    assert member_snapshot(alfa.schema, board.pk) == before


# --- a member's own data ------------------------------------------------------------------------


def test_my_data_shows_everything_known_about_me(alfa, cast):
    html = logged_in_client(alfa, member=cast.piet).get("/mijn-gegevens/").content.decode()
    for text in ("Piet Puk", "Oudwijk 12", "3581AB", "0301234567", "piet@alfa.example.nl"):
        assert text in html
    assert "Privacyverklaring" in html and "Lid, zonder andere rollen." in html
    assert "/mijn-gegevens/export/" in html and "/mijn-gegevens/opzeggen/" in html


def test_member_edits_own_profile_and_it_is_logged_as_their_own_change(alfa, cast):
    client = logged_in_client(alfa, member=cast.piet)
    response = client.post(
        "/mijn-gegevens/bewerken/",
        profile_form(name="Piet  Puk-Jansen", email="PIET.PUK@alfa.example.nl", talents="fietsen"),
    )
    assert response.status_code == 302 and response["Location"] == "/mijn-gegevens/"
    with schema_context(alfa.schema):
        piet = Member.objects.select_related("user").get(pk=cast.piet.pk)
        entry = AuditEntry.objects.filter(action="member.update").latest("id")
        waiting = piet.email_changes.get()
    assert piet.name == "Piet Puk-Jansen" and piet.user.full_name == piet.name
    # The new address of a member who logs in waits for the link sent to it (issue 11).
    assert piet.email == "piet@alfa.example.nl" and piet.user.email == "piet@alfa.example.nl"
    assert waiting.new_email == "piet.puk@alfa.example.nl" and waiting.used_at is None
    assert piet.talents == ["fietsen"]
    assert entry.actor_id == piet.pk
    assert entry.changes == {
        "name": "(gewijzigd)",
        "talents": "(gewijzigd)",
    }
    # A buurt in the posted data is ignored: a member cannot choose their own buurt.
    client.post("/mijn-gegevens/bewerken/", profile_form(neighbourhood=cast.abstede.pk))
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=piet.pk).neighbourhood_id == cast.oudwijk.pk


def test_my_data_export_is_a_json_download_with_my_data(alfa, cast):
    with schema_context(alfa.schema):
        walks = Cluster.objects.get(name="Wandelen")
        cast.piet.help_clusters.set([walks])
        RoleAssignment.objects.create(member=cast.piet, role="volunteer")
    response = logged_in_client(alfa, member=cast.piet).get("/mijn-gegevens/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="mijn-gegevens-lid-{cast.piet.pk}.json"'
    )
    data = json.loads(response.content)
    assert data["lid"]["nummer"] == cast.piet.pk
    assert data["lid"]["naam"] == "Piet Puk"
    assert data["lid"]["e-mail"] == "piet@alfa.example.nl"
    assert data["lid"]["postcode"] == "3581AB"
    assert data["lid"]["buurt"] == "Oudwijk"
    assert data["lid"]["helpt_bij"] == ["Wandelen"]
    assert data["lid"]["status"] == "active"
    assert data["rollen"] == ["volunteer"]
    assert data["toestemming"]["namens_u_gegeven"] is False
    assert data["aanmeldingen"] == []
    assert "Wim West" not in response.content.decode()


def test_member_leaves_is_logged_out_and_cannot_log_in_again(alfa, cast):
    with_password(alfa.schema, cast.piet)
    client = client_for(alfa.host)
    login = {"username": "piet@alfa.example.nl", "password": PASSWORD}
    assert client.post("/inloggen/", login).status_code == 302
    confirm = client.get("/mijn-gegevens/opzeggen/")
    assert "Wilt u uw lidmaatschap opzeggen?" in confirm.content.decode()
    response = client.post("/mijn-gegevens/opzeggen/")
    assert response.status_code == 302 and response["Location"] == "/inloggen/"
    assert client.get("/mijn-gegevens/").status_code == 302  # logged out
    with schema_context(alfa.schema):
        piet = Member.objects.get(pk=cast.piet.pk)
        entry = AuditEntry.objects.filter(action="member.leave").latest("id")
    assert piet.status == "left" and piet.left_at is not None
    assert piet.name == "Piet Puk"  # leaving keeps the record; erasure is a separate request
    assert (entry.actor_id, entry.target_id) == (piet.pk, str(piet.pk))
    refused = client_for(alfa.host).post("/inloggen/", login)
    assert refused.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_the_last_board_member_cannot_leave(alfa):
    with schema_context(alfa.schema):
        founder = Member.objects.get(email=alfa.board_email)
    response = logged_in_client(alfa).post("/mijn-gegevens/opzeggen/")
    assert response.status_code == 400
    assert "Dit is het laatste bestuurslid" in response.content.decode()
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=founder.pk).status == "active"
