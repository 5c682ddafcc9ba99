"""The marketplace pages, on `alfa` (Oost: free services and paid klussen at € 4,50 an hour)
and `beta` (WIJ: 2 points an hour).

Requests and offers: asking for help (also on a member's behalf) with every house rule refused
in its own words and nothing created, the marketplace without addresses and at a fixed number
of queries, "ik help" and accepting a volunteer, cancelling, offers, a member's own
marketplace, the coordinator board in its scope, settings with a renewable calendar address,
and another cooperative's ids answering 404.

Services: plan, move, cancel, register hours, confirm (which records what the service owes
under its own rulebook version) and feedback. A service exists only for its requester, its
volunteer and whoever looks after the requester; everyone else, and every other cooperative,
gets a 404 and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
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
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_current
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import (
    HelpRequestFactory,
    MemberFactory,
    NeighbourhoodFactory,
    ServiceFactory,
    beta_request,
    breaking_house_rule,
    create_form,
    date_passed,
    decided,
)
from tests.pages import audit, body, text
from tests.state import cluster_named, count_rows, dues, service_stored
from tests.texts import HOUSE_RULES, NOT_OPEN

TODAY = timezone.localdate


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


# A klus too large for volunteers is not refused on the page: the member is referred to the
# partners (tests/cooperatives/marketplace/test_referral.py); the API still refuses it.
@pytest.mark.parametrize("code", [c for c in HOUSE_RULES if c != "referred_to_partner"])
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


# --- the whole lifecycle -----------------------------------------------------------------------


def test_a_paid_klus_on_alfa_from_planned_to_feedback(
    alfa, beta, django_capture_on_commit_callbacks
):
    """Oost: 1,5 hours of Reparaties at € 4,50 → € 6,75 owed by the requester to the
    volunteer, with the cooperative's share from the rulebook (0 % in Oost)."""
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    requester, volunteer = service.requester, service.volunteer
    as_requester = logged_in_client(alfa, member=requester)
    as_volunteer = logged_in_client(alfa, member=volunteer)

    page = body(as_volunteer.get(f"/diensten/{service.pk}/"))
    assert "Reparaties: Kraan repareren" in page
    assert "Ooststraat 12, 3581AB" in page  # the exact address, for the volunteer
    assert "€ 4,50 per uur" in page
    assert "1,5 uur" in page and "14:30" in page

    # Registering before the appointment is refused, and changes nothing.
    early = as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "1,5"})
    assert early.status_code == 400
    assert "Uren registreert u na de afspraak." in body(early)
    assert service_stored(alfa, service).status == Service.Status.PLANNED
    assert service_stored(alfa, service).registered_hours is None

    date_passed(alfa, service)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registered = as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "1,5"})
    assert registered.status_code == 302
    after = service_stored(alfa, service)
    assert (after.status, after.registered_hours) == (Service.Status.REGISTERED, Decimal("1.5"))
    assert [m.to for m in mail.outbox] == [[requester.email]]

    page = body(as_requester.get(f"/diensten/{service.pk}/"))
    assert "Klopt het dat Vera Vrijwilliger 1,5 uur heeft geholpen?" in page
    assert "Dan wordt vastgelegd: € 6,75." in page

    confirmed = as_requester.post(f"/diensten/{service.pk}/bevestigen/")
    assert confirmed.status_code == 302
    with schema_context(alfa.schema):
        rulebook_id = Rulebook.objects.order_by("-version").first().pk
        assert HelpRequest.objects.get(pk=service.request_id).status == HelpRequest.Status.CLOSED
    assert dues(alfa, service) == [
        ("euros", Decimal("6.75"), Decimal("0.00"), requester.pk, volunteer.pk, rulebook_id, "owed")
    ]
    after = service_stored(alfa, service)
    assert after.status == Service.Status.CONFIRMED
    assert after.confirmed_by_id == requester.pk
    assert after.feedback_due == TODAY() + dt.timedelta(days=7)  # Oost: within a week
    assert "€ 6,75 van Rita Hulpvrager aan Vera Vrijwilliger" in body(
        as_volunteer.get(f"/diensten/{service.pk}/")
    )

    # Confirming twice is refused; still one row per kind.
    again = as_requester.post(f"/diensten/{service.pk}/bevestigen/")
    assert again.status_code == 400
    assert "al bevestigd" in body(again)
    assert len(dues(alfa, service)) == 1

    feedback = as_requester.post(
        f"/diensten/{service.pk}/terugkoppeling/", {"rating": "5", "comment": "Top, kraan is dicht"}
    )
    assert feedback.status_code == 302
    twice = as_requester.post(
        f"/diensten/{service.pk}/terugkoppeling/", {"rating": "1", "comment": "toch niet"}
    )
    assert twice.status_code == 400
    assert "Voor deze dienst is al terugkoppeling gegeven." in body(twice)
    after = service_stored(alfa, service)
    assert (after.rating, after.feedback) == (5, "Top, kraan is dicht")

    mine = body(as_volunteer.get("/mijn-terugkoppeling/"))
    assert "Top, kraan is dicht" in mine and "Waardering: 5 van 5" in mine


def test_points_on_beta_from_planned_to_feedback(alfa, beta):
    """WIJ: 2 points an hour, so 1,5 hours → 3 points from the requester to the volunteer."""
    service = ServiceFactory(schema=beta.schema, cluster="Administratie", title="Belastingaangifte")
    requester, volunteer = service.requester, service.volunteer
    as_requester = logged_in_client(beta, member=requester)
    as_volunteer = logged_in_client(beta, member=volunteer)
    assert "2 tijdpunten per uur" in body(as_requester.get(f"/diensten/{service.pk}/"))

    date_passed(beta, service)
    assert as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "1.5"}).status_code == 302
    assert "Dan wordt vastgelegd: 3 tijdpunten." in body(
        as_requester.get(f"/diensten/{service.pk}/")
    )
    assert as_requester.post(f"/diensten/{service.pk}/bevestigen/").status_code == 302
    with schema_context(beta.schema):
        rulebook_id = Rulebook.objects.order_by("-version").first().pk
    assert dues(beta, service) == [
        (
            "points",
            Decimal("3.00"),
            Decimal("0.00"),
            requester.pk,
            volunteer.pk,
            rulebook_id,
            "owed",
        )
    ]
    assert as_requester.post(f"/diensten/{service.pk}/bevestigen/").status_code == 400
    assert len(dues(beta, service)) == 1
    assert (
        as_requester.post(
            f"/diensten/{service.pk}/terugkoppeling/", {"rating": "4", "comment": ""}
        ).status_code
        == 302
    )
    assert service_stored(beta, service).rating == 4
    assert "Waardering: 4 van 5" in body(as_volunteer.get("/mijn-terugkoppeling/"))


def test_hours_above_the_rulebook_maximum_are_refused(
    alfa, beta, django_capture_on_commit_callbacks
):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    date_passed(alfa, service)
    as_volunteer = logged_in_client(alfa, member=service.volunteer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "2,5"})
    assert response.status_code == 400
    assert "Volgens de spelregels duurt een dienst hoogstens 2 uur." in body(response)
    after = service_stored(alfa, service)
    assert (after.status, after.registered_hours) == (Service.Status.PLANNED, None)
    assert mail.outbox == []


def test_a_rule_change_after_planning_does_not_change_what_the_service_owes(alfa, beta):
    before = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    with schema_context(alfa.schema):
        old_rulebook = before.rulebook
        new_rulebook = rulebook_revise(
            actor=None,
            changes={"euro_rate_per_hour": "5,00", "share_euro_percent": "10"},
            decision=decided(),
        )
    # A service planned after the change works under the new version: € 7,50, 10 % share.
    other = MemberFactory(
        schema=alfa.schema, name="Otto Ander", street="Ooststraat", house_number="14"
    )
    later = ServiceFactory(
        schema=alfa.schema, cluster="Reparaties", requester=other, volunteer=before.volunteer
    )
    assert later.rulebook_id == new_rulebook.pk

    as_volunteer = logged_in_client(alfa, member=before.volunteer)
    assert "€ 4,50 per uur" in body(as_volunteer.get(f"/diensten/{before.pk}/"))
    for service, requester in ((before, before.requester), (later, other)):
        date_passed(alfa, service)
        as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "1,5"})
        logged_in_client(alfa, member=requester).post(f"/diensten/{service.pk}/bevestigen/")
    page = body(as_volunteer.get(f"/diensten/{later.pk}/"))
    assert "€ 7,50 van Otto Ander aan Vera Vrijwilliger, waarvan € 0,75 voor de coöperatie" in page
    v = before.volunteer.pk
    assert dues(alfa, before) == [
        ("euros", Decimal("6.75"), Decimal("0.00"), before.requester.pk, v, old_rulebook.pk, "owed")
    ]
    assert dues(alfa, later) == [
        ("euros", Decimal("7.50"), Decimal("0.75"), other.pk, v, new_rulebook.pk, "owed")
    ]


# --- planning: move and cancel -----------------------------------------------------------------


def test_moving_tells_both_sides(alfa, beta, django_capture_on_commit_callbacks):
    service = ServiceFactory(schema=alfa.schema, cluster="Wandelen", title="Wandeling in het park")
    as_requester = logged_in_client(alfa, member=service.requester)
    new_date = TODAY() + dt.timedelta(days=10)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = as_requester.post(
            f"/diensten/{service.pk}/verzetten/",
            {"date": new_date.isoformat(), "start_time": "10:00", "reason": ""},
        )
    assert refused.status_code == 400
    assert "Geef een reden op; de ander krijgt die te lezen." in body(refused)
    assert service_stored(alfa, service).date == service.date
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        moved = as_requester.post(
            f"/diensten/{service.pk}/verzetten/",
            {"date": new_date.isoformat(), "start_time": "10.00", "reason": "Tandarts"},
        )
    assert moved.status_code == 302
    after = service_stored(alfa, service)
    assert (after.date, after.start_time) == (new_date, dt.time(10, 0))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [service.requester.email, service.volunteer.email]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the other's address
    expected = f"naar {new_date:%d-%m-%Y} 10:00. Reden: Tandarts"
    assert all(expected in m.body and "Wandeling in het park" in m.body for m in mail.outbox)


def test_cancelling_is_confirmed_on_its_own_page_and_tells_both_sides(
    alfa, beta, django_capture_on_commit_callbacks
):
    service = ServiceFactory(schema=alfa.schema, cluster="Boodschappen")
    as_volunteer = logged_in_client(alfa, member=service.volunteer)
    page = as_volunteer.get(f"/diensten/{service.pk}/annuleren/")
    assert page.status_code == 200 and "Afspraak annuleren?" in body(page)
    found = audit(body(page))
    assert all(field.get("id") in found.label_for for field in found.inputs)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refused = as_volunteer.post(f"/diensten/{service.pk}/annuleren/", {"reason": "  "})
    assert refused.status_code == 400
    assert service_stored(alfa, service).status == Service.Status.PLANNED
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = as_volunteer.post(f"/diensten/{service.pk}/annuleren/", {"reason": "Ik ben ziek"})
    assert done.status_code == 302
    after = service_stored(alfa, service)
    assert (after.status, after.cancel_reason, after.cancelled_by_id) == (
        Service.Status.CANCELLED,
        "Ik ben ziek",
        service.volunteer.pk,
    )
    with schema_context(alfa.schema):
        # Nobody helps any more: the request is open again for other volunteers.
        assert HelpRequest.objects.get(pk=service.request_id).status == HelpRequest.Status.OPEN
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [service.requester.email, service.volunteer.email]
    )
    assert all("Reden: Ik ben ziek" in m.body for m in mail.outbox)
    # The volunteer no longer sees the exact address; the requester still does.
    assert "Ooststraat 12" not in body(as_volunteer.get(f"/diensten/{service.pk}/"))
    requester_page = logged_in_client(alfa, member=service.requester).get(
        f"/diensten/{service.pk}/"
    )
    assert "Ooststraat 12" in body(requester_page)
    # A cancelled service cannot be moved or cancelled again.
    again = as_volunteer.post(f"/diensten/{service.pk}/annuleren/", {"reason": "nogmaals"})
    assert again.status_code == 400
    assert service_stored(alfa, service).cancel_reason == "Ik ben ziek"


# --- who may do what ---------------------------------------------------------------------------


def test_other_members_do_not_see_a_service_and_change_nothing(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    date_passed(alfa, service)
    stranger = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, name="Sam Buiten"))
    assert stranger.get(f"/diensten/{service.pk}/").status_code == 404
    for path, data in (
        ("verzetten/", {"date": TODAY().isoformat(), "start_time": "09:00", "reason": "x"}),
        ("annuleren/", {"reason": "x"}),
        ("uren/", {"hours": "1"}),
        ("bevestigen/", {}),
        ("terugkoppeling/", {"rating": "1"}),
    ):
        assert stranger.post(f"/diensten/{service.pk}/{path}", data).status_code == 404
    after = service_stored(alfa, service)
    assert (after.status, after.date, after.registered_hours) == (
        Service.Status.PLANNED,
        service.date - dt.timedelta(days=4),
        None,
    )
    assert "Kraan repareren" not in body(stranger.get("/diensten/"))
    # A member's own list ignores ?alle=1: only coordinators see more.
    assert "Kraan repareren" not in body(stranger.get("/diensten/?alle=1"))


def test_each_side_does_only_its_own_steps(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    date_passed(alfa, service)
    as_requester = logged_in_client(alfa, member=service.requester)
    as_volunteer = logged_in_client(alfa, member=service.volunteer)
    # The requester cannot register the volunteer's hours.
    assert as_requester.post(f"/diensten/{service.pk}/uren/", {"hours": "1"}).status_code == 403
    assert service_stored(alfa, service).status == Service.Status.PLANNED
    as_volunteer.post(f"/diensten/{service.pk}/uren/", {"hours": "1"})
    # The volunteer cannot confirm their own hours, nor give feedback on themselves.
    assert as_volunteer.post(f"/diensten/{service.pk}/bevestigen/").status_code == 403
    assert service_stored(alfa, service).status == Service.Status.REGISTERED
    assert dues(alfa, service) == []
    page = body(as_volunteer.get(f"/diensten/{service.pk}/"))
    assert "Ja, de uren kloppen" not in page  # no confirm form for the volunteer
    as_requester.post(f"/diensten/{service.pk}/bevestigen/")
    assert (
        as_volunteer.post(f"/diensten/{service.pk}/terugkoppeling/", {"rating": "5"}).status_code
        == 403
    )
    assert service_stored(alfa, service).rating is None


def test_a_coordinator_confirms_on_behalf_and_an_assistant_of_another_buurt_cannot(alfa, beta):
    oost = NeighbourhoodFactory(schema=alfa.schema, name="Oost", postcodes=["3581"])
    west = NeighbourhoodFactory(schema=alfa.schema, name="West", postcodes=["3512"])
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties", buurt=oost)
    date_passed(alfa, service)
    logged_in_client(alfa, member=service.volunteer).post(
        f"/diensten/{service.pk}/uren/", {"hours": "1,5"}
    )

    west_assistant = logged_in_client(
        alfa,
        member=MemberFactory(
            schema=alfa.schema,
            roles=["neighbourhood_assistant"],
            neighbourhood=west,
            assists=[west],
        ),
    )
    assert west_assistant.get(f"/diensten/{service.pk}/").status_code == 404
    assert west_assistant.post(f"/diensten/{service.pk}/bevestigen/").status_code == 404
    assert "Kraan repareren" not in body(west_assistant.get("/diensten/?alle=1"))
    assert service_stored(alfa, service).status == Service.Status.REGISTERED
    assert dues(alfa, service) == []

    oost_assistant = logged_in_client(
        alfa,
        member=MemberFactory(schema=alfa.schema, roles=["neighbourhood_assistant"], assists=[oost]),
    )
    assert oost_assistant.get(f"/diensten/{service.pk}/").status_code == 200
    assert "Kraan repareren" in body(oost_assistant.get("/diensten/?alle=1"))

    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    as_coordinator = logged_in_client(alfa, member=coordinator)
    assert "Kraan repareren" not in body(as_coordinator.get("/diensten/"))
    assert "Kraan repareren" in body(as_coordinator.get("/diensten/?alle=1"))
    page = body(as_coordinator.get(f"/diensten/{service.pk}/"))
    assert "U bevestigt namens Rita Hulpvrager." in page
    assert as_coordinator.post(f"/diensten/{service.pk}/bevestigen/").status_code == 302
    after = service_stored(alfa, service)
    assert (after.status, after.confirmed_by_id) == (Service.Status.CONFIRMED, coordinator.pk)
    assert [d[:2] for d in dues(alfa, service)] == [("euros", Decimal("6.75"))]


def test_a_service_of_another_cooperative_is_not_found(alfa, beta):
    service = ServiceFactory(schema=beta.schema, cluster="Administratie")
    date_passed(beta, service)
    with schema_context(alfa.schema):
        assert not Service.objects.filter(pk=service.pk).exists()
    coordinator = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, roles=["coordinator"])
    )
    assert coordinator.get(f"/diensten/{service.pk}/").status_code == 404
    for path, data in (
        ("verzetten/", {"date": TODAY().isoformat(), "start_time": "09:00", "reason": "x"}),
        ("annuleren/", {"reason": "x"}),
        ("uren/", {"hours": "1"}),
        ("bevestigen/", {}),
        ("terugkoppeling/", {"rating": "1"}),
    ):
        assert coordinator.post(f"/diensten/{service.pk}/{path}", data).status_code == 404
    after = service_stored(beta, service)
    assert (after.status, after.registered_hours, after.cancel_reason) == (
        Service.Status.PLANNED,
        None,
        "",
    )


# --- the list and the pages themselves ---------------------------------------------------------


def test_my_services_lists_upcoming_first_with_their_status(alfa, beta):
    volunteer = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    past = ServiceFactory(
        schema=alfa.schema, cluster="Wandelen", title="Eerdere wandeling", volunteer=volunteer
    )
    date_passed(alfa, past, days=5)
    soon = ServiceFactory(
        schema=alfa.schema,
        cluster="Boodschappen",
        title="Boodschappen doen",
        volunteer=volunteer,
        requester=MemberFactory(schema=alfa.schema, name="Otto Ander"),
        date=TODAY() + dt.timedelta(days=2),
    )
    later = ServiceFactory(
        schema=alfa.schema,
        cluster="Tuin",
        title="Heg knippen",
        volunteer=volunteer,
        requester=MemberFactory(schema=alfa.schema, name="Pim Derde"),
        date=TODAY() + dt.timedelta(days=9),
    )
    page = body(logged_in_client(alfa, member=volunteer).get("/diensten/"))
    order = [page.index(t) for t in ("Boodschappen doen", "Heg knippen", "Eerdere wandeling")]
    assert order == sorted(order)
    assert "u helpt Otto Ander" in page
    assert "Registreer de uren" in page  # the past one waits for its hours
    assert page.count("gepland") == 3
    # The requester sees it from their side.
    own = body(logged_in_client(alfa, member=later.requester).get("/diensten/"))
    assert "Vera Vrijwilliger helpt u" in own and "Boodschappen doen" not in own
    assert soon.pk != later.pk


def test_my_services_costs_the_same_queries_whatever_the_number_of_services(alfa, beta):
    volunteer = MemberFactory(schema=alfa.schema, roles=["volunteer"])
    client = logged_in_client(alfa, member=volunteer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert client.get("/diensten/").status_code == 200
        return len(run)

    ServiceFactory(schema=alfa.schema, cluster="Wandelen", volunteer=volunteer)
    queries()  # the first visit makes the calendar secret
    one = queries()
    for _ in range(3):
        ServiceFactory(schema=alfa.schema, cluster="Tuin", volunteer=volunteer)
    assert queries() == one


def test_service_pages_label_every_field(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    for member in (service.requester, service.volunteer):
        html = body(logged_in_client(alfa, member=member).get(f"/diensten/{service.pk}/"))
        found = audit(html)
        assert found.inputs, "the move form is there"
        assert all(field.get("id") in found.label_for for field in found.inputs)
        assert re.search(r'<form method="post" action="/diensten/\d+/verzetten/"', html)
    date_passed(alfa, service)
    html = body(logged_in_client(alfa, member=service.volunteer).get(f"/diensten/{service.pk}/"))
    assert 'name="hours"' in html and 'value="1,5"' in html
    refused = logged_in_client(alfa, member=service.volunteer).post(
        f"/diensten/{service.pk}/uren/", {"hours": "veel"}
    )
    assert refused.status_code == 400
    assert 'href="#id_hours"' in body(refused)  # the error summary links to the field
