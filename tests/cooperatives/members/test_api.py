"""Members through the API under /api/v1/: the same matrix of roles, the same buurt scope,
isolation between cooperatives, structured Dutch errors that change nothing, and one's own
export and leaving."""

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
from tests.state import member_snapshot

JSON = "application/json"


def call(client, method: str, path: str, data=None):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data or {}, content_type=JSON)


# --- who may do what ----------------------------------------------------------------------------

API_MATRIX = {
    # endpoint: statuses for CAST_ROLES in order (member, volunteer, assistant, assistant_other,
    # coordinator, board, audit); Piet lives in Oudwijk, which only "assistant" assists.
    "list": [403, 403, 200, 200, 200, 200, 403],
    "retrieve": [403, 403, 200, 404, 200, 200, 403],
    "update": [403, 403, 200, 404, 200, 403, 403],
    "roles": [403, 403, 403, 403, 403, 200, 403],
    "erase": [403, 403, 403, 403, 403, 200, 403],
    "register": [403, 403, 201, 400, 201, 403, 403],
    "export": [200] * 7,
}


def endpoint(name: str, pk: int) -> tuple[str, str, dict | None]:
    return {
        "list": ("get", "/api/v1/members/", None),
        "retrieve": ("get", f"/api/v1/members/{pk}/", None),
        "update": ("patch", f"/api/v1/members/{pk}/", {"phone": "0307777777"}),
        "roles": ("put", f"/api/v1/members/{pk}/roles/", {"roles": ["volunteer"]}),
        "erase": ("post", f"/api/v1/members/{pk}/erase/", None),
        # A postcode in Oudwijk: the assistant of Abstede may not register there.
        "register": (
            "post",
            "/api/v1/members/",
            {
                "name": "Tineke Smit",
                "postcode": "3581CD",
                "house_number": "3",
                "phone": "0302223344",
                "accept_privacy": True,
                "accept_disclaimer": True,
            },
        ),
        "export": ("get", "/api/v1/me/export/", None),
    }[name]


@pytest.mark.parametrize("name", sorted(API_MATRIX))
@pytest.mark.parametrize("role", CAST_ROLES)
def test_api_matrix(alfa, cast, name, role):
    expected = API_MATRIX[name][CAST_ROLES.index(role)]
    before = member_snapshot(alfa.schema, cast.piet.pk)
    with schema_context(alfa.schema):
        count = Member.objects.count()
    method, path, data = endpoint(name, cast.piet.pk)
    response = call(client_as(alfa, cast, role), method, path, data)
    assert response.status_code == expected, response.content
    if expected in (400, 403, 404):
        assert response.json()["type"] in ("client_error", "validation_error")
        assert member_snapshot(alfa.schema, cast.piet.pk) == before
        with schema_context(alfa.schema):
            assert Member.objects.count() == count


@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_api_refuses_anonymous_callers(alfa, cast, name):
    method, path, data = endpoint(name, cast.piet.pk)
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = call(client_for(alfa.host), method, path, data)
    assert response.status_code == 403
    assert response.json()["type"] == "client_error"
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


def test_a_refusal_is_structured(alfa, cast):
    response = client_as(alfa, cast, "volunteer").get("/api/v1/members/")
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "attr": None,
                "code": "permission_denied",
                "detail": "U heeft geen toestemming voor deze handeling.",
            }
        ],
    }


# --- isolation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "method", "suffix", "data"),
    [
        ("coordinator", "get", "", None),
        ("coordinator", "patch", "", {"name": "Gekaapt"}),
        ("board", "put", "roles/", {"roles": ["administrator"]}),
        ("board", "post", "erase/", None),
    ],
)
def test_an_id_of_beta_sent_to_alfa_is_not_found(alfa, beta, cast, role, method, suffix, data):
    before = member_snapshot(beta.schema, cast.bea.pk)
    response = call(
        client_as(alfa, cast, role), method, f"/api/v1/members/{cast.bea.pk}/{suffix}", data
    )
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert member_snapshot(beta.schema, cast.bea.pk) == before


def test_alfa_list_holds_nothing_of_beta(alfa, cast):
    data = client_as(alfa, cast, "coordinator").get("/api/v1/members/?status=all").json()
    names = {m["name"] for m in data["results"]}
    assert "Piet Puk" in names and "Bea Beta" not in names


# --- list ---------------------------------------------------------------------------------------


def test_list_rows_and_assistant_scope(alfa, cast):
    data = client_as(alfa, cast, "assistant").get("/api/v1/members/?search=piet").json()
    assert data["count"] == 1
    assert data["results"] == [
        {
            "id": cast.piet.pk,
            "kind": "resident",
            "name": "Piet Puk",
            "street": "Oudwijk",
            "house_number": "12",
            "postcode": "3581AB",
            "neighbourhood": cast.oudwijk.pk,
            "neighbourhood_name": "Oudwijk",
            "phone": "0301234567",
            "email": "piet@alfa.example.nl",
            "status": "active",
            "roles": [],
        }
    ]
    everyone = client_as(alfa, cast, "assistant").get("/api/v1/members/").json()["results"]
    assert {m["neighbourhood"] for m in everyone} == {cast.oudwijk.pk}
    other = client_as(alfa, cast, "assistant_other").get("/api/v1/members/?search=piet").json()
    assert other["count"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("search=3582", ["Wim West"]),
        ("role=neighbourhood_assistant", ["assistant lid", "assistant_other lid"]),
        ("neighbourhood={abstede}", ["Wim West", "assistant_other lid"]),
        ("role=board_treasurer&neighbourhood={oudwijk}", ["board lid"]),
    ],
)
def test_list_filters(alfa, cast, query, expected):
    url = "/api/v1/members/?" + query.format(abstede=cast.abstede.pk, oudwijk=cast.oudwijk.pk)
    data = client_as(alfa, cast, "coordinator").get(url).json()
    assert sorted(m["name"] for m in data["results"]) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "attr"), [("role=koning", "role"), ("neighbourhood=x", "neighbourhood")]
)
def test_list_with_a_bad_filter_is_a_structured_error(alfa, cast, query, attr):
    response = client_as(alfa, cast, "coordinator").get(f"/api/v1/members/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error" and body["errors"][0]["attr"] == attr


def test_list_is_paginated_by_50_and_keeps_its_queries_with_5000_members(alfa, cast):
    def count_queries(client, url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return len(queries), response.json()

    client = client_as(alfa, cast, "coordinator")
    with schema_context(alfa.schema):
        Member.objects.bulk_create(
            [Member(name=f"Api {i:04d}", neighbourhood=cast.oudwijk) for i in range(4)]
        )
    few, data = count_queries(client, "/api/v1/members/?search=api")
    assert data["count"] == 4
    with schema_context(alfa.schema):
        made = Member.objects.bulk_create(
            [Member(name=f"Api {i:04d}", neighbourhood=cast.abstede) for i in range(4, 5000)]
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(member=m, role="volunteer") for m in made[::2]]
        )
    many, data = count_queries(client, "/api/v1/members/?search=api")
    assert many == few
    assert data["count"] == 5000 and len(data["results"]) == 50
    assert data["next"].endswith("/api/v1/members/?page=2&search=api")
    last = client.get("/api/v1/members/?search=api&page=100").json()
    assert [m["name"] for m in last["results"]][-1] == "Api 4999"


# --- one member ---------------------------------------------------------------------------------


def test_retrieve_shows_consent_and_buurt(alfa, cast):
    data = client_as(alfa, cast, "coordinator").get(f"/api/v1/members/{cast.piet.pk}/").json()
    assert data["name"] == "Piet Puk" and data["neighbourhood"] == cast.oudwijk.pk
    assert data["consent_on_behalf"] is False and data["registered_by"] is None
    assert data["help_clusters"] == [] and data["assisted_neighbourhoods"] == []
    assert data["status"] == "active" and data["erased_at"] is None


def test_patch_changes_the_profile_and_the_buurt_and_logs_it(alfa, cast):
    with schema_context(alfa.schema):
        walks = Cluster.objects.get(name="Wandelen")
        audit = AuditEntry.objects.count()
    response = client_as(alfa, cast, "coordinator").patch(
        f"/api/v1/members/{cast.piet.pk}/",
        {
            "phone": "0612345678",
            "languages": ["Nederlands", "Pools"],
            "help_clusters": [walks.pk],
            "availability": ["za-ochtend"],
            "neighbourhood": cast.abstede.pk,
        },
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["phone"] == "0612345678" and data["languages"] == ["Nederlands", "Pools"]
    assert data["help_clusters"] == [walks.pk] and data["availability"] == ["za-ochtend"]
    assert data["neighbourhood"] == cast.abstede.pk and data["neighbourhood_fixed"] is True
    assert data["name"] == "Piet Puk"  # what was not sent stays
    with schema_context(alfa.schema):
        entries = list(AuditEntry.objects.order_by("id")[audit:])
    assert [e.action for e in entries] == ["member.update", "member.set_neighbourhood"]
    assert entries[0].changes["phone"] == "(gewijzigd)"
    assert "0612345678" not in str([e.changes for e in entries])


@pytest.mark.parametrize(
    ("data", "attr", "detail"),
    [
        ({"postcode": "12"}, "postcode", "Vul een geldige postcode in, bijvoorbeeld 3581 AB."),
        ({"name": ""}, "name", "Vul de naam in."),
        ({"email": "wim@elders.nl"}, "email", "Er is al een lid met dit e-mailadres."),
        ({"year_of_birth": 2999}, "year_of_birth", "Vul een geldig geboortejaar in."),
        ({"kind": "robot"}, "kind", "Kies bewoner of organisatie."),
        ({"phone": "0" * 41}, "phone", "Dit mag hoogstens 40 tekens lang zijn."),
        ({"help_clusters": [987654]}, "help_clusters", "Kies een cluster uit de lijst."),
        ({"neighbourhood": 987654}, "neighbourhood", "Kies een buurt uit de lijst."),
    ],
)
def test_patch_with_bad_input_is_a_structured_dutch_error_and_changes_nothing(
    alfa, cast, data, attr, detail
):
    with schema_context(alfa.schema):
        Member.objects.filter(pk=cast.west.pk).update(email="wim@elders.nl")
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = client_as(alfa, cast, "coordinator").patch(
        f"/api/v1/members/{cast.piet.pk}/", {"phone": "0699999999", **data}, content_type=JSON
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [(e["attr"], e["detail"]) for e in body["errors"]] == [(attr, detail)]
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


def test_assistant_cannot_move_a_member_to_a_buurt_they_do_not_assist(alfa, cast):
    before = member_snapshot(alfa.schema, cast.piet.pk)
    response = client_as(alfa, cast, "assistant").patch(
        f"/api/v1/members/{cast.piet.pk}/",
        {"phone": "0611111111", "neighbourhood": cast.abstede.pk},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "attr": "neighbourhood",
            "code": "does_not_exist",
            "detail": "Kies een buurt uit de lijst.",
        }
    ]
    assert member_snapshot(alfa.schema, cast.piet.pk) == before


# --- roles and erasure --------------------------------------------------------------------------


def test_put_roles(alfa, cast):
    response = client_as(alfa, cast, "board").put(
        f"/api/v1/members/{cast.piet.pk}/roles/",
        {"roles": ["neighbourhood_assistant"], "assisted_neighbourhoods": [cast.abstede.pk]},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["roles"] == ["neighbourhood_assistant"]
    assert data["assisted_neighbourhoods"] == [cast.abstede.pk]
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.filter(action="member.assign_roles").latest("id")
    assert entry.changes == {"roles": [[], ["neighbourhood_assistant"]]}
    assert entry.actor_id == cast.people["board"].pk


@pytest.mark.parametrize(
    ("data", "code", "detail"),
    [
        ({"roles": ["koning"]}, "invalid", "Onbekende rol."),
        (
            {"roles": []},
            "last_governor",
            "Dit is het laatste bestuurslid of de laatste beheerder; wijs eerst iemand anders aan.",
        ),
    ],
)
def test_put_roles_refusals_change_nothing(alfa, data, code, detail):
    with schema_context(alfa.schema):
        founder = Member.objects.get(email=alfa.board_email)
    before = member_snapshot(alfa.schema, founder.pk)
    response = logged_in_client(alfa).put(
        f"/api/v1/members/{founder.pk}/roles/", data, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"attr": "roles", "code": code, "detail": detail}],
    }
    assert member_snapshot(alfa.schema, founder.pk) == before


def test_erase_by_api(alfa, cast):
    user_id = cast.piet.user_id
    response = client_as(alfa, cast, "board").post(f"/api/v1/members/{cast.piet.pk}/erase/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "erased" and data["name"].startswith("Oud-lid ")
    assert [data[f] for f in ("street", "postcode", "phone", "email")] == ["", "", "", ""]
    with schema_context(alfa.schema):
        assert Member.objects.filter(pk=cast.piet.pk).exists()
        assert not User.objects.filter(pk=user_id).exists()
        assert AuditEntry.objects.filter(action="member.erase", target_id=str(cast.piet.pk))
    again = client_as(alfa, cast, "board").post(f"/api/v1/members/{cast.piet.pk}/erase/")
    assert again.status_code == 400
    assert again.json()["errors"][0]["detail"] == "Dit lid is al gewist."
    erased = client_as(alfa, cast, "coordinator").get("/api/v1/members/?status=erased").json()
    assert [m["name"] for m in erased["results"]] == [data["name"]]


# --- intake -------------------------------------------------------------------------------------


def test_intake_by_api_records_who_registered_on_whose_behalf(alfa, cast):
    _method, path, data = endpoint("register", 0)
    response = client_as(alfa, cast, "coordinator").post(path, data, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["registered_by"] == cast.people["coordinator"].pk
    assert body["consent_on_behalf"] is True
    assert body["neighbourhood"] == cast.oudwijk.pk
    with schema_context(alfa.schema):
        tineke = Member.objects.get(pk=body["id"])
        assert tineke.user_id is None and tineke.privacy_version == "2026-11"


def test_intake_outside_the_assistants_buurt_creates_nothing(alfa, cast):
    _method, path, data = endpoint("register", 0)
    with schema_context(alfa.schema):
        count, audit = Member.objects.count(), AuditEntry.objects.count()
    response = client_as(alfa, cast, "assistant_other").post(path, data, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "attr": "postcode",
            "code": "out_of_scope",
            "detail": "Dit adres ligt niet in een buurt waarvoor u buurtassistent bent.",
        }
    ]
    with schema_context(alfa.schema):
        assert (Member.objects.count(), AuditEntry.objects.count()) == (count, audit)


def test_intake_without_consent_creates_nothing(alfa, cast):
    _method, path, data = endpoint("register", 0)
    with schema_context(alfa.schema):
        count = Member.objects.count()
    response = client_as(alfa, cast, "coordinator").post(
        path, {**data, "accept_privacy": False, "accept_disclaimer": False}, content_type=JSON
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == [
        "accept_privacy",
        "accept_disclaimer",
    ]
    with schema_context(alfa.schema):
        assert Member.objects.count() == count


# --- one's own data -----------------------------------------------------------------------------


def test_me_export(alfa, cast):
    data = logged_in_client(alfa, member=cast.piet).get("/api/v1/me/export/").json()
    assert data["lid"]["nummer"] == cast.piet.pk
    assert data["lid"]["naam"] == "Piet Puk" and data["lid"]["telefoon"] == "0301234567"
    assert data["toestemming"]["namens_u_gegeven"] is False
    assert data["rollen"] == [] and data["buurtassistent_voor"] == []


def test_me_leave_logs_out_and_refuses_the_next_login(alfa, cast):
    with_password(alfa.schema, cast.piet)
    client = client_for(alfa.host)
    login = {"username": "piet@alfa.example.nl", "password": PASSWORD}
    assert client.post("/inloggen/", login).status_code == 302
    response = client.post("/api/v1/me/leave/")
    assert response.status_code == 204
    assert client.get("/api/v1/me/export/").status_code == 403  # the session is gone
    with schema_context(alfa.schema):
        assert Member.objects.get(pk=cast.piet.pk).status == "left"
        assert AuditEntry.objects.filter(action="member.leave", actor_id=cast.piet.pk).exists()
    assert client_for(alfa.host).post("/inloggen/", login).status_code == 200


def test_openapi_schema_documents_the_member_api(alfa):
    schema = client_for(alfa.host).get("/api/v1/schema/?format=json").json()
    operations = {
        (path, method): op["operationId"]
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if path.startswith(("/api/v1/members/", "/api/v1/me/"))
    }
    assert set(operations.values()) >= {
        "members_list",
        "members_register",
        "members_retrieve",
        "members_partial_update",
        "members_roles_update",
        "members_erase",
        "me_export",
        "me_leave",
    }


def test_an_assistant_reads_their_own_record_wherever_they_live(alfa, cast):
    """The assistant of Abstede lives in Oudwijk here; their own record is theirs to read,
    though an assistant may read others' records only in the buurten they assist."""
    assistant = cast.people["assistant_other"]
    with schema_context(alfa.schema):
        Member.objects.filter(pk=assistant.pk).update(neighbourhood=cast.oudwijk)
    client = client_as(alfa, cast, "assistant_other")
    assert client.get(f"/api/v1/members/{assistant.pk}/").json()["id"] == assistant.pk
    assert client.get(f"/api/v1/members/{cast.piet.pk}/").status_code == 404
