"""Who read a member's care data (NEN 7513 style): every look at the description of a request
in a care cluster by someone other than the requester adds one append-only row; the member sees
who looked from "Mijn gegevens"; the board reads the log without the care text. Both
cooperatives are in every test: rows stay in the cooperative where the look happened."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_tenants.utils import schema_context

from cooperatives.carelog.models import CareAccess
from cooperatives.members.models import Role
from cooperatives.setup.models import Cluster
from tests.clients import logged_in_client
from tests.factories import HelpRequestFactory, MemberFactory, ServiceFactory, marketplace_people
from tests.state import count_rows

CARE = "Ik ben net aan mijn heup geopereerd en kom de trap niet af"
# The rules templates' care clusters: alfa (Oost voor Elkaar) and beta (WIJ).
CARE_CLUSTER = {"alfa": "Thuisbezoek en praatje", "beta": "Zorg en aandacht voor elkaar"}
PLAIN_CLUSTER = {"alfa": "Wandelen", "beta": "Administratie"}


def _rows(coop) -> list[tuple[int, int, str, str, int]]:
    with schema_context(coop.schema):
        return list(
            CareAccess.objects.order_by("id").values_list(
                "viewer_id", "subject_id", "route", "target_type", "target_id"
            )
        )


@pytest.fixture
def people(alfa, beta):
    return {coop.schema: marketplace_people(coop) for coop in (alfa, beta)}


def _care_request(coop, people, *, cluster: str | None = None, description: str = CARE):
    return HelpRequestFactory(
        schema=coop.schema,
        requester=people[coop.schema].rita,
        cluster=cluster or CARE_CLUSTER[coop.cooperative.slug],
        title="Bezoek",
        description=description,
        network_checked=True,
    )


def test_a_coordinators_view_of_a_care_request_adds_exactly_one_row(alfa, beta, people):
    """The coordinator opens Rita's care request: the page shows the care need, and one row
    says who, whose, and on which page; nothing is logged in beta."""
    cast = people[alfa.schema]
    request = _care_request(alfa, people)
    page = logged_in_client(alfa, member=cast.coordinator).get(f"/hulpvragen/{request.pk}/")
    assert page.status_code == 200 and CARE in page.content.decode()
    assert _rows(alfa) == [
        (cast.coordinator.pk, cast.rita.pk, "request-detail", "hulpvraag", request.pk)
    ]
    assert _rows(beta) == []


def test_the_members_own_view_adds_no_row(alfa, beta, people):
    request = _care_request(alfa, people)
    page = logged_in_client(alfa, member=people[alfa.schema].rita).get(f"/hulpvragen/{request.pk}/")
    assert page.status_code == 200 and CARE in page.content.decode()
    assert _rows(alfa) == [] and _rows(beta) == []


def test_a_request_outside_the_care_clusters_adds_no_row(alfa, beta, people):
    request = _care_request(alfa, people, cluster=PLAIN_CLUSTER["alfa"])
    page = logged_in_client(alfa, member=people[alfa.schema].coordinator).get(
        f"/hulpvragen/{request.pk}/"
    )
    assert page.status_code == 200 and CARE in page.content.decode()
    assert _rows(alfa) == []


def test_every_view_by_someone_else_is_logged_also_through_the_api(alfa, beta, people):
    """Each look counts (a second look is a second row), by page and by API, also a
    volunteer reading an open care request on the marketplace; a refused look logs nothing."""
    cast = people[alfa.schema]
    request = _care_request(alfa, people)
    volunteer = logged_in_client(alfa, member=cast.vera)
    assert volunteer.get(f"/hulpvragen/{request.pk}/").status_code == 200
    api = volunteer.get(f"/api/v1/requests/{request.pk}/")
    assert api.status_code == 200 and api.json()["description"] == CARE
    assert _rows(alfa) == [
        (cast.vera.pk, cast.rita.pk, "request-detail", "hulpvraag", request.pk),
        (cast.vera.pk, cast.rita.pk, "api-request-detail", "hulpvraag", request.pk),
    ]
    # Beta's members cannot reach alfa's request at all: no row anywhere.
    other = logged_in_client(beta, member=people[beta.schema].coordinator)
    assert other.get(f"/api/v1/requests/{request.pk}/").status_code == 404
    assert len(_rows(alfa)) == 2 and _rows(beta) == []


def test_the_service_page_shows_the_care_need_and_is_logged(alfa, beta, people):
    cast = people[alfa.schema]
    service = ServiceFactory(
        schema=alfa.schema,
        requester=cast.rita,
        volunteer=cast.vera,
        cluster=CARE_CLUSTER["alfa"],
        description=CARE,
    )
    page = logged_in_client(alfa, member=cast.vera).get(f"/diensten/{service.pk}/")
    assert page.status_code == 200 and CARE in page.content.decode()
    assert _rows(alfa) == [
        (cast.vera.pk, cast.rita.pk, "service-detail", "hulpvraag", service.request_id)
    ]


def test_the_member_sees_who_looked_from_my_data(alfa, beta, people):
    cast = people[alfa.schema]
    request = _care_request(alfa, people)
    logged_in_client(alfa, member=cast.coordinator).get(f"/hulpvragen/{request.pk}/")
    rita = logged_in_client(alfa, member=cast.rita)
    assert "/mijn-gegevens/inzage/" in rita.get("/mijn-gegevens/").content.decode()
    mine = rita.get("/mijn-gegevens/inzage/").content.decode()
    assert "Coco Coördinator" in mine and "de pagina van de hulpvraag" in mine
    # Vera sees only her own (empty) list, not Rita's.
    vera = logged_in_client(alfa, member=cast.vera).get("/mijn-gegevens/inzage/").content.decode()
    assert "Coco Coördinator" not in vera and "Nog niemand anders" in vera


def test_the_board_reads_the_log_without_the_care_text(alfa, beta, people):
    """The board's page (in the board menu) names who looked at whose data and where, never
    the care need; members without a board role are refused; beta's board sees only beta's."""
    cast = people[alfa.schema]
    request = _care_request(alfa, people)
    logged_in_client(alfa, member=cast.coordinator).get(f"/hulpvragen/{request.pk}/")
    beta_request = _care_request(beta, people)
    logged_in_client(beta, member=people[beta.schema].coordinator).get(
        f"/hulpvragen/{beta_request.pk}/"
    )
    board = logged_in_client(alfa)
    assert "/inzage-zorggegevens/" in board.get("/").content.decode()
    html = board.get("/inzage-zorggegevens/").content.decode()
    assert "Coco Coördinator" in html and "Rita Vraag" in html
    assert CARE not in html and "heup" not in html and "Bezoek" not in html
    assert html.count("<tr>") == 2  # the header and alfa's one row: none of beta's
    refused = logged_in_client(alfa, member=cast.coordinator).get("/inzage-zorggegevens/")
    assert refused.status_code == 403 and "Rita Vraag" not in refused.content.decode()
    auditor = MemberFactory(schema=alfa.schema, roles=[Role.AUDIT_COMMITTEE])
    assert logged_in_client(alfa, member=auditor).get("/inzage-zorggegevens/").status_code == 200
    assert count_rows(beta, CareAccess) == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE carelog_careaccess SET route = 'vervalst'",
        "DELETE FROM carelog_careaccess",
        "TRUNCATE carelog_careaccess",
    ],
)
def test_database_refuses_to_change_the_log(alfa, beta, people, statement):
    request = _care_request(alfa, people)
    logged_in_client(alfa, member=people[alfa.schema].coordinator).get(f"/hulpvragen/{request.pk}/")
    with schema_context(alfa.schema):
        with (
            pytest.raises(DatabaseError, match="logboek kan niet"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # The row's foreign-key checks wait for the commit; run them first, or PostgreSQL
            # refuses the TRUNCATE for that reason before the log's own trigger is asked.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(statement)
        assert list(CareAccess.objects.values_list("route", flat=True)) == ["request-detail"]


def test_the_board_makes_a_cluster_a_care_cluster(alfa, beta, people):
    """On the cluster's page the board ticks "Zorgcluster": from then on a look at a request
    there is logged; beta's cluster of the same name is not touched."""
    cast = people[alfa.schema]
    request = _care_request(alfa, people, cluster=PLAIN_CLUSTER["alfa"])
    coordinator = logged_in_client(alfa, member=cast.coordinator)
    coordinator.get(f"/hulpvragen/{request.pk}/")
    assert _rows(alfa) == []
    with schema_context(alfa.schema):
        cluster = request.cluster
    board = logged_in_client(alfa)
    form = board.get(f"/clusters/{cluster.pk}/bewerken/").content.decode()
    assert 'name="holds_care"' in form
    saved = board.post(
        f"/clusters/{cluster.pk}/bewerken/",
        {"name": cluster.name, "description": "", "holds_care": "on"},
    )
    assert saved.status_code == 302
    coordinator.get(f"/hulpvragen/{request.pk}/")
    assert _rows(alfa) == [
        (cast.coordinator.pk, cast.rita.pk, "request-detail", "hulpvraag", request.pk)
    ]
    with schema_context(beta.schema):
        assert Cluster.objects.filter(holds_care=True).count() == 1  # WIJ's own care cluster
