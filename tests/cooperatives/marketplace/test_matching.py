"""Matching: suggested volunteers for a request, best first, with their reasons. Small
hand-made situations where all is equal but one thing; the requester and earlier responders
are left out; an offer's reach is respected; the query count does not grow with the number of
candidates; the API answers only the requester and those who coordinate for them, and never
across cooperatives."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace.matching import suggest_volunteers
from cooperatives.marketplace.models import HelpRequest, HelpResponse, Offer, Reach, Service
from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster, Neighbourhood
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory

VOLUNTEER = ["volunteer"]


_street_no = itertools.count(1)


@dataclass
class World:
    """One cooperative's small world: the requester lives in Oudwijk (Kerkstraat, 3581),
    Abstede borders Oudwijk, Buiten-Wittevrouwen does not."""

    schema: str
    cluster: Cluster
    oudwijk: Neighbourhood
    abstede: Neighbourhood
    buiten: Neighbourhood
    requester: Member
    request: HelpRequest


def make_world(coop, **request_fields) -> World:
    schema = coop.schema
    oudwijk = NeighbourhoodFactory(schema=schema, name="Oudwijk", postcodes=["3581"])
    abstede = NeighbourhoodFactory(schema=schema, name="Abstede", postcodes=["3582"])
    buiten = NeighbourhoodFactory(schema=schema, name="Buiten-Wittevrouwen", postcodes=["3572"])
    with schema_context(schema):
        oudwijk.adjacent.add(abstede)
        cluster, _ = Cluster.objects.get_or_create(name="Boodschappen")
    requester = MemberFactory(
        schema=schema,
        name="Riet Vraag",
        neighbourhood=oudwijk,
        street="Kerkstraat",
        house_number="1",
        postcode="3581AB",
        languages=request_fields.pop("languages", []),
    )
    request = make_request(schema, requester, cluster, **request_fields)
    return World(schema, cluster, oudwijk, abstede, buiten, requester, request)


def make_request(schema: str, requester: Member, cluster: Cluster, **fields) -> HelpRequest:
    fields.setdefault("title", "Hulp bij de boodschappen")
    with schema_context(schema):
        return HelpRequest.objects.create(
            requester=requester,
            created_by=requester,
            cluster=cluster,
            expected_hours=Decimal("1.0"),
            street=requester.street,
            house_number=requester.house_number,
            postcode=requester.postcode,
            neighbourhood=requester.neighbourhood,
            **fields,
        )


def volunteer(world: World, name: str, *, where: str = "rest", roles=VOLUNTEER, **fields) -> Member:
    """A volunteer living in the same street, the same buurt, a bordering buurt or the rest."""
    address = {
        "street": ("Kerkstraat", "3581CD", world.oudwijk),
        "buurt": ("Molenweg", "3581EF", world.oudwijk),
        "adjacent": ("Abstederdijk", "3582BA", world.abstede),
        "rest": ("Wittevrouwenkade", "3572AA", world.buiten),
    }[where]
    street, postcode, buurt = address
    fields = {
        "neighbourhood": buurt,
        "street": street,
        "house_number": str(next(_street_no)),
        "postcode": postcode,
        **fields,
    }
    return MemberFactory(schema=world.schema, name=name, roles=roles, **fields)


def give_service(world: World, member: Member, *, days_ago: int = 10, rating=None, status=None):
    """A past service by ``member`` for someone else in the cooperative."""
    with schema_context(world.schema):
        other = Member.objects.exclude(pk=member.pk).first()
        past = HelpRequest.objects.create(
            requester=other,
            created_by=other,
            cluster=world.cluster,
            title="Eerder",
            expected_hours=Decimal("1.0"),
            status=HelpRequest.Status.CLOSED,
        )
        return Service.objects.create(
            request=past,
            requester=other,
            volunteer=member,
            cluster=world.cluster,
            date=timezone.localdate() - dt.timedelta(days=days_ago),
            start_time=dt.time(10, 0),
            planned_hours=Decimal("1.0"),
            status=status or Service.Status.CONFIRMED,
            rating=rating,
        )


def suggested(world: World, **kwargs) -> list[tuple[str, list[str]]]:
    with schema_context(world.schema):
        request = HelpRequest.objects.get(pk=world.request.pk)
        return [(s.member.name, s.reasons) for s in suggest_volunteers(request=request, **kwargs)]


def names(world: World, **kwargs) -> list[str]:
    return [name for name, _reasons in suggested(world, **kwargs)]


FEW = "nog weinig diensten gedaan (0 in 90 dagen)"


@pytest.fixture
def worlds(alfa, beta) -> tuple[World, World]:
    return make_world(alfa), make_world(beta)


# --- ranking -----------------------------------------------------------------------------------


def test_same_street_beats_buurt_beats_adjacent_beats_rest(worlds):
    """All else equal, distance decides, and each place says why; beta's volunteers, made
    the same way, stay in beta."""
    for world in worlds:
        for where in ("rest", "adjacent", "buurt", "street"):
            volunteer(world, f"{world.schema} {where}", where=where)
    a, b = worlds
    assert suggested(a) == [
        (f"{a.schema} street", ["woont in dezelfde straat", FEW]),
        (f"{a.schema} buurt", ["in dezelfde buurt", FEW]),
        (f"{a.schema} adjacent", ["in een aangrenzende buurt", FEW]),
        (f"{a.schema} rest", [FEW]),
    ]
    assert names(b) == [f"{b.schema} {w}" for w in ("street", "buurt", "adjacent", "rest")]


def test_same_street_needs_the_same_postcode_area(worlds):
    """A Kerkstraat in another postcode area is another street."""
    world, _ = worlds
    volunteer(world, "Verre Kerkstraat", where="rest", street="Kerkstraat")
    volunteer(world, "Buurman", where="buurt")
    assert suggested(world) == [
        ("Buurman", ["in dezelfde buurt", FEW]),
        ("Verre Kerkstraat", [FEW]),
    ]


def test_cluster_fit_and_talents_come_first(worlds):
    world, other = worlds
    helps = volunteer(world, "Helpt Bij", where="rest")
    with schema_context(world.schema):
        helps.help_clusters.add(world.cluster)
    offers = volunteer(world, "Biedt Aan", where="rest")
    with schema_context(world.schema):
        Offer.objects.create(
            volunteer=offers,
            cluster=world.cluster,
            description="Ik doe graag boodschappen",
            reach=Reach.COOPERATIVE,
            renew_by=timezone.localdate() + dt.timedelta(days=90),
        )
    volunteer(world, "Talent", where="rest", talents=["Boodschappen doen", "koken"])
    volunteer(world, "Buurman", where="buurt")
    volunteer(other, "Beta Helper", where="street")

    assert suggested(world) == [
        ("Biedt Aan", ["helpt bij Boodschappen", FEW]),
        ("Helpt Bij", ["helpt bij Boodschappen", FEW]),
        ("Buurman", ["in dezelfde buurt", FEW]),
        ("Talent", ["talent: Boodschappen doen", FEW]),
    ]


def test_availability_overlap(alfa, beta):
    """A request for Tuesday afternoon prefers who is free then (own or offered hours)."""
    today = timezone.localdate()
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    worlds = [
        make_world(coop, preferred_dates=[tuesday], preferred_parts=["middag"])
        for coop in (alfa, beta)
    ]
    for world in worlds:
        volunteer(world, "Woensdag", where="rest", availability=["wo-middag", "di-ochtend"])
        volunteer(world, "Dinsdag", where="rest", availability=["di-middag"])
    world = worlds[0]
    assert suggested(world) == [
        ("Dinsdag", ["beschikbaar op dinsdagmiddag", FEW]),
        ("Woensdag", [FEW]),
    ]
    assert names(worlds[1]) == ["Dinsdag", "Woensdag"]


def test_availability_without_dates_uses_the_parts(worlds):
    world, _ = worlds
    with schema_context(world.schema):
        HelpRequest.objects.filter(pk=world.request.pk).update(preferred_parts=["avond"])
    volunteer(world, "Ochtend", where="rest", availability=["ma-ochtend"])
    volunteer(world, "Avond", where="rest", availability=["vr-avond", "ma-avond"])
    assert suggested(world) == [
        ("Avond", ["beschikbaar op maandagavond en vrijdagavond", FEW]),
        ("Ochtend", [FEW]),
    ]


def test_fair_spread_fewer_recent_services_first(worlds):
    """Three services in 90 days rank below one; services longer ago and cancelled ones do not
    count."""
    world, other = worlds
    busy = volunteer(world, "Druk", where="buurt")
    quiet = volunteer(world, "Rustig", where="buurt")
    for days in (5, 20, 60):
        give_service(world, busy, days_ago=days)
    give_service(world, quiet, days_ago=30)
    give_service(world, quiet, days_ago=200)
    give_service(world, quiet, days_ago=3, status=Service.Status.CANCELLED)
    give_service(other, volunteer(other, "Beta Druk"), days_ago=1)
    assert suggested(world) == [
        ("Rustig", ["in dezelfde buurt", "nog weinig diensten gedaan (1 in 90 dagen)"]),
        ("Druk", ["in dezelfde buurt"]),
    ]


def test_rating_received(worlds):
    """The average of confirmed services' ratings counts; unrated services do not."""
    world, _ = worlds
    low = volunteer(world, "Laag", where="buurt")
    high = volunteer(world, "Hoog", where="buurt")
    give_service(world, low, days_ago=200, rating=2)
    give_service(world, high, days_ago=200, rating=5)
    give_service(world, high, days_ago=300, rating=4)
    give_service(world, high, days_ago=250)
    assert suggested(world) == [
        ("Hoog", ["in dezelfde buurt", FEW, "gemiddelde waardering 4,5"]),
        ("Laag", ["in dezelfde buurt", FEW, "gemiddelde waardering 2,0"]),
    ]


def test_shared_language(alfa, beta):
    worlds = [make_world(coop, languages=["Nederlands", "Turks"]) for coop in (alfa, beta)]
    for world in worlds:
        volunteer(world, "Engels", where="rest", languages=["Engels"])
        volunteer(world, "Turks", where="rest", languages=["turks", "Arabisch"])
    assert suggested(worlds[0]) == [("Turks", [FEW, "spreekt turks"]), ("Engels", [FEW])]
    assert names(worlds[1]) == ["Turks", "Engels"]


def test_limit(worlds):
    world, _ = worlds
    for where in ("rest", "adjacent", "buurt", "street"):
        volunteer(world, where, where=where)
    assert names(world, limit=2) == ["street", "buurt"]
    assert names(world, limit=0) == []


# --- who is a candidate ------------------------------------------------------------------------


def test_only_active_volunteers_not_the_requester_nor_earlier_responders(worlds):
    world, other = worlds
    with schema_context(world.schema):
        world.requester.role_assignments.create(role="volunteer")
    volunteer(world, "Assistent", where="rest", roles=["neighbourhood_assistant"])
    volunteer(world, "Coordinator", where="rest", roles=["coordinator"])
    volunteer(world, "Alleen Lid", where="street", roles=[])
    volunteer(world, "Bestuur", where="street", roles=["board_general"])
    volunteer(world, "Vertrokken", where="street", status=Member.Status.LEFT)
    answered = volunteer(world, "Al Gereageerd", where="street")
    with schema_context(world.schema):
        HelpResponse.objects.create(request=world.request, volunteer=answered)
    # A response to another request does not count; neither does beta's response to the
    # request with the same id there.
    elsewhere = volunteer(world, "Elders Gereageerd", where="rest")
    with schema_context(world.schema):
        second = make_request(world.schema, world.requester, world.cluster)
        HelpResponse.objects.create(request=second, volunteer=elsewhere)
    assert sorted(names(world)) == ["Assistent", "Coordinator", "Elders Gereageerd"]
    assert names(other) == []


def test_offer_reach_is_respected(worlds):
    """An offer in the request's cluster limits how far a volunteer goes; an offer in another
    cluster does not."""
    world, _ = worlds

    def offer(member, reach, cluster=None):
        with schema_context(world.schema):
            Offer.objects.create(
                volunteer=member,
                cluster=cluster or world.cluster,
                description="Hulp",
                reach=reach,
                renew_by=timezone.localdate() + dt.timedelta(days=90),
            )

    offer(volunteer(world, "Straat Hier", where="street"), Reach.STREET)
    offer(volunteer(world, "Straat Buurt", where="buurt"), Reach.STREET)
    offer(volunteer(world, "Buurt Hier", where="buurt"), Reach.NEIGHBOURHOOD)
    offer(volunteer(world, "Buurt Naast", where="adjacent"), Reach.NEIGHBOURHOOD)
    offer(volunteer(world, "Overal", where="rest"), Reach.COOPERATIVE)
    wide = volunteer(world, "Ook Overal", where="adjacent")
    offer(wide, Reach.STREET)
    offer(wide, Reach.COOPERATIVE)
    with schema_context(world.schema):
        tuin, _ = Cluster.objects.get_or_create(name="Tuin")
    offer(volunteer(world, "Andere Cluster", where="rest"), Reach.STREET, cluster=tuin)
    withdrawn = volunteer(world, "Ingetrokken", where="rest")
    offer(withdrawn, Reach.STREET)
    with schema_context(world.schema):
        Offer.objects.filter(volunteer=withdrawn).update(status=Offer.Status.WITHDRAWN)

    assert names(world) == [
        "Straat Hier",
        "Buurt Hier",
        "Ook Overal",
        "Overal",
        "Andere Cluster",
        "Ingetrokken",
    ]


def test_query_count_does_not_grow_with_candidates(worlds):
    world, _ = worlds
    places = itertools.cycle(("street", "buurt", "adjacent", "rest"))

    def add(n: int) -> None:
        for i in range(n):
            member = volunteer(world, f"V{i}", where=next(places), languages=["Turks"])
            with schema_context(world.schema):
                member.help_clusters.add(world.cluster)
            give_service(world, member, days_ago=i % 120, rating=1 + i % 5)

    def count() -> int:
        with schema_context(world.schema):
            request = HelpRequest.objects.get(pk=world.request.pk)
            with CaptureQueriesContext(connection) as queries:
                found = suggest_volunteers(request=request, limit=50)
                for s in found:  # what a page shows of each suggestion is loaded already
                    assert s.member.neighbourhood.name
        return len(queries), len(found)

    add(5)
    few = count()
    add(45)
    many = count()
    assert few[1] == 5 and many[1] == 50
    # requester, cluster, bordering buurten, offers, service stats, candidates, winners
    assert few[0] == many[0] == 7


# --- the API -----------------------------------------------------------------------------------


def url(pk: int) -> str:
    return f"/api/v1/requests/{pk}/suggestions/"


@pytest.fixture
def cast(alfa, beta, worlds):
    world, _beta_world = worlds
    buurman = volunteer(world, "Buurman", where="buurt")
    volunteer(world, "Verweg", where="rest")
    return {
        "buurman": buurman,
        "requester": world.requester,
        "coordinator": MemberFactory(schema=alfa.schema, name="Coor", roles=["coordinator"]),
        "assistant": MemberFactory(
            schema=alfa.schema,
            name="Assistent Oudwijk",
            roles=["neighbourhood_assistant"],
            assists=[world.oudwijk],
        ),
        "assistant_other": MemberFactory(
            schema=alfa.schema,
            name="Assistent Abstede",
            roles=["neighbourhood_assistant"],
            assists=[world.abstede],
        ),
        "volunteer": volunteer(world, "Andere Vrijwilliger", where="adjacent"),
        "member": MemberFactory(schema=alfa.schema, name="Gewoon Lid"),
        "board": None,
    }


ACCESS = {
    "requester": 200,
    "coordinator": 200,
    "assistant": 200,
    "assistant_other": 403,
    "volunteer": 403,
    "member": 403,
    "board": 403,
}


@pytest.mark.parametrize("who", sorted(ACCESS))
def test_api_who_may_see_suggestions(alfa, worlds, cast, who):
    world, _ = worlds
    client = logged_in_client(alfa, member=cast[who])
    response = client.get(url(world.request.pk))
    assert response.status_code == ACCESS[who]
    if ACCESS[who] == 200:
        body = response.json()
        # Coordinators and assistants help too; they live nowhere in particular here.
        assert [r["name"] for r in body["results"]] == [
            "Buurman",
            "Andere Vrijwilliger",
            "Assistent Abstede",
            "Assistent Oudwijk",
            "Coor",
            "Verweg",
        ]
        assert body["count"] == 6
        first = body["results"][0]
        assert first["member"] == cast["buurman"].pk
        assert first["neighbourhood_name"] == "Oudwijk"
        assert first["score"] == 28.0
        assert first["reasons"] == ["in dezelfde buurt", FEW]
    else:
        assert response.json()["type"] == "client_error"
        assert "Buurman" not in response.content.decode()


def test_api_limit(alfa, worlds, cast):
    world, _ = worlds
    client = logged_in_client(alfa, member=world.requester)
    body = client.get(url(world.request.pk) + "?limit=1").json()
    assert [r["name"] for r in body["results"]] == ["Buurman"]
    bad = client.get(url(world.request.pk) + "?limit=0")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "limit"


def test_api_anonymous_is_refused(alfa, worlds):
    world, _ = worlds
    response = client_for(alfa.host).get(url(world.request.pk))
    assert response.status_code == 403


def test_api_other_cooperatives_request_is_not_found(alfa, beta, worlds, cast):
    """Beta's request id sent to alfa: 404 for alfa's coordinator, even for beta's requester's
    id; an unknown id too."""
    _alfa_world, other = worlds
    with schema_context(alfa.schema):
        highest = HelpRequest.objects.order_by("-pk").values_list("pk", flat=True).first()
    beta_request = other.request
    while beta_request.pk <= highest:
        beta_request = make_request(beta.schema, other.requester, other.cluster)
    client = logged_in_client(alfa, member=cast["coordinator"])
    response = client.get(url(beta_request.pk))
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"
    assert client.get(url(999_999)).status_code == 404
    # On its own subdomain beta's requester does see it.
    own = logged_in_client(beta, member=other.requester).get(url(beta_request.pk))
    assert own.status_code == 200
