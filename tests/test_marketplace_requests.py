"""Marketplace pages for requests and offers: asking for help (also on a member's behalf) with
every house rule refused in its own words and nothing created, the marketplace without
addresses and at a fixed number of queries, "ik help" and accepting a volunteer, cancelling,
offers, a member's own marketplace, the coordinator board in its scope, settings with a
renewable calendar address, and another cooperative's ids answering 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import (
    HelpRequest,
    HelpResponse,
    MemberSettings,
    Offer,
    Service,
)
from cooperatives.members.models import Role
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import (
    HelpRequestFactory,
    MemberFactory,
    beta_request,
    breaking_house_rule,
    create_form,
    marketplace_people,
)
from tests.pages import audit, text
from tests.state import cluster_named, count_rows
from tests.texts import HOUSE_RULES, NOT_OPEN

TODAY = timezone.localdate


# --- set-up ------------------------------------------------------------------------------------


@pytest.fixture
def people(alfa, beta):
    return marketplace_people(alfa)


# --- asking for help ---------------------------------------------------------------------------


def test_member_asks_for_help_at_their_own_address_by_default(alfa, people):
    walk, repair = cluster_named(alfa, "Wandelen"), cluster_named(alfa, "Reparaties")
    client = logged_in_client(alfa, member=people.rita)
    page = client.get("/hulpvragen/nieuw/")
    assert page.status_code == 200
    body = text(page)
    assert "Wandelen (gratis)" in body
    assert "Reparaties (klus € 4,50 per uur)" in body
    assert 'name="requester"' not in body  # only coordinators and assistants ask for others
    assert "Oudwijkerlaan 7, 3581AB" in body
    found = audit(page.content.decode())
    assert found.inputs and all(f.get("id") in found.label_for for f in found.inputs)

    day1, day2 = TODAY() + dt.timedelta(days=3), TODAY() + dt.timedelta(days=5)
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(
            cluster=walk.pk,
            description="Een rondje door het park.",
            preferred_dates=f"{day2:%d-%m-%Y}, {day1:%d-%m-%Y}",
            preferred_parts=["ochtend", "middag"],
            repeats_weekly="on",
        ),
    )
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
        entry = AuditEntry.objects.filter(action__startswith="request.").get()
    assert response.status_code == 302 and response["Location"] == f"/hulpvragen/{made.pk}/"
    assert (made.requester_id, made.created_by_id) == (people.rita.pk, people.rita.pk)
    assert (made.cluster_id, made.title, made.description) == (
        walk.pk,
        "Samen wandelen",
        "Een rondje door het park.",
    )
    assert made.preferred_dates == [day1, day2]
    assert made.preferred_parts == ["ochtend", "middag"]
    assert made.expected_hours == Decimal("1.5")
    assert (made.street, made.house_number, made.postcode) == ("Oudwijkerlaan", "7", "3581AB")
    assert made.neighbourhood_id == people.oudwijk.pk
    assert made.repeats_weekly is True and made.status == "open"
    assert made.compensation == "free"
    assert (entry.action, entry.actor_id) == ("request.create", people.rita.pk)
    assert repair.pk != walk.pk


def test_help_elsewhere_takes_that_address_and_its_buurt(alfa, people):
    client = logged_in_client(alfa, member=people.rita)
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(
            cluster=cluster_named(alfa, "Boodschappen").pk,
            street="Laan",
            house_number="20",
            postcode="3582 cd",
        ),
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
    assert (made.street, made.house_number, made.postcode) == ("Laan", "20", "3582CD")
    assert made.neighbourhood_id == people.lanen.pk


def test_the_klus_checkbox_shows_only_for_a_paid_cluster(alfa, beta, people):
    client = logged_in_client(alfa, member=people.rita)
    assert 'name="network_checked"' in text(client.get("/hulpvragen/nieuw/"))
    free = cluster_named(alfa, "Wandelen").pk
    assert 'name="network_checked"' not in text(client.get(f"/hulpvragen/nieuw/?cluster={free}"))
    paid = cluster_named(alfa, "Reparaties").pk
    assert 'name="network_checked"' in text(client.get(f"/hulpvragen/nieuw/?cluster={paid}"))
    # With the box ticked, a klus of 2 hours is asked.
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(cluster=paid, expected_hours="2", network_checked="on"),
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
    assert (made.compensation, made.network_checked) == ("euros", True)


def test_points_cooperative_shows_points_and_has_no_klus_check_or_open_limit(alfa, beta):
    member = MemberFactory(schema=beta.schema, name="Wim Wij", street="Wijstraat", house_number="4")
    client = logged_in_client(beta, member=member)
    page = text(client.get("/hulpvragen/nieuw/"))
    assert "(Auto)vervoer (tijdpunten)" in page
    assert 'name="network_checked"' not in page
    transport = cluster_named(beta, "(Auto)vervoer")
    for title in ("Naar het ziekenhuis", "Naar de markt"):
        response = client.post(
            "/hulpvragen/nieuw/", create_form(cluster=transport.pk, title=title, expected_hours="3")
        )
        assert response.status_code == 302
    with schema_context(beta.schema):
        made = list(HelpRequest.objects.order_by("id").values_list("title", "compensation"))
    assert made == [("Naar het ziekenhuis", "points"), ("Naar de markt", "points")]
    assert count_rows(alfa, HelpRequest) == 0


@pytest.mark.parametrize("code", list(HOUSE_RULES))
def test_each_house_rule_refuses_with_its_own_message_and_creates_nothing(alfa, people, code):
    form = breaking_house_rule(alfa, people, code)
    before = count_rows(alfa, HelpRequest)
    response = logged_in_client(alfa, member=people.rita).post("/hulpvragen/nieuw/", form)
    assert response.status_code == 400
    assert HOUSE_RULES[code] in text(response)
    assert count_rows(alfa, HelpRequest) == before


def test_coordinator_asks_on_behalf_of_a_member_and_it_is_recorded(alfa, people):
    client = logged_in_client(alfa, member=people.coordinator)
    page = text(client.get("/hulpvragen/nieuw/"))
    assert 'name="requester"' in page and "Lars Lanen" in page and "Rita Vraag" in page
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(cluster=cluster_named(alfa, "Wandelen").pk, requester=people.lanen_member.pk),
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
        entry = AuditEntry.objects.filter(action__startswith="request.").get()
    assert (made.requester_id, made.created_by_id) == (
        people.lanen_member.pk,
        people.coordinator.pk,
    )
    assert (made.street, made.postcode, made.neighbourhood_id) == (
        "Laan",
        "3582CD",
        people.lanen.pk,
    )
    assert (entry.action, entry.actor_id) == ("request.create_on_behalf", people.coordinator.pk)


def test_assistant_asks_only_for_members_of_their_own_buurt(alfa, people):
    client = logged_in_client(alfa, member=people.assistant)
    page = text(client.get("/hulpvragen/nieuw/"))
    assert "Rita Vraag" in page and "Lars Lanen" not in page
    walk = cluster_named(alfa, "Wandelen").pk
    refused = client.post(
        "/hulpvragen/nieuw/", create_form(cluster=walk, requester=people.lanen_member.pk)
    )
    assert refused.status_code == 400
    assert count_rows(alfa, HelpRequest) == 0
    done = client.post("/hulpvragen/nieuw/", create_form(cluster=walk, requester=people.rita.pk))
    assert done.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
    assert (made.requester_id, made.created_by_id) == (people.rita.pk, people.assistant.pk)


def test_a_plain_member_cannot_ask_on_someone_elses_behalf(alfa, people):
    client = logged_in_client(alfa, member=people.other)
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(cluster=cluster_named(alfa, "Wandelen").pk, requester=people.rita.pk),
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
        assert not HelpRequest.objects.filter(requester=people.rita).exists()
    # The field is not on their form: the request is their own.
    assert (made.requester_id, made.created_by_id) == (people.other.pk, people.other.pk)


# --- the marketplace ---------------------------------------------------------------------------


def test_marketplace_shows_requests_and_offers_by_buurt_never_the_address(alfa, people):
    soon = TODAY() + dt.timedelta(days=2)
    walk = HelpRequestFactory(
        schema=alfa.schema,
        requester=people.rita,
        title="Wandelen in het park",
        preferred_dates=[soon],
    )
    HelpRequestFactory(
        schema=alfa.schema,
        requester=people.lanen_member,
        cluster="Boodschappen",
        title="Boodschappen halen",
    )
    with schema_context(alfa.schema):
        services.offer_create(
            actor=people.vera,
            cluster=Cluster.objects.get(name="Reparaties"),
            description="Ik repareer fietsen.",
            availability=["ma-ochtend"],
        )
    client = logged_in_client(alfa, member=people.other)
    page = text(client.get("/markt/"))
    assert "Wandelen in het park" in page and "Boodschappen halen" in page
    assert "Oudwijk" in page and "Lanen" in page
    assert "Oudwijkerlaan" not in page and "3581AB" not in page and "Rita Vraag" not in page
    assert "Ik repareer fietsen." in page and "Vera Vrijwilliger" in page
    assert "maandag ochtend" in page and "Reparaties (klus € 4,50 per uur)" in page
    assert f'href="/hulpvragen/{walk.pk}/"' in page

    by_buurt = text(client.get(f"/markt/?buurt={people.lanen.pk}"))
    assert "Boodschappen halen" in by_buurt and "Wandelen in het park" not in by_buurt
    by_cluster = text(client.get(f"/markt/?cluster={walk.cluster_id}"))
    assert "Wandelen in het park" in by_cluster and "Boodschappen halen" not in by_cluster
    assert "Ik repareer fietsen." not in by_cluster
    # By date: a request with that preferred date, and one without dates (any day suits).
    later = soon + dt.timedelta(days=10)
    by_date = text(client.get(f"/markt/?van={later:%Y-%m-%d}"))
    assert "Wandelen in het park" not in by_date and "Boodschappen halen" in by_date


def add_requests(coop, people, n):
    with schema_context(coop.schema):
        walk = Cluster.objects.get(name="Wandelen")
        rulebook = rulebook_current()
        HelpRequest.objects.bulk_create(
            HelpRequest(
                requester=people.rita,
                created_by=people.rita,
                cluster=walk,
                title=f"Vraag {i}",
                expected_hours=Decimal("1"),
                neighbourhood=people.oudwijk if i % 2 else people.lanen,
                preferred_parts=["ochtend"],
                preferred_dates=[TODAY() + dt.timedelta(days=1)],
                rulebook=rulebook,
            )
            for i in range(n)
        )


def test_marketplace_costs_the_same_queries_with_3_or_60_requests(alfa, people):
    client = logged_in_client(alfa, member=people.other)
    client.get("/markt/")  # warm the session and tenant caches
    add_requests(alfa, people, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/markt/").status_code == 200
    add_requests(alfa, people, 57)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/markt/")
    assert page.status_code == 200
    assert "60 hulpvragen" in text(page) and "Pagina 1 van 3" in text(page)
    assert len(many) == len(few)


# --- one request: address privacy, "ik help", accepting ----------------------------------------


def test_only_requester_matched_volunteer_and_coordinators_see_the_address(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/hulpvragen/{made.pk}/"

    def shows_address(member):
        page = text(logged_in_client(alfa, member=member).get(url))
        return "Oudwijkerlaan 7, 3581AB" in page

    assert shows_address(people.rita)
    assert shows_address(people.coordinator)
    assert shows_address(people.assistant)  # Rita lives in the buurt Bea assists
    assert not shows_address(people.other)
    assert not shows_address(people.vera)
    assert not shows_address(people.board)
    with schema_context(alfa.schema):
        response = services.response_create(volunteer=people.vera, request=made)
        services.response_accept(
            actor=people.rita,
            response=response,
            date=TODAY() + dt.timedelta(days=1),
            start_time=dt.time(10, 0),
        )
    assert shows_address(people.vera)
    assert not shows_address(people.victor)


def test_ik_help_then_accept_plans_the_service_and_a_second_accept_is_refused(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita, title="Hulp bij de tuin")
    url = f"/hulpvragen/{made.pk}/"
    vera, victor = (logged_in_client(alfa, member=m) for m in (people.vera, people.victor))
    assert "Ik help" in text(vera.get(url))
    assert vera.post(f"{url}ik-help/", {"message": "Ik kan dinsdag."}).status_code == 302
    assert victor.post(f"{url}ik-help/").status_code == 302
    assert "U heeft laten weten dat u wilt helpen." in text(vera.get(url))
    # Answering twice changes nothing.
    assert vera.post(f"{url}ik-help/").status_code == 302
    with schema_context(alfa.schema):
        answers = {r.volunteer_id: r for r in HelpResponse.objects.all()}
    assert set(answers) == {people.vera.pk, people.victor.pk}
    assert answers[people.vera.pk].message == "Ik kan dinsdag."

    # Volunteers do not see who else answered; the requester does, each with a form.
    assert "Victor Helper" not in text(vera.get(url))
    rita = logged_in_client(alfa, member=people.rita)
    page = rita.get(url)
    body = text(page)
    assert "Vera Vrijwilliger" in body and "Victor Helper" in body and "Ik kan dinsdag." in body
    assert f'action="/reacties/{answers[people.vera.pk].pk}/accepteren/"' in body
    found = audit(page.content.decode())
    assert all(f.get("id") in found.label_for for f in found.inputs)

    day = TODAY() + dt.timedelta(days=4)
    vera_answer, victor_answer = answers[people.vera.pk].pk, answers[people.victor.pk].pk
    accepted = rita.post(
        f"/reacties/{vera_answer}/accepteren/",
        {
            f"r{vera_answer}-date": f"{day:%Y-%m-%d}",
            f"r{vera_answer}-start_time": "14:30",
            f"r{vera_answer}-planned_hours": "1,5",
        },
    )
    assert accepted.status_code == 302 and accepted["Location"] == url
    with schema_context(alfa.schema):
        service = Service.objects.get()
        made.refresh_from_db()
        statuses = dict(HelpResponse.objects.values_list("volunteer_id", "status"))
    assert (service.requester_id, service.volunteer_id, service.status) == (
        people.rita.pk,
        people.vera.pk,
        "planned",
    )
    assert (service.date, service.start_time, service.planned_hours) == (
        day,
        dt.time(14, 30),
        Decimal("1.5"),
    )
    assert (service.cluster_id, service.compensation) == (made.cluster_id, "free")
    assert made.status == "matched"
    assert statuses == {people.vera.pk: "accepted", people.victor.pk: "not_chosen"}

    second = rita.post(
        f"/reacties/{victor_answer}/accepteren/",
        {f"r{victor_answer}-date": f"{day:%Y-%m-%d}", f"r{victor_answer}-start_time": "10:00"},
    )
    assert second.status_code == 400
    assert NOT_OPEN in text(second)
    with schema_context(alfa.schema):
        assert Service.objects.count() == 1
        assert HelpResponse.objects.get(pk=victor_answer).status == "not_chosen"


def test_accepting_needs_the_requester_or_their_coordinator(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    with schema_context(alfa.schema):
        answer = services.response_create(volunteer=people.vera, request=made)
    form = {
        f"r{answer.pk}-date": f"{TODAY() + dt.timedelta(days=1):%Y-%m-%d}",
        f"r{answer.pk}-start_time": "10:00",
    }
    for member in (people.other, people.vera, people.victor):
        response = logged_in_client(alfa, member=member).post(
            f"/reacties/{answer.pk}/accepteren/", form
        )
        assert response.status_code == 403
    assert count_rows(alfa, Service) == 0
    # The assistant of Rita's buurt accepts for her.
    response = logged_in_client(alfa, member=people.assistant).post(
        f"/reacties/{answer.pk}/accepteren/", form
    )
    assert response.status_code == 302
    assert count_rows(alfa, Service) == 1


def test_accept_form_errors_stay_on_the_page(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    with schema_context(alfa.schema):
        answer = services.response_create(volunteer=people.vera, request=made)
    response = logged_in_client(alfa, member=people.rita).post(
        f"/reacties/{answer.pk}/accepteren/",
        {
            f"r{answer.pk}-date": f"{TODAY() + dt.timedelta(days=1):%Y-%m-%d}",
            f"r{answer.pk}-start_time": "10:00",
            f"r{answer.pk}-planned_hours": "3",
        },
    )
    assert response.status_code == 400
    assert "Een dienst duurt hoogstens 2 uur." in text(response)
    assert count_rows(alfa, Service) == 0


def test_own_request_and_non_volunteers_get_no_ik_help(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/hulpvragen/{made.pk}/"
    assert "Ik help" not in text(logged_in_client(alfa, member=people.other).get(url))
    assert logged_in_client(alfa, member=people.other).post(f"{url}ik-help/").status_code == 403
    coordinator = MemberFactory(schema=alfa.schema, name="Cora", roles=[Role.COORDINATOR])
    HelpRequestFactory(schema=alfa.schema, requester=coordinator, title="Eigen vraag")
    with schema_context(alfa.schema):
        own = HelpRequest.objects.get(requester=coordinator)
    refused = logged_in_client(alfa, member=coordinator).post(f"/hulpvragen/{own.pk}/ik-help/")
    assert refused.status_code == 400
    assert "U kunt niet op uw eigen hulpvraag reageren." in text(refused)
    assert count_rows(alfa, HelpResponse) == 0


def test_suggested_volunteers_are_shown_to_the_requester_and_coordinators_only(alfa, people):
    with schema_context(alfa.schema):
        people.vera.help_clusters.add(Cluster.objects.get(name="Wandelen"))
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/hulpvragen/{made.pk}/"
    for member in (people.rita, people.coordinator, people.assistant):
        page = text(logged_in_client(alfa, member=member).get(url))
        assert "Voorgestelde vrijwilligers" in page
        suggestions = page.split("Voorgestelde vrijwilligers", 1)[1]
        assert "Vera Vrijwilliger" in suggestions
    for member in (people.other, people.vera, people.board):
        assert "Voorgestelde vrijwilligers" not in text(
            logged_in_client(alfa, member=member).get(url)
        )


def test_a_closed_request_is_visible_only_to_those_involved(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    with schema_context(alfa.schema):
        services.request_cancel(actor=people.rita, request=made, reason="Al geregeld")
    url = f"/hulpvragen/{made.pk}/"
    for member in (people.rita, people.coordinator, people.assistant, people.board):
        assert logged_in_client(alfa, member=member).get(url).status_code == 200
    for member in (people.other, people.vera):
        assert logged_in_client(alfa, member=member).get(url).status_code == 404


def test_cancelling_asks_first_and_only_the_requester_or_coordinator_may(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/hulpvragen/{made.pk}/intrekken/"
    other = logged_in_client(alfa, member=people.other)
    assert other.get(url).status_code == 403
    assert other.post(url, {"reason": "weg"}).status_code == 403
    with schema_context(alfa.schema):
        assert HelpRequest.objects.get().status == "open"
    rita = logged_in_client(alfa, member=people.rita)
    confirm = rita.get(url)
    assert confirm.status_code == 200 and "Ja, intrekken" in text(confirm)
    with schema_context(alfa.schema):
        assert HelpRequest.objects.get().status == "open"  # a GET changes nothing
    done = rita.post(url, {"reason": "Mijn buurman helpt al."})
    assert done.status_code == 302 and done["Location"] == f"/hulpvragen/{made.pk}/"
    with schema_context(alfa.schema):
        made.refresh_from_db()
        entry = AuditEntry.objects.filter(action="request.cancel").get()
    assert made.status == "cancelled" and made.closed_at is not None
    assert entry.actor_id == people.rita.pk
    again = rita.post(url, {"reason": "nog eens"})
    assert again.status_code == 400 and "Deze hulpvraag is al afgesloten." in text(again)


def test_another_cooperatives_ids_are_404_and_change_nothing(alfa, beta, people):
    """Alfa has no requests, answers or offers in this test: every id below is beta's."""
    theirs = beta_request(beta)
    volunteer = MemberFactory(schema=beta.schema, name="Bob", roles=[Role.VOLUNTEER])
    with schema_context(beta.schema):
        answer = services.response_create(volunteer=volunteer, request=theirs)
        offer = services.offer_create(
            actor=volunteer, cluster=Cluster.objects.first(), description="Beta-aanbod"
        )
    coordinator = logged_in_client(alfa, member=people.coordinator)
    vera = logged_in_client(alfa, member=people.vera)
    accept = {f"r{answer.pk}-date": f"{TODAY():%Y-%m-%d}", f"r{answer.pk}-start_time": "9:00"}
    assert coordinator.get(f"/hulpvragen/{theirs.pk}/").status_code == 404
    assert vera.post(f"/hulpvragen/{theirs.pk}/ik-help/").status_code == 404
    assert coordinator.get(f"/hulpvragen/{theirs.pk}/intrekken/").status_code == 404
    assert coordinator.post(f"/hulpvragen/{theirs.pk}/intrekken/").status_code == 404
    assert coordinator.post(f"/reacties/{answer.pk}/accepteren/", accept).status_code == 404
    assert coordinator.post(f"/aanbod/{offer.pk}/verlengen/").status_code == 404
    assert coordinator.get(f"/aanbod/{offer.pk}/intrekken/").status_code == 404
    assert coordinator.post(f"/aanbod/{offer.pk}/intrekken/").status_code == 404
    with schema_context(beta.schema):
        theirs.refresh_from_db()
        offer.refresh_from_db()
        assert (theirs.status, offer.status) == ("open", "active")
        assert list(HelpResponse.objects.values_list("status", flat=True)) == ["waiting"]
        assert not Service.objects.exists()
    for model in (HelpRequest, HelpResponse, Offer, Service):
        assert count_rows(alfa, model) == 0


# --- offers and my marketplace -----------------------------------------------------------------


def test_volunteer_offers_help_and_renews_or_withdraws_it(alfa, people):
    client = logged_in_client(alfa, member=people.vera)
    page = client.get("/aanbod/nieuw/")
    assert page.status_code == 200
    found = audit(page.content.decode())
    assert found.inputs and all(f.get("id") in found.label_for for f in found.inputs)
    repair = cluster_named(alfa, "Reparaties")
    response = client.post(
        "/aanbod/nieuw/",
        {
            "cluster": repair.pk,
            "description": "Kleine reparaties in huis.",
            "availability": ["di-middag", "za-ochtend"],
            "reach": "street",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/mijn-markt/"
    with schema_context(alfa.schema):
        offer = Offer.objects.get()
    assert (offer.volunteer_id, offer.cluster_id, offer.reach, offer.status) == (
        people.vera.pk,
        repair.pk,
        "street",
        "active",
    )
    assert offer.availability == ["di-middag", "za-ochtend"]
    assert offer.renew_by == TODAY() + dt.timedelta(days=90)

    mine = text(client.get("/mijn-markt/"))
    assert "Kleine reparaties in huis." in mine
    assert f'action="/aanbod/{offer.pk}/verlengen/"' in mine

    with schema_context(alfa.schema):
        Offer.objects.filter(pk=offer.pk).update(
            status="expired", renew_by=TODAY() - dt.timedelta(days=1)
        )
    assert client.get(f"/aanbod/{offer.pk}/verlengen/").status_code == 405
    assert client.post(f"/aanbod/{offer.pk}/verlengen/").status_code == 302
    with schema_context(alfa.schema):
        offer.refresh_from_db()
    assert (offer.status, offer.renew_by) == ("active", TODAY() + dt.timedelta(days=90))

    # Someone else's offer: visible on the marketplace, but not theirs to handle.
    other = logged_in_client(alfa, member=people.victor)
    assert other.post(f"/aanbod/{offer.pk}/intrekken/").status_code == 403
    assert other.post(f"/aanbod/{offer.pk}/verlengen/").status_code == 403

    confirm = client.get(f"/aanbod/{offer.pk}/intrekken/")
    assert confirm.status_code == 200 and "Ja, intrekken" in text(confirm)
    with schema_context(alfa.schema):
        assert Offer.objects.get().status == "active"
    assert client.post(f"/aanbod/{offer.pk}/intrekken/").status_code == 302
    with schema_context(alfa.schema):
        assert Offer.objects.get().status == "withdrawn"
    # Withdrawn: gone for others; renewing their own withdrawn offer is refused.
    assert other.post(f"/aanbod/{offer.pk}/intrekken/").status_code == 404
    refused = client.post(f"/aanbod/{offer.pk}/verlengen/")
    assert refused.status_code == 400 and "Dit aanbod is ingetrokken." in text(refused)
    with schema_context(alfa.schema):
        assert Offer.objects.get().status == "withdrawn"


def test_members_without_a_volunteer_role_cannot_offer(alfa, people):
    client = logged_in_client(alfa, member=people.other)
    assert client.get("/aanbod/nieuw/").status_code == 403
    response = client.post(
        "/aanbod/nieuw/", {"cluster": cluster_named(alfa, "Wandelen").pk, "description": "x"}
    )
    assert response.status_code == 403
    assert count_rows(alfa, Offer) == 0


def test_offer_needs_a_cluster_and_a_description(alfa, people):
    response = logged_in_client(alfa, member=people.vera).post(
        "/aanbod/nieuw/", {"cluster": "", "description": " ", "reach": "neighbourhood"}
    )
    assert response.status_code == 400
    assert "Kies waarbij u wilt helpen." in text(response)
    assert count_rows(alfa, Offer) == 0


def test_my_marketplace_lists_my_requests_offers_and_answers(alfa, people):
    HelpRequestFactory(schema=alfa.schema, requester=people.vera, title="Vera vraagt iets")
    other_request = HelpRequestFactory(
        schema=alfa.schema, requester=people.rita, title="Rita vraagt iets"
    )
    with schema_context(alfa.schema):
        services.response_create(volunteer=people.vera, request=other_request)
        services.offer_create(
            actor=people.vera, cluster=Cluster.objects.get(name="Tuin"), description="Tuinwerk"
        )
    page = text(logged_in_client(alfa, member=people.vera).get("/mijn-markt/"))
    mine, rest = page.split("Mijn aanbod", 1)
    offers, answers = rest.split("Mijn reacties", 1)
    assert "Vera vraagt iets" in mine and "Rita vraagt iets" not in mine
    assert "Tuinwerk" in offers
    assert "Rita vraagt iets" in answers and "wacht" in answers


# --- the coordinator board ---------------------------------------------------------------------


def test_board_shows_open_requests_by_buurt_with_age_unmatched_first(alfa, people):
    old = HelpRequestFactory(schema=alfa.schema, requester=people.rita, title="Oude vraag")
    matched = HelpRequestFactory(
        schema=alfa.schema, requester=people.other, title="Gekoppelde vraag"
    )
    lanen = HelpRequestFactory(
        schema=alfa.schema, requester=people.lanen_member, title="Vraag in Lanen"
    )
    with schema_context(alfa.schema):
        HelpRequest.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=5)
        )
        HelpRequest.objects.filter(pk=matched.pk).update(
            created_at=timezone.now() - dt.timedelta(days=9)
        )
        answer = services.response_create(volunteer=people.vera, request=matched)
        service = services.response_accept(
            actor=people.other, response=answer, date=TODAY(), start_time=dt.time(9, 0)
        )
        Service.objects.filter(pk=service.pk).update(
            status="registered", registered_hours=Decimal("1.5"), registered_at=timezone.now()
        )
        overdue = Service.objects.create(
            request=lanen,
            requester=people.lanen_member,
            volunteer=people.victor,
            cluster=lanen.cluster,
            date=TODAY() - dt.timedelta(days=10),
            start_time=dt.time(10, 0),
            planned_hours=Decimal("1"),
            registered_hours=Decimal("1"),
            status="confirmed",
            feedback_due=TODAY() - dt.timedelta(days=2),
        )
    coordinator = logged_in_client(alfa, member=people.coordinator)
    page = text(coordinator.get("/coordinatie/"))
    requests_part = page.split("Wachten op bevestiging", 1)[0]
    # Lanen before Oudwijk; in Oudwijk the unmatched one first though it is younger.
    assert requests_part.index("Vraag in Lanen") < requests_part.index("Oude vraag")
    assert requests_part.index("Oude vraag") < requests_part.index("Gekoppelde vraag")
    assert "5 dagen" in requests_part and "9 dagen" in requests_part and "0 dagen" in requests_part
    waiting, late = page.split("Wachten op bevestiging", 1)[1].split("Terugkoppeling te laat", 1)
    assert "Gekoppelde vraag" in waiting and "Vera Vrijwilliger bij Olga Ander" in waiting
    assert "Vraag in Lanen" in late and "Lars Lanen over Victor Helper" in late
    assert overdue.pk

    # The assistant of Oudwijk sees only Oudwijk.
    page = text(logged_in_client(alfa, member=people.assistant).get("/coordinatie/"))
    assert "Oude vraag" in page and "Gekoppelde vraag" in page
    assert "Vraag in Lanen" not in page and "Lars Lanen" not in page
    # Plain members and volunteers have no board.
    for member in (people.other, people.vera):
        assert logged_in_client(alfa, member=member).get("/coordinatie/").status_code == 403


# --- home and settings -------------------------------------------------------------------------


def test_home_page_links_to_the_marketplace_by_role(alfa, beta):
    people = marketplace_people(alfa)
    plain = text(logged_in_client(alfa, member=people.other).get("/"))
    for link in (
        "/markt/",
        "/hulpvragen/nieuw/",
        "/mijn-markt/",
        "/instellingen/",
        "/mijn-gegevens/",
    ):
        assert f'href="{link}"' in plain
    assert 'href="/aanbod/nieuw/"' not in plain and 'href="/coordinatie/"' not in plain
    coordinator = text(logged_in_client(alfa, member=people.coordinator).get("/"))
    assert 'href="/aanbod/nieuw/"' in coordinator and 'href="/coordinatie/"' in coordinator
    volunteer = text(logged_in_client(alfa, member=people.vera).get("/"))
    assert 'href="/aanbod/nieuw/"' in volunteer and 'href="/coordinatie/"' not in volunteer


def test_settings_digest_and_a_renewed_calendar_address_replaces_the_old(alfa, beta, people):
    client = logged_in_client(alfa, member=people.rita)
    page = client.get("/instellingen/")
    assert page.status_code == 200
    found = audit(page.content.decode())
    assert all(f.get("id") in found.label_for for f in found.inputs)
    with schema_context(alfa.schema):
        old = MemberSettings.objects.get(member=people.rita)
    assert old.digest == "weekly"
    assert f"http://alfa.noaber.test/agenda/{old.calendar_token}.ics" in text(page)

    assert client.post("/instellingen/", {"digest": "daily"}).status_code == 302
    bad = client.post("/instellingen/", {"digest": "hourly"})
    assert bad.status_code == 400
    with schema_context(alfa.schema):
        assert MemberSettings.objects.get(member=people.rita).digest == "daily"

    feed = client_for(alfa.host)
    assert feed.get(f"/agenda/{old.calendar_token}.ics").status_code == 200
    confirm = client.get("/instellingen/agenda-vernieuwen/")
    assert confirm.status_code == 200 and "Ja, nieuw adres maken" in text(confirm)
    with schema_context(alfa.schema):
        assert MemberSettings.objects.get(member=people.rita).calendar_token == old.calendar_token
    renewed = client.post("/instellingen/agenda-vernieuwen/")
    assert renewed.status_code == 302 and renewed["Location"] == "/instellingen/"
    with schema_context(alfa.schema):
        new = MemberSettings.objects.get(member=people.rita).calendar_token
    assert new != old.calendar_token
    assert feed.get(f"/agenda/{old.calendar_token}.ics").status_code == 404
    assert feed.get(f"/agenda/{new}.ics").status_code == 200
    assert f"/agenda/{new}.ics" in text(client.get("/instellingen/"))
    # The token is this cooperative's: beta has no such calendar.
    assert client_for(beta.host).get(f"/agenda/{new}.ics").status_code == 404


def test_pages_need_a_login(alfa, people):
    anonymous = client_for(alfa.host)
    for url in ("/markt/", "/hulpvragen/nieuw/", "/mijn-markt/", "/coordinatie/", "/instellingen/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
