"""House rules and rates through the API: members read every version, the board previews and
makes the next one, refusals change nothing, and one cooperative never reaches another's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from cooperatives.rules.models import Rulebook
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster, Partner
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client, post_json
from tests.factories import MemberFactory, decided
from tests.state import cluster_named, rulebook_versions

# The decision that adopts a version, recorded with it (unanimous, today).
DECIDED = {"decision_record": {"decided_on": timezone.localdate().isoformat()}}
LIST, CURRENT, PREVIEW = (
    "/api/v1/rulebooks/",
    "/api/v1/rulebooks/current/",
    "/api/v1/rulebooks/preview/",
)


def test_a_member_reads_the_version_in_force(alfa):
    tuin = cluster_named(alfa, "Tuin").pk
    client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    data = client.get(CURRENT).json()
    assert data["version"] == 1 and data["status"] == "in_force"
    assert data["effective_from"] == timezone.localdate().isoformat()
    assert data["adopted_by"].startswith("Sjabloon bij oprichting: Oost voor Elkaar")
    assert (data["euro_rate_per_hour"], data["max_service_hours"]) == ("4.50", "2.0")
    assert (data["max_open_services"], data["feedback_days"]) == (1, 7)
    assert data["klus_needs_network_check"] is True
    assert data["recipient_approves_quality"] is False
    assert data["points_per_hour"] is None and data["starter_points"] is None
    assert (data["min_balance"], data["max_balance"]) == (None, None)
    assert (data["share_points_percent"], data["share_euro_percent"]) == ("0.00", "0.00")
    assert data["no_competition_with_social_enterprises"] is True
    assert data["liability_disclaimer"].startswith("De wijkcoöperatie is niet aansprakelijk")
    assert len(data["clusters"]) == 7
    assert {
        "cluster_id": tuin,
        "name": "Tuin",
        "compensation": "euros",
        "label": "klus: betaald per uur in euro's",
    } in data["clusters"]
    assert data["partners"] == []
    listed = client.get(LIST).json()
    assert listed["count"] == 1 and listed["results"] == [data]
    assert client.get("/api/v1/rulebooks/1/").json() == data


def test_the_board_makes_the_next_version(alfa):
    with schema_context(alfa.schema):
        partner = Partner.objects.create(name="Klusbedrijf Oost")
        board = Member.objects.get(email=alfa.board_email)
    client = logged_in_client(alfa)
    response = post_json(
        client,
        LIST,
        {
            "euro_rate_per_hour": 5.5,
            "starter_points": 10,
            "partner_rates": {str(partner.pk): "12.5"},
            **DECIDED,
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["version"], data["status"]) == (2, "in_force")
    assert (data["euro_rate_per_hour"], data["starter_points"]) == ("5.50", 10)
    assert data["partners"] == [
        {"partner_id": partner.pk, "name": "Klusbedrijf Oost", "social_rate": "12.50"}
    ]
    with schema_context(alfa.schema):
        old, new = Rulebook.objects.get(version=1), Rulebook.objects.get(version=2)
        assert new.euro_rate_per_hour == Decimal("5.50") and new.starter_points == 10
        assert new.partner_rates == {str(partner.pk): "12.50"}
        assert new.feedback_days == old.feedback_days == 7
        assert new.cluster_compensation == old.cluster_compensation
        assert (old.euro_rate_per_hour, old.starter_points) == (Decimal("4.50"), None)
        assert new.created_by_id == board.pk
        entry = AuditEntry.objects.get(action="rulebook.revise")
    assert entry.actor_id == board.pk and entry.target_id == str(new.pk)
    assert entry.changes == {
        "euro_rate_per_hour": ["4.50", "5.50"],
        "starter_points": [None, 10],
        "partner_rates": [{}, {str(partner.pk): "12.50"}],
    }
    history = client.get(LIST).json()
    assert [(r["version"], r["status"]) for r in history["results"]] == [
        (2, "in_force"),
        (1, "superseded"),
    ]


def test_preview_returns_the_changes_and_saves_nothing(alfa):
    tuin = cluster_named(alfa, "Tuin").pk
    with schema_context(alfa.schema):
        compensation = dict(Rulebook.objects.get(version=1).cluster_compensation)
    compensation[str(tuin)] = "both"
    response = post_json(
        logged_in_client(alfa),
        PREVIEW,
        {
            "euro_rate_per_hour": "4.75",
            "klus_needs_network_check": False,
            "cluster_compensation": compensation,
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "next_version": 2,
        "current_version": 1,
        "changes": [
            {
                "field": "euro_rate_per_hour",
                "key": None,
                "label": "euro per uur voor een klus",
                "old": "€ 4,50",
                "new": "€ 4,75",
                "old_value": "4.50",
                "new_value": "4.75",
            },
            {
                "field": "klus_needs_network_check",
                "key": None,
                "label": "een klus vraagt bevestiging dat familie, vrienden en buren niet "
                "kunnen helpen",
                "old": "ja",
                "new": "nee",
                "old_value": True,
                "new_value": False,
            },
            {
                "field": "cluster_compensation",
                "key": str(tuin),
                "label": "Vergoeding: Tuin",
                "old": "klus: betaald per uur in euro's",
                "new": "euro's en tijdpunten",
                "old_value": "euros",
                "new_value": "both",
            },
        ],
    }
    assert rulebook_versions(alfa) == [1]
    with schema_context(alfa.schema):
        assert not AuditEntry.objects.filter(action="rulebook.revise").exists()


def test_a_future_version_waits_for_its_date(alfa):
    later = timezone.localdate() + dt.timedelta(days=14)
    client = logged_in_client(alfa)
    response = post_json(
        client, LIST, {"feedback_days": 5, "effective_from": later.isoformat(), **DECIDED}
    )
    assert response.status_code == 201 and response.json()["status"] == "scheduled"
    current = client.get(CURRENT).json()
    assert (current["version"], current["feedback_days"]) == (1, 7)
    assert client.get("/api/v1/rulebooks/2/").json()["feedback_days"] == 5


@pytest.mark.parametrize(
    ("body", "attr", "detail"),
    [
        ({"min_balance": 1}, "min_balance", "Het laagste saldo mag niet boven 0 liggen."),
        (
            {"min_balance": -5, "max_balance": -10},
            "max_balance",
            "Het hoogste saldo moet minstens zo hoog zijn als het laagste.",
        ),
        (
            {"starter_points": 25, "max_balance": 20},
            "starter_points",
            "Startpunten mogen niet boven het hoogste saldo uitkomen.",
        ),
        (
            {"share_euro_percent": "100.5"},
            "share_euro_percent",
            "Een aandeel ligt tussen 0 en 100 procent.",
        ),
        ({"euro_rate_per_hour": -1}, "euro_rate_per_hour", "Een tarief kan niet negatief zijn."),
        (
            {"effective_from": "2020-01-01"},
            "effective_from",
            "Een nieuwe versie kan niet met terugwerkende kracht ingaan.",
        ),
        ({}, None, "Er is niets gewijzigd ten opzichte van de huidige versie."),
        (
            {"feedback_days": 3, "decision_record": None},
            "decision",
            "Deze wijziging gaat pas in met een besluit. Kies het besluit uit de "
            "besluitenlijst, of leg het vast.",
        ),
    ],
)
def test_invalid_revisions_are_refused_and_nothing_is_saved(alfa, body, attr, detail):
    client = logged_in_client(alfa)
    for path in (PREVIEW, LIST):
        if path == PREVIEW and attr == "decision":
            continue  # a preview needs no decision yet
        response = post_json(client, path, {**DECIDED, **body})
        assert response.status_code == 400
        data = response.json()
        assert data["type"] == "validation_error"
        assert {"attr": attr, "detail": detail} in [
            {"attr": e["attr"], "detail": e["detail"]} for e in data["errors"]
        ]
    assert rulebook_versions(alfa) == [1]


@pytest.mark.parametrize(
    "roles", [[], ["coordinator"], ["neighbourhood_assistant"], ["audit_committee"]]
)
def test_only_the_board_changes_rules(alfa, roles):
    client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=roles))
    assert client.get(LIST).status_code == 200
    assert client.get(CURRENT).status_code == 200
    for path in (LIST, PREVIEW):
        response = post_json(client, path, {"feedback_days": 3, **DECIDED})
        assert response.status_code == 403
        assert response.json()["type"] == "client_error"
    assert rulebook_versions(alfa) == [1]


def test_an_administrator_may_change_rules(alfa):
    client = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, roles=["administrator"])
    )
    assert post_json(client, LIST, {"feedback_days": 3, **DECIDED}).status_code == 201
    assert rulebook_versions(alfa) == [1, 2]


def test_visitors_get_nothing(alfa):
    client = client_for(alfa.host)
    assert client.get(LIST).status_code == 403
    assert client.get(CURRENT).status_code == 403
    assert post_json(client, LIST, {"feedback_days": 3, **DECIDED}).status_code == 403
    assert rulebook_versions(alfa) == [1]


def test_versions_of_b_are_not_reachable_from_a(alfa, beta):
    with schema_context(beta.schema):
        for days in (3, 4):
            rulebook_revise(actor=None, changes={"feedback_days": days}, decision=decided())
    client = logged_in_client(alfa)
    assert client.get("/api/v1/rulebooks/3/").status_code == 404
    assert client.get(LIST).json()["count"] == 1
    assert logged_in_client(beta).get("/api/v1/rulebooks/3/").json()["feedback_days"] == 4


def test_a_cluster_or_partner_of_a_sent_to_b_is_refused(alfa, beta):
    with schema_context(beta.schema):
        beta_clusters = set(Cluster.objects.values_list("pk", flat=True))
        beta_partners = set(Partner.objects.values_list("pk", flat=True))
    with schema_context(alfa.schema):
        only_alfa = max(set(Cluster.objects.values_list("pk", flat=True)) - beta_clusters)
        partner = Partner.objects.create(name="Alleen in Alfa")
    assert partner.pk not in beta_partners
    client = logged_in_client(beta)
    for body, attr, detail in (
        (
            {"cluster_compensation": {str(only_alfa): "free"}},
            "cluster_compensation",
            "Onbekend cluster of onbekende vergoeding.",
        ),
        (
            {"partner_rates": {str(partner.pk): "10"}},
            "partner_rates",
            "Onbekende partner of ongeldig sociaal tarief.",
        ),
    ):
        response = post_json(client, LIST, {**body, **DECIDED})
        assert response.status_code == 400
        assert response.json()["errors"][0] | {"code": None} == {
            "attr": attr,
            "code": None,
            "detail": detail,
        }
    assert rulebook_versions(beta) == [1]


def test_a_revision_based_on_an_older_version_is_refused(alfa):
    client = logged_in_client(alfa)
    assert post_json(client, LIST, {"feedback_days": 3, **DECIDED}).status_code == 201
    response = post_json(client, LIST, {"feedback_days": 4, **DECIDED, "based_on_version": 1})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "attr": None,
            "code": "stale",
            "detail": "Intussen is versie 2 vastgesteld. Bekijk de wijzigingen opnieuw voordat "
            "u ze vaststelt.",
        }
    ]
    assert rulebook_versions(alfa) == [1, 2]
    ok = post_json(client, LIST, {"feedback_days": 4, **DECIDED, "based_on_version": 2})
    assert ok.status_code == 201 and ok.json()["version"] == 3
