"""The cooperative's set-up pages: buurten, clusters and partners. Every member reads them, the
board changes them (coordinators too for partners); each refusal has its own Dutch message and
changes nothing; another cooperative's ids are 404; every change is in the audit log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from cooperatives.members.models import Role, RoleAssignment
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_latest
from cooperatives.setup import services
from cooperatives.setup.models import Cluster, Neighbourhood, Partner
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import (
    ClusterFactory,
    MemberFactory,
    NeighbourhoodFactory,
    PartnerFactory,
    beta_only,
    decided,
    decision_id,
)
from tests.pages import audit as form_audit
from tests.state import audit_actions, board_member, last_audit_id, latest_version, table_snapshot


@pytest.fixture
def people(alfa):
    return {
        "member": MemberFactory(schema=alfa.schema, name="Gewoon Lid"),
        "assistant": MemberFactory(
            schema=alfa.schema, name="Bea Buurt", roles=[Role.NEIGHBOURHOOD_ASSISTANT]
        ),
        "coordinator": MemberFactory(
            schema=alfa.schema, name="Coco Coördinator", roles=[Role.COORDINATOR]
        ),
        "admin": MemberFactory(schema=alfa.schema, name="Ad Beheer", roles=[Role.ADMINISTRATOR]),
    }


# --- buurten: reading ---------------------------------------------------------------------------


def test_any_member_reads_the_buurten_with_assistants_contact_and_active_members(alfa, people):
    oudwijk = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    with schema_context(alfa.schema):
        oudwijk.network_name, oudwijk.contact = "Oudwijk Dichtbij", "030 123 45 67"
        oudwijk.save()
        oudwijk.assistants.set([people["assistant"]])
    MemberFactory(schema=alfa.schema, name="Actief Een", neighbourhood=oudwijk)
    MemberFactory(schema=alfa.schema, name="Actief Twee", neighbourhood=oudwijk)
    MemberFactory(schema=alfa.schema, name="Vertrokken", neighbourhood=oudwijk, status="left")

    page = logged_in_client(alfa, member=people["member"]).get("/buurten/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Oudwijk", "Oudwijk Dichtbij", "Bea Buurt", "030 123 45 67"):
        assert text in html
    assert "<dt>Actieve leden</dt><dd>2</dd>" in html
    assert "/buurten/nieuw/" not in html and "bewerken" not in html
    board_html = logged_in_client(alfa).get("/buurten/").content.decode()
    assert "/buurten/nieuw/" in board_html
    assert f"/buurten/{oudwijk.pk}/bewerken/" in board_html


def test_buurten_list_needs_no_query_per_buurt(alfa, people, django_assert_max_num_queries):
    client = logged_in_client(alfa, member=people["member"])
    client.get("/buurten/")  # warm the session and tenant caches
    for n in range(12):
        hood = NeighbourhoodFactory(
            schema=alfa.schema, name=f"Buurt {n}", postcodes=[str(3000 + n)]
        )
        with schema_context(alfa.schema):
            hood.assistants.set([people["assistant"]])
    with django_assert_max_num_queries(10):
        assert client.get("/buurten/").status_code == 200


# --- buurten: writing ---------------------------------------------------------------------------


def test_board_creates_a_buurt_and_the_assistant_gets_the_role(alfa, people):
    helper = people["member"]
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa)
    form = client.get("/buurten/nieuw/")
    assert form.status_code == 200
    found = form_audit(form.content.decode())
    assert found.inputs and all(f.get("id") in found.label_for for f in found.inputs)

    response = client.post(
        "/buurten/nieuw/",
        {
            "name": "  Oudwijk ",
            "network_name": "Oudwijk Dichtbij",
            "contact": "oudwijk@alfa.example.nl",
            "postcodes": "3581, 3582 ab, 3581",
            "streets": "Oudwijkerdwarsstraat,  Nachtegaalstraat",
            "assistants": [helper.pk],
        },
    )
    assert response.status_code == 302 and response["Location"] == "/buurten/"
    board = board_member(alfa)
    with schema_context(alfa.schema):
        hood = Neighbourhood.objects.get()
        assert hood.name == "Oudwijk" and hood.network_name == "Oudwijk Dichtbij"
        assert hood.postcodes == ["3581", "3582AB"]
        assert hood.streets == ["oudwijkerdwarsstraat", "nachtegaalstraat"]
        assert list(hood.assistants.all()) == [helper]
        assert RoleAssignment.objects.get(member=helper).role == Role.NEIGHBOURHOOD_ASSISTANT
        entries = {e.action: e for e in AuditEntry.objects.filter(id__gt=since).order_by("id")}
    assert list(entries) == ["member.assign_roles", "neighbourhood.create"]
    assert entries["neighbourhood.create"].actor_id == board.pk
    assert entries["neighbourhood.create"].target_id == str(hood.pk)
    assert entries["neighbourhood.create"].changes["postcodes"] == [None, ["3581", "3582AB"]]
    assert entries["member.assign_roles"].target_id == str(helper.pk)
    assert entries["member.assign_roles"].changes == {"roles": [[], [Role.NEIGHBOURHOOD_ASSISTANT]]}
    assert "De buurt Oudwijk is aangemaakt." in client.get("/buurten/").content.decode()


def test_board_edits_a_buurt_and_replaces_its_assistants(alfa, people):
    old, new = people["assistant"], people["member"]
    hood = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    with schema_context(alfa.schema):
        hood.assistants.set([old])
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa)
    form = client.get(f"/buurten/{hood.pk}/bewerken/").content.decode()
    assert 'value="Oudwijk"' in form and 'value="3581"' in form
    assert f'<option value="{old.pk}" selected>' in form

    response = client.post(
        f"/buurten/{hood.pk}/bewerken/",
        {"name": "Oudwijk-Noord", "postcodes": "3581AA", "streets": "", "assistants": [new.pk]},
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        hood.refresh_from_db()
        assert (hood.name, hood.postcodes, hood.streets) == ("Oudwijk-Noord", ["3581AA"], [])
        assert list(hood.assistants.all()) == [new]
        entry = AuditEntry.objects.get(id__gt=since, action="neighbourhood.update")
    assert entry.changes == {
        "assistants": [[old.pk], [new.pk]],
        "name": "(gewijzigd)",
        "postcodes": [["3581"], ["3581AA"]],
    }
    assert audit_actions(alfa.schema, since) == ["member.assign_roles", "neighbourhood.update"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "  "}, "name", "Vul de naam van de buurt in."),
        ({"name": "OUDWIJK"}, "name", "Er is al een buurt met deze naam."),
        (
            {"name": "Nieuw", "postcodes": "3581, 358, 0581"},
            "postcodes",
            "Ongeldige postcode: 358, 0581. Gebruik 4 cijfers (3581) of een hele postcode "
            "(3581AB).",
        ),
        (
            {"name": "Nieuw", "postcodes": "3581ABC"},
            "postcodes",
            "Ongeldige postcode: 3581ABC.",
        ),
        (
            {"name": "Nieuw", "postcodes": "3572, 3581"},
            "postcodes",
            "Deze postcodes horen al bij een andere buurt: 3581 (Oudwijk).",
        ),
        (
            {"name": "Nieuw", "streets": "Kerkstraat"},
            "streets",
            "Deze straten horen al bij een andere buurt: kerkstraat (Oudwijk).",
        ),
    ],
)
def test_a_refused_buurt_says_why_and_changes_nothing(alfa, people, data, field, message):
    NeighbourhoodFactory(
        schema=alfa.schema, name="Oudwijk", postcodes=["3581"], streets=["Kerkstraat"]
    )
    before, since = table_snapshot(alfa.schema, Neighbourhood), last_audit_id(alfa.schema)
    response = logged_in_client(alfa).post(
        "/buurten/nieuw/", {**data, "assistants": [people["member"].pk]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert table_snapshot(alfa.schema, Neighbourhood) == before
    assert audit_actions(alfa.schema, since) == []
    with schema_context(alfa.schema):
        assert not RoleAssignment.objects.filter(member=people["member"]).exists()


def test_renaming_a_buurt_to_an_existing_name_is_refused(alfa):
    NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk")
    abstede = NeighbourhoodFactory(schema=alfa.schema, name="Abstede", postcodes=["3588"])
    before = table_snapshot(alfa.schema, Neighbourhood)
    response = logged_in_client(alfa).post(
        f"/buurten/{abstede.pk}/bewerken/", {"name": "oudwijk", "postcodes": ""}
    )
    assert response.status_code == 400
    assert "Er is al een buurt met deze naam." in response.content.decode()
    assert table_snapshot(alfa.schema, Neighbourhood) == before


@pytest.mark.parametrize("who", ["member", "assistant", "coordinator"])
def test_only_the_board_and_administrators_manage_buurten(alfa, people, who):
    hood = NeighbourhoodFactory(schema=alfa.schema, name="Oudwijk", postcodes=["3581"])
    before = table_snapshot(alfa.schema, Neighbourhood)
    client = logged_in_client(alfa, member=people[who])
    assert client.get("/buurten/").status_code == 200
    for url in ("/buurten/nieuw/", f"/buurten/{hood.pk}/bewerken/"):
        assert client.get(url).status_code == 403
        refused = client.post(url, {"name": "Overgenomen", "postcodes": "3599"})
        assert refused.status_code == 403
        assert "U heeft hier geen toegang toe" in refused.content.decode()
    assert table_snapshot(alfa.schema, Neighbourhood) == before
    admin = logged_in_client(alfa, member=people["admin"])
    assert admin.post("/buurten/nieuw/", {"name": "Abstede"}).status_code == 302


def test_pages_ask_for_a_login_first(alfa):
    client = client_for(alfa.host)
    for url in ("/buurten/", "/clusters/", "/partners/", "/clusters/nieuw/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")


def test_ids_of_another_cooperative_are_not_found(alfa, beta):
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
    before = {m: table_snapshot(beta.schema, m) for m in (Neighbourhood, Cluster, Partner)}
    before_alfa = {m: table_snapshot(alfa.schema, m) for m in (Neighbourhood, Cluster, Partner)}
    client = logged_in_client(alfa)
    for url, data in (
        (f"/buurten/{hood.pk}/bewerken/", {"name": "Gekaapt"}),
        (f"/clusters/{cluster.pk}/bewerken/", {"name": "Gekaapt"}),
        (f"/clusters/{cluster.pk}/status/", {"active": "0"}),
        (f"/partners/{partner.pk}/bewerken/", {"name": "Gekaapt"}),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    for model in (Neighbourhood, Cluster, Partner):
        assert table_snapshot(beta.schema, model) == before[model]
        assert table_snapshot(alfa.schema, model) == before_alfa[model]


# --- clusters ------------------------------------------------------------------------------------


def test_any_member_reads_the_clusters_with_their_compensation(alfa, people):
    old = ClusterFactory(
        schema=alfa.schema,
        name="Oude cluster",
        is_active=False,
        retired_at="2026-01-05T12:00:00+01:00",
    )
    html = logged_in_client(alfa, member=people["member"]).get("/clusters/").content.decode()
    assert "Wandelen" in html and "gratis" in html
    assert "Reparaties" in html and "klus: betaald per uur in euro&#x27;s" in html
    assert "Oude cluster" in html and "buiten gebruik sinds 5 januari 2026" in html
    assert "nog niet vastgesteld" in html  # the old cluster has no compensation in v1
    assert "/clusters/nieuw/" not in html and f"/clusters/{old.pk}/status/" not in html
    board_html = logged_in_client(alfa).get("/clusters/").content.decode()
    assert "/clusters/nieuw/" in board_html and f"/clusters/{old.pk}/status/" in board_html


def test_board_adds_a_cluster_which_makes_a_new_rulebook_version(alfa):
    decision = decision_id(alfa)
    since = last_audit_id(alfa.schema)
    with schema_context(alfa.schema):
        v1 = Rulebook.objects.get()
        v1_map = dict(v1.cluster_compensation)
    client = logged_in_client(alfa)
    form = client.get("/clusters/nieuw/").content.decode()
    found = form_audit(form)
    assert all(f.get("id") in found.label_for for f in found.inputs)
    response = client.post(
        "/clusters/nieuw/",
        {
            "name": "Boodschappen samen",
            "description": "Samen naar de markt.",
            "compensation": "points",
            "decision": str(decision),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/clusters/"
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Boodschappen samen")
        assert cluster.description == "Samen naar de markt." and cluster.is_active
        v2 = rulebook_latest()
        assert v2.version == v1.version + 1 == 2
        assert v2.decision_id == decision
        assert v2.cluster_compensation == {**v1_map, str(cluster.pk): "points"}
        assert Rulebook.objects.get(version=1).cluster_compensation == v1_map  # past untouched
        entry = AuditEntry.objects.get(id__gt=since, action="cluster.create")
    assert entry.target_id == str(cluster.pk) and entry.actor_id == board_member(alfa).pk
    assert audit_actions(alfa.schema, since) == ["rulebook.revise", "cluster.create"]
    listing = client.get("/clusters/").content.decode()
    assert "Het cluster Boodschappen samen is aangemaakt" in listing
    assert "betaald in tijdpunten" in listing


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "Samen koken"},
            "compensation",
            "Kies hoe diensten in dit cluster worden vergoed.",
        ),
        (
            {"name": "Samen koken", "compensation": "gratis"},
            "compensation",
            "Kies hoe diensten in dit cluster worden vergoed.",
        ),
        (
            {"name": "wANDELEN", "compensation": "free"},
            "name",
            "Er is al een cluster met deze naam.",
        ),
        ({"name": " ", "compensation": "free"}, "name", "Vul de naam van het cluster in."),
    ],
)
def test_a_refused_cluster_says_why_and_changes_nothing(alfa, data, field, message):
    before, since = table_snapshot(alfa.schema, Cluster), last_audit_id(alfa.schema)
    response = logged_in_client(alfa).post("/clusters/nieuw/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'id="id_{field}_error"' in html
    assert table_snapshot(alfa.schema, Cluster) == before
    assert latest_version(alfa.schema) == 1
    assert audit_actions(alfa.schema, since) == []


def test_board_edits_a_cluster_without_touching_the_rules(alfa):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa)
    assert 'value="Wandelen"' in client.get(f"/clusters/{cluster.pk}/bewerken/").content.decode()
    response = client.post(
        f"/clusters/{cluster.pk}/bewerken/",
        {"name": "Wandelen en fietsen", "description": "Samen naar buiten."},
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        cluster.refresh_from_db()
        assert (cluster.name, cluster.description) == ("Wandelen en fietsen", "Samen naar buiten.")
        entry = AuditEntry.objects.get(id__gt=since)
    assert entry.action == "cluster.update"
    assert entry.changes == {"description": ["", "Samen naar buiten."], "name": "(gewijzigd)"}
    assert latest_version(alfa.schema) == 1

    refused = client.post(f"/clusters/{cluster.pk}/bewerken/", {"name": "reparaties"})
    assert refused.status_code == 400
    assert "Er is al een cluster met deze naam." in refused.content.decode()
    with schema_context(alfa.schema):
        cluster.refresh_from_db()
        assert cluster.name == "Wandelen en fietsen"


def test_a_retired_cluster_stays_but_leaves_the_home_page(alfa, people):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa)
    member_client = logged_in_client(alfa, member=people["member"])
    assert "Wandelen" in member_client.get("/").content.decode()

    confirm = client.get(f"/clusters/{cluster.pk}/status/")
    assert confirm.status_code == 200
    assert "Cluster Wandelen buiten gebruik stellen?" in confirm.content.decode()
    response = client.post(f"/clusters/{cluster.pk}/status/", {"active": "0"})
    assert response.status_code == 302 and response["Location"] == "/clusters/"
    with schema_context(alfa.schema):
        cluster.refresh_from_db()
        assert cluster.is_active is False and cluster.retired_at is not None
        retired_at = cluster.retired_at
    assert "Wandelen" not in member_client.get("/").content.decode()
    assert "Wandelen" in member_client.get("/clusters/").content.decode()

    # Sending the form again does not undo it, nor move the date.
    again = client.post(f"/clusters/{cluster.pk}/status/", {"active": "0"})
    assert again.status_code == 400
    assert "Dit cluster is al buiten gebruik." in again.content.decode()
    with schema_context(alfa.schema):
        cluster.refresh_from_db()
        assert cluster.retired_at == retired_at

    # There is no way to delete a cluster.
    assert client.post(f"/clusters/{cluster.pk}/verwijderen/").status_code == 404
    assert (
        client.get(f"/clusters/{cluster.pk}/status/")
        .content.decode()
        .count("weer in gebruik nemen?")
    )
    assert client.post(f"/clusters/{cluster.pk}/status/", {"active": "1"}).status_code == 302
    with schema_context(alfa.schema):
        cluster.refresh_from_db()
        assert cluster.is_active is True and cluster.retired_at is None
    assert "Wandelen" in member_client.get("/").content.decode()
    assert audit_actions(alfa.schema, since) == ["cluster.retire", "cluster.reactivate"]
    assert latest_version(alfa.schema) == 1


def test_a_status_form_without_a_choice_is_refused(alfa):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    response = logged_in_client(alfa).post(f"/clusters/{cluster.pk}/status/", {})
    assert response.status_code == 400
    assert "Kies of het cluster in of buiten gebruik gaat." in response.content.decode()
    with schema_context(alfa.schema):
        assert Cluster.objects.get(pk=cluster.pk).is_active


@pytest.mark.parametrize("who", ["member", "assistant", "coordinator"])
def test_only_the_board_and_administrators_manage_clusters(alfa, people, who):
    with schema_context(alfa.schema):
        cluster = Cluster.objects.get(name="Wandelen")
    before = table_snapshot(alfa.schema, Cluster)
    client = logged_in_client(alfa, member=people[who])
    assert client.get("/clusters/").status_code == 200
    for url, data in (
        ("/clusters/nieuw/", {"name": "Nieuw", "compensation": "free"}),
        (f"/clusters/{cluster.pk}/bewerken/", {"name": "Overgenomen"}),
        (f"/clusters/{cluster.pk}/status/", {"active": "0"}),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert table_snapshot(alfa.schema, Cluster) == before
    assert latest_version(alfa.schema) == 1
    admin = logged_in_client(alfa, member=people["admin"])
    assert admin.post(f"/clusters/{cluster.pk}/status/", {"active": "0"}).status_code == 302


# --- partners ------------------------------------------------------------------------------------


def test_any_member_reads_the_partners_with_their_social_rate(alfa, people):
    with schema_context(alfa.schema):
        services.partner_save(
            actor=board_member(alfa),
            name="Buurtbedrijf Oost",
            kind=Partner.Kind.SOCIAL_ENTERPRISE,
            services="Grote klussen",
            contact_name="Sandra",
            phone="030 999 88 77",
            email="info@buurtbedrijf.example.nl",
            website="https://buurtbedrijf.example.nl",
            social_rate=Decimal("12.50"),
            decision=decided("agreements"),
        )
    html = logged_in_client(alfa, member=people["member"]).get("/partners/").content.decode()
    for text in (
        "Buurtbedrijf Oost",
        "sociale onderneming",
        "Grote klussen",
        "Sandra",
        "030 999 88 77",
        "info@buurtbedrijf.example.nl",
        "€ 12,50 per uur",
    ):
        assert text in html
    assert "/partners/nieuw/" not in html


@pytest.mark.parametrize("who", ["coordinator", "board"])
def test_coordinator_and_board_add_a_partner_with_a_social_rate(alfa, people, who):
    member = people.get(who) or board_member(alfa)
    decision = decision_id(alfa, "agreements")
    since = last_audit_id(alfa.schema)
    client = logged_in_client(alfa, member=member)
    form = client.get("/partners/nieuw/")
    assert form.status_code == 200
    found = form_audit(form.content.decode())
    assert all(f.get("id") in found.label_for for f in found.inputs)
    response = client.post(
        "/partners/nieuw/",
        {
            "name": "Buurtbedrijf Oost",
            "kind": "social_enterprise",
            "services": "Schilderwerk",
            "contact_name": "Sandra",
            "phone": "030 999 88 77",
            "email": "info@buurtbedrijf.example.nl",
            "website": "buurtbedrijf.example.nl",
            "social_rate": "12,50",
            "is_active": "on",
            "decision": str(decision),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/partners/"
    with schema_context(alfa.schema):
        partner = Partner.objects.get()
        assert partner.website == "https://buurtbedrijf.example.nl"
        assert partner.is_active and partner.kind == "social_enterprise"
        rulebook = rulebook_latest()
        assert rulebook.version == 2
        assert rulebook.partner_rates == {str(partner.pk): "12.50"}
        entry = AuditEntry.objects.get(id__gt=since, action="partner.create")
    assert entry.actor_id == member.pk and entry.target_id == str(partner.pk)
    assert entry.changes["social_rate"] == [None, "12.50"]
    assert entry.changes["contact_name"] == "(gewijzigd)"
    assert audit_actions(alfa.schema, since) == ["rulebook.revise", "partner.create"]


def test_a_partner_without_a_rate_makes_no_new_version(alfa, people):
    client = logged_in_client(alfa, member=people["coordinator"])
    response = client.post("/partners/nieuw/", {"name": "Podium Oost", "kind": "partner"})
    assert response.status_code == 302
    with schema_context(alfa.schema):
        assert Partner.objects.get().is_active is False  # the box was not ticked
    assert latest_version(alfa.schema) == 1


def test_editing_a_partner_versions_only_a_changed_rate(alfa, people):
    with schema_context(alfa.schema):
        partner = services.partner_save(
            actor=board_member(alfa),
            name="Buurtbedrijf Oost",
            social_rate="12.50",
            decision=decided("agreements"),
        )
    assert latest_version(alfa.schema) == 2
    client = logged_in_client(alfa, member=people["coordinator"])
    url = f"/partners/{partner.pk}/bewerken/"
    form = client.get(url).content.decode()
    assert 'value="12,50"' in form and 'value="Buurtbedrijf Oost"' in form
    base = {"name": "Buurtbedrijf Oost", "kind": "social_enterprise", "is_active": "on"}

    assert (
        client.post(url, {**base, "services": "Tuinen", "social_rate": "12,50"}).status_code == 302
    )
    assert latest_version(alfa.schema) == 2
    agreed = {"decision": str(decision_id(alfa, "agreements"))}
    assert client.post(url, {**base, "social_rate": "14", **agreed}).status_code == 302
    with schema_context(alfa.schema):
        assert rulebook_latest().version == 3
        assert rulebook_latest().partner_rates == {str(partner.pk): "14.00"}
        assert Rulebook.objects.get(version=2).partner_rates == {str(partner.pk): "12.50"}
    agreed = {"decision": str(decision_id(alfa, "agreements"))}
    assert client.post(url, {**base, "social_rate": "", **agreed}).status_code == 302
    with schema_context(alfa.schema):
        assert rulebook_latest().version == 4 and rulebook_latest().partner_rates == {}
        partner.refresh_from_db()
        assert partner.services == ""
        changes = AuditEntry.objects.filter(action="partner.update").order_by("id")
        assert [e.changes.get("social_rate") for e in changes] == [
            None,
            ["12.50", "14.00"],
            ["14.00", None],
        ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"social_rate": "-1"}, "social_rate", "Een tarief kan niet negatief zijn."),
        (
            {"social_rate": "twaalf"},
            "social_rate",
            "Vul een bedrag in euro&#x27;s in, bijvoorbeeld 12,50.",
        ),
        ({"social_rate": "12,345"}, "social_rate", "Gebruik hoogstens 2 cijfers achter de komma."),
        ({"social_rate": "1000"}, "social_rate", "Een tarief per uur ligt onder de € 1000."),
        ({"name": "PODIUM oost"}, "name", "Er is al een partner met deze naam."),
        ({"name": ""}, "name", "Vul de naam van de partner in."),
        ({"kind": "winkel"}, "kind", "Kies wijkpartner of sociale onderneming."),
        (
            {"email": "geen-adres"},
            "email",
            "Vul een geldig e-mailadres in, bijvoorbeeld info@buurt.nl.",
        ),
        (
            {"website": "niet een adres"},
            "website",
            "Vul een geldig webadres in, bijvoorbeeld www.buurt.nl.",
        ),
    ],
)
def test_a_refused_partner_says_why_and_changes_nothing(alfa, people, data, field, message):
    PartnerFactory(schema=alfa.schema, name="Podium Oost")
    before, since = table_snapshot(alfa.schema, Partner), last_audit_id(alfa.schema)
    client = logged_in_client(alfa, member=people["coordinator"])
    response = client.post("/partners/nieuw/", {"name": "Buurtbedrijf", "kind": "partner", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'id="id_{field}_error"' in html
    assert table_snapshot(alfa.schema, Partner) == before
    assert latest_version(alfa.schema) == 1
    assert audit_actions(alfa.schema, since) == []


@pytest.mark.parametrize("who", ["member", "assistant"])
def test_members_and_assistants_do_not_manage_partners(alfa, people, who):
    partner = PartnerFactory(schema=alfa.schema, name="Podium Oost")
    before = table_snapshot(alfa.schema, Partner)
    client = logged_in_client(alfa, member=people[who])
    assert client.get("/partners/").status_code == 200
    for url in ("/partners/nieuw/", f"/partners/{partner.pk}/bewerken/"):
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "Overgenomen", "social_rate": "1"}).status_code == 403
    assert table_snapshot(alfa.schema, Partner) == before
    assert latest_version(alfa.schema) == 1
