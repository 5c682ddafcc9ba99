"""The cooperative's set-up through the API (/api/v1/neighbourhoods/, clusters/, partners/):
the same rules, messages and permissions as the pages, structured errors, paginated lists, and
another cooperative's ids answer 404."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from cooperatives.members.models import Member, Role, RoleAssignment
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_latest
from cooperatives.setup import services
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared.audit.models import AuditEntry
from tests.clients import FORBIDDEN, JSON, client_for, logged_in_client, post_json, refusal
from tests.factories import (
    MemberFactory,
    NeighbourhoodFactory,
    PartnerFactory,
    beta_only,
    decided,
    decision_id,
)
from tests.state import audit_actions, board_member, last_audit_id, latest_version, table_snapshot


@pytest.fixture
def people(alfa):
    return {
        "member": MemberFactory(schema=alfa.schema, name="Gewoon Lid"),
        "coordinator": MemberFactory(
            schema=alfa.schema, name="Coco Coördinator", roles=[Role.COORDINATOR]
        ),
    }


def patch(client, url, data):
    return client.patch(url, data, content_type=JSON)


# --- neighbourhoods ------------------------------------------------------------------------------


def test_members_list_and_read_buurten(alfa, people):
    hood = NeighbourhoodFactory(
        schema=alfa.schema, name="Oudwijk", postcodes=["3581"], streets=["Kerkstraat"]
    )
    with schema_context(alfa.schema):
        hood.assistants.set([people["coordinator"]])
    MemberFactory(schema=alfa.schema, name="Buur", neighbourhood=hood)
    client = logged_in_client(alfa, member=people["member"])
    listing = client.get("/api/v1/neighbourhoods/").json()
    expected = {
        "id": hood.pk,
        "name": "Oudwijk",
        "network_name": "",
        "contact": "",
        "postcodes": ["3581"],
        "streets": ["kerkstraat"],
        "assistants": [{"id": people["coordinator"].pk, "name": "Coco Coördinator"}],
        "member_count": 1,
    }
    assert listing == {"count": 1, "next": None, "previous": None, "results": [expected]}
    assert client.get(f"/api/v1/neighbourhoods/{hood.pk}/").json() == expected


def test_neighbourhood_list_is_paginated_by_50(alfa, people):
    with schema_context(alfa.schema):
        Neighbourhood.objects.bulk_create(Neighbourhood(name=f"Buurt {n:02}") for n in range(51))
    client = logged_in_client(alfa, member=people["member"])
    first = client.get("/api/v1/neighbourhoods/").json()
    assert first["count"] == 51 and len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/neighbourhoods/?page=2")
    assert [n["name"] for n in client.get(first["next"]).json()["results"]] == ["Buurt 50"]


def test_board_creates_and_patches_a_buurt(alfa, people):
    helper = people["member"]
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa)
    created = post_json(
        client,
        "/api/v1/neighbourhoods/",
        {
            "name": "Oudwijk",
            "network_name": "Oudwijk Dichtbij",
            "postcodes": ["3581", "3582 ab"],
            "streets": ["Kerkstraat"],
            "assistants": [helper.pk],
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["postcodes"] == ["3581", "3582AB"] and data["streets"] == ["kerkstraat"]
    assert data["assistants"] == [{"id": helper.pk, "name": "Gewoon Lid"}]
    with schema_context(alfa.schema):
        assert RoleAssignment.objects.get(member=helper).role == Role.NEIGHBOURHOOD_ASSISTANT

    # PATCH changes what it names and keeps the rest.
    changed = patch(client, f"/api/v1/neighbourhoods/{data['id']}/", {"contact": "030 123"})
    assert changed.status_code == 200, changed.content
    assert changed.json() == {**data, "contact": "030 123"}
    cleared = patch(client, f"/api/v1/neighbourhoods/{data['id']}/", {"assistants": []})
    assert cleared.json()["assistants"] == []
    assert audit_actions(alfa.schema, since) == [
        "member.assign_roles",
        "neighbourhood.create",
        "neighbourhood.update",
        "neighbourhood.update",
    ]
    with schema_context(alfa.schema):
        last = AuditEntry.objects.filter(action="neighbourhood.update").latest("id")
    assert last.changes == {"assistants": [[helper.pk], []]}
    assert last.actor_id == board_member(alfa).pk


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": ""}, refusal("name", "required", "Vul de naam van de buurt in.")),
        ({"name": "oudWIJK"}, refusal("name", "taken", "Er is al een buurt met deze naam.")),
        (
            {"name": "Nieuw", "postcodes": ["12345"]},
            refusal(
                "postcodes",
                "invalid",
                "Ongeldige postcode: 12345. Gebruik 4 cijfers (3581) of een hele postcode "
                "(3581AB).",
            ),
        ),
        (
            {"name": "Nieuw", "postcodes": ["3581"]},
            refusal(
                "postcodes",
                "taken",
                "Deze postcodes horen al bij een andere buurt: 3581 (Oudwijk).",
            ),
        ),
    ],
)
def test_a_refused_buurt_is_a_structured_400_and_changes_nothing(alfa, data, expected):
    NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    before, since = table_snapshot(alfa.schema, Neighbourhood), last_audit_id(alfa.schema)
    response = post_json(logged_in_client(alfa), "/api/v1/neighbourhoods/", data)
    assert response.status_code == 400
    assert response.json() == expected
    assert table_snapshot(alfa.schema, Neighbourhood) == before
    assert audit_actions(alfa.schema, since) == []


def test_a_patch_to_a_taken_name_changes_nothing(alfa):
    NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk")
    abstede = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3588"])
    before = table_snapshot(alfa.schema, Neighbourhood)
    response = patch(
        logged_in_client(alfa),
        f"/api/v1/neighbourhoods/{abstede.pk}/",
        {"name": "OUDWIJK", "postcodes": ["3599"]},
    )
    assert response.json() == refusal("name", "taken", "Er is al een buurt met deze naam.")
    assert table_snapshot(alfa.schema, Neighbourhood) == before


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_members_and_coordinators_cannot_change_buurten(alfa, people, who):
    hood = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk")
    before = table_snapshot(alfa.schema, Neighbourhood)
    client = logged_in_client(alfa, member=people[who])
    created = post_json(client, "/api/v1/neighbourhoods/", {"name": "Abstede"})
    assert (created.status_code, created.json()) == (403, FORBIDDEN)
    patched = patch(client, f"/api/v1/neighbourhoods/{hood.pk}/", {"name": "Overgenomen"})
    assert (patched.status_code, patched.json()) == (403, FORBIDDEN)
    assert client.delete(f"/api/v1/neighbourhoods/{hood.pk}/").status_code == 403
    assert table_snapshot(alfa.schema, Neighbourhood) == before


def test_nothing_without_a_login(alfa):
    client = client_for(alfa.host)
    for url in ("/api/v1/neighbourhoods/", "/api/v1/clusters/", "/api/v1/partners/"):
        assert client.get(url).status_code == 403
    assert (
        post_json(client, "/api/v1/clusters/", {"name": "X", "compensation": "free"}).status_code
        == 403
    )
    assert latest_version(alfa.schema) == 1


def test_a_member_of_another_cooperative_cannot_be_made_assistant(alfa, beta):
    outsider = beta_only(beta, alfa, Member, lambda: MemberFactory(schema=beta.schema))
    response = post_json(
        logged_in_client(alfa),
        "/api/v1/neighbourhoods/",
        {"name": "Oudwijk", "assistants": [outsider.pk]},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "assistants"
    assert response.json()["errors"][0]["code"] == "does_not_exist"
    with schema_context(alfa.schema):
        assert not Neighbourhood.objects.exists()


# --- clusters ------------------------------------------------------------------------------------


def test_members_list_clusters_with_their_compensation(alfa, people):
    with schema_context(alfa.schema):
        services.cluster_set_active(
            actor=None, cluster=Cluster.objects.get(name="Wandelen"), active=False
        )
    client = logged_in_client(alfa, member=people["member"])
    everything = client.get("/api/v1/clusters/").json()
    assert everything["count"] == 7
    by_name = {c["name"]: c for c in everything["results"]}
    assert by_name["Reparaties"]["compensation"] == "euros"
    assert by_name["Wandelen"]["compensation"] == "free"
    assert by_name["Wandelen"]["is_active"] is False and by_name["Wandelen"]["retired_at"]
    active = client.get("/api/v1/clusters/?active=true").json()
    assert active["count"] == 6 and "Wandelen" not in {c["name"] for c in active["results"]}
    one = client.get(f"/api/v1/clusters/{by_name['Reparaties']['id']}/").json()
    assert one == by_name["Reparaties"]


def test_board_creates_a_cluster_and_the_rulebook_gets_a_version(alfa):
    decision = decision_id(alfa)
    since = last_audit_id(alfa.schema)
    response = post_json(
        logged_in_client(alfa),
        "/api/v1/clusters/",
        {
            "name": "Samen koken",
            "description": "Eten voor de buurt",
            "compensation": "both",
            "decision": decision,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data == {
        "id": data["id"],
        "name": "Samen koken",
        "description": "Eten voor de buurt",
        "is_active": True,
        "retired_at": None,
        "compensation": "both",
    }
    with schema_context(alfa.schema):
        latest = rulebook_latest()
        assert latest.version == 2
        assert latest.cluster_compensation[str(data["id"])] == "both"
        assert latest.decision_id == decision
        assert str(data["id"]) not in Rulebook.objects.get(version=1).cluster_compensation
    assert audit_actions(alfa.schema, since) == ["rulebook.revise", "cluster.create"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"name": "Samen koken"},
            refusal("compensation", "required", "Kies hoe diensten in dit cluster worden vergoed."),
        ),
        (
            {"name": "Samen koken", "compensation": "veel"},
            refusal("compensation", "required", "Kies hoe diensten in dit cluster worden vergoed."),
        ),
        (
            {"name": "reparaties", "compensation": "free"},
            refusal("name", "taken", "Er is al een cluster met deze naam."),
        ),
        (
            {"name": "", "compensation": "free"},
            refusal("name", "required", "Vul de naam van het cluster in."),
        ),
    ],
)
def test_a_refused_cluster_is_a_structured_400_and_changes_nothing(alfa, data, expected):
    before, since = table_snapshot(alfa.schema, Cluster), last_audit_id(alfa.schema)
    response = post_json(logged_in_client(alfa), "/api/v1/clusters/", data)
    assert (response.status_code, response.json()) == (400, expected)
    assert table_snapshot(alfa.schema, Cluster) == before
    assert latest_version(alfa.schema) == 1
    assert audit_actions(alfa.schema, since) == []


def test_board_patches_retires_and_reactivates_a_cluster(alfa):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    client = logged_in_client(alfa)
    url = f"/api/v1/clusters/{cluster.pk}/"
    since = last_audit_id(alfa.schema)
    renamed = patch(client, url, {"description": "Samen een rondje"})
    assert renamed.json()["name"] == "Wandelen"
    assert renamed.json()["description"] == "Samen een rondje"

    retired = post_json(client, f"{url}retire/")
    assert retired.status_code == 200
    assert retired.json()["is_active"] is False and retired.json()["retired_at"]
    again = post_json(client, f"{url}retire/")
    assert again.json() == refusal("is_active", "unchanged", "Dit cluster is al buiten gebruik.")
    # There is no delete: the method is refused, even to the board.
    assert client.delete(url).status_code == 403
    with schema_context(alfa.schema):
        assert Cluster.objects.filter(pk=cluster.pk, is_active=False).exists()

    back = post_json(client, f"{url}reactivate/")
    assert back.json()["is_active"] is True and back.json()["retired_at"] is None
    assert post_json(client, f"{url}reactivate/").json() == refusal(
        "is_active", "unchanged", "Dit cluster is al in gebruik."
    )
    assert audit_actions(alfa.schema, since) == [
        "cluster.update",
        "cluster.retire",
        "cluster.reactivate",
    ]
    assert latest_version(alfa.schema) == 1


@pytest.mark.parametrize("who", ["member", "coordinator"])
def test_members_and_coordinators_cannot_change_clusters(alfa, people, who):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    before = table_snapshot(alfa.schema, Cluster)
    client = logged_in_client(alfa, member=people[who])
    url = f"/api/v1/clusters/{cluster.pk}/"
    assert client.get(url).status_code == 200
    for response in (
        post_json(client, "/api/v1/clusters/", {"name": "Nieuw", "compensation": "free"}),
        patch(client, url, {"name": "Overgenomen"}),
        post_json(client, f"{url}retire/"),
        post_json(client, f"{url}reactivate/"),
    ):
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert table_snapshot(alfa.schema, Cluster) == before
    assert latest_version(alfa.schema) == 1


# --- partners ------------------------------------------------------------------------------------


def test_coordinator_adds_and_patches_a_partner(alfa, people):
    client = logged_in_client(alfa, member=people["coordinator"])
    agreements = [decision_id(alfa, "agreements") for _ in range(3)]
    since = last_audit_id(alfa.schema)
    created = post_json(
        client,
        "/api/v1/partners/",
        {
            "name": "Buurtbedrijf Oost",
            "kind": "social_enterprise",
            "services": "Schilderwerk",
            "email": "info@buurtbedrijf.example.nl",
            "website": "buurtbedrijf.example.nl",
            "social_rate": "12,50",
            "decision": agreements[0],
        },
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data == {
        "id": data["id"],
        "name": "Buurtbedrijf Oost",
        "kind": "social_enterprise",
        "services": "Schilderwerk",
        "contact_name": "",
        "phone": "",
        "email": "info@buurtbedrijf.example.nl",
        "website": "https://buurtbedrijf.example.nl",
        "is_active": True,
        "social_rate": "12.50",
    }
    assert latest_version(alfa.schema) == 2
    url = f"/api/v1/partners/{data['id']}/"

    # A patch without a rate keeps the rate and makes no version.
    phoned = patch(client, url, {"phone": "030 999"})
    assert phoned.json() == {**data, "phone": "030 999"}
    assert latest_version(alfa.schema) == 2
    raised = patch(client, url, {"social_rate": "13.75", "decision": agreements[1]})
    assert raised.json()["social_rate"] == "13.75"
    removed = patch(
        client,
        url,
        {"social_rate": None, "is_active": False, "decision": agreements[2]},
    )
    assert removed.json()["social_rate"] is None and removed.json()["is_active"] is False
    with schema_context(alfa.schema):
        assert [r.partner_rates for r in Rulebook.objects.order_by("version")] == [
            {},
            {str(data["id"]): "12.50"},
            {str(data["id"]): "13.75"},
            {},
        ]
    assert audit_actions(alfa.schema, since) == [
        "rulebook.revise",
        "partner.create",
        "partner.update",
        "rulebook.revise",
        "partner.update",
        "rulebook.revise",
        "partner.update",
    ]
    listing = logged_in_client(alfa, member=people["member"]).get("/api/v1/partners/").json()
    assert listing["count"] == 1 and listing["results"][0]["is_active"] is False


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"social_rate": "-4"},
            refusal("social_rate", "negative", "Een tarief kan niet negatief zijn."),
        ),
        (
            {"name": "podium OOST"},
            refusal("name", "taken", "Er is al een partner met deze naam."),
        ),
        ({"name": "  "}, refusal("name", "required", "Vul de naam van de partner in.")),
        (
            {"email": "info@"},
            refusal(
                "email", "invalid", "Vul een geldig e-mailadres in, bijvoorbeeld info@buurt.nl."
            ),
        ),
    ],
)
def test_a_refused_partner_is_a_structured_400_and_changes_nothing(alfa, people, data, expected):
    PartnerFactory(schema=alfa.schema, name="Podium Oost")
    before, since = table_snapshot(alfa.schema, Partner), last_audit_id(alfa.schema)
    client = logged_in_client(alfa, member=people["coordinator"])
    response = post_json(client, "/api/v1/partners/", {"name": "Buurtbedrijf", **data})
    assert (response.status_code, response.json()) == (400, expected)
    assert table_snapshot(alfa.schema, Partner) == before
    assert latest_version(alfa.schema) == 1
    assert audit_actions(alfa.schema, since) == []


def test_a_plain_member_reads_partners_but_cannot_change_them(alfa, people):
    with schema_context(alfa.schema):
        partner = services.partner_save(
            actor=board_member(alfa),
            name="Podium Oost",
            social_rate="9",
            decision=decided("agreements"),
        )
    before = table_snapshot(alfa.schema, Partner)
    client = logged_in_client(alfa, member=people["member"])
    assert client.get(f"/api/v1/partners/{partner.pk}/").json()["social_rate"] == "9.00"
    for response in (
        post_json(client, "/api/v1/partners/", {"name": "Nieuw"}),
        patch(client, f"/api/v1/partners/{partner.pk}/", {"social_rate": "1"}),
    ):
        assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert table_snapshot(alfa.schema, Partner) == before
    assert latest_version(alfa.schema) == 2


# --- isolation -----------------------------------------------------------------------------------


def test_ids_of_another_cooperative_answer_404_and_change_nothing(alfa, beta):
    hood = beta_only(
        beta,
        alfa,
        Neighbourhood,
        lambda: Neighbourhood.objects.create(name=f"Beta {Neighbourhood.objects.count()}"),
    )
    cluster = beta_only(
        beta,
        alfa,
        Cluster,
        lambda: Cluster.objects.create(name=f"Beta-cluster {Cluster.objects.count()}"),
    )
    partner = beta_only(
        beta,
        alfa,
        Partner,
        lambda: Partner.objects.create(name=f"Beta-partner {Partner.objects.count()}"),
    )
    models = (Neighbourhood, Cluster, Partner, Rulebook)
    before = {(c.schema, m): table_snapshot(c.schema, m) for c in (alfa, beta) for m in models}
    client = logged_in_client(alfa)
    not_found = {
        "type": "client_error",
        "errors": [{"attr": None, "code": "not_found", "detail": "Niet gevonden."}],
    }
    for response in (
        client.get(f"/api/v1/neighbourhoods/{hood.pk}/"),
        patch(client, f"/api/v1/neighbourhoods/{hood.pk}/", {"name": "Gekaapt"}),
        client.get(f"/api/v1/clusters/{cluster.pk}/"),
        patch(client, f"/api/v1/clusters/{cluster.pk}/", {"name": "Gekaapt"}),
        post_json(client, f"/api/v1/clusters/{cluster.pk}/retire/"),
        post_json(client, f"/api/v1/clusters/{cluster.pk}/reactivate/"),
        client.get(f"/api/v1/partners/{partner.pk}/"),
        patch(client, f"/api/v1/partners/{partner.pk}/", {"social_rate": "1"}),
    ):
        assert (response.status_code, response.json()) == (404, not_found)
    assert {
        (c.schema, m): table_snapshot(c.schema, m) for c in (alfa, beta) for m in models
    } == before
    # And the lists show only alfa's own records.
    names = {c["name"] for c in client.get("/api/v1/clusters/").json()["results"]}
    assert cluster.name not in names and "Wandelen" in names


def test_the_openapi_schema_documents_the_set_up(alfa):
    paths = client_for(alfa.host).get("/api/v1/schema/?format=json").json()["paths"]
    assert paths["/api/v1/clusters/"]["post"]["operationId"] == "cluster_create"
    assert paths["/api/v1/clusters/{id}/retire/"]["post"]["operationId"] == "cluster_retire"
    assert set(paths["/api/v1/neighbourhoods/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/partners/"]) == {"get", "post"}
    assert "delete" not in paths["/api/v1/clusters/{id}/"]
