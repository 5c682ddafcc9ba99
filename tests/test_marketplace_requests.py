"""Marketplace pages for requests and offers: asking for help (also on a member's behalf) with
every house rule refused in its own words and nothing created, the marketplace without
addresses and at a fixed number of queries, "ik help" and accepting a volunteer, cancelling,
offers, a member's own marketplace, the coordinator board in its scope, settings with a
renewable calendar address, and another cooperative's ids answering 404."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from types import SimpleNamespace

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
from cooperatives.members.models import Member, Role
from cooperatives.rules.selectors import rulebook_current
from cooperatives.rules.services import rulebook_revise
from cooperatives.setup.models import Cluster
from cooperatives.setup.services import cluster_set_active, partner_save
from shared.audit.models import AuditEntry
from tests.conftest import client_for, logged_in_client
from tests.factories import make_member, make_neighbourhood
from tests.test_pages import audit

TODAY = timezone.localdate
MESSAGES = {
    "too_long": "Een dienst duurt hoogstens 2 uur. Vraag hulp in kortere delen.",
    "too_many_open": (
        "U heeft al 1 open hulpvraag of dienst; volgens de spelregels kan dat er hoogstens 1 "
        "zijn. Rond die eerst af of trek hem in."
    ),
    "network_check": (
        "Voor een klus vragen we eerst: kunnen familie, vrienden of buren niet helpen? "
        "Bevestig dat, dan zoeken wij een vrijwilliger."
    ),
    "referred_to_partner": (
        "Een klus van meer dan 1,5 uur doen wij niet zelf: daarvoor hebben we afspraken met "
        "partners tegen een sociaal tarief. Neem contact op met: Buurtbedrijf Oost, Piet Klus, "
        "030 123 45 67, info@buurtbedrijf.example.nl."
    ),
    "retired": "Dit cluster is niet meer in gebruik.",
    "past": "Kies data vanaf vandaag.",
}
NOT_OPEN = "Deze hulpvraag heeft al een vrijwilliger of is gesloten."


# --- set-up ------------------------------------------------------------------------------------


def make_people(coop) -> SimpleNamespace:
    """Two buurten (Oudwijk 3581, Lanen 3582) and one person per role; Rita asks for help,
    Vera and Victor volunteer (Vera in Rita's buurt), the assistant assists Oudwijk only."""
    oudwijk = make_neighbourhood(coop.schema, "Oudwijk", postcodes=["3581"])
    lanen = make_neighbourhood(coop.schema, "Lanen", postcodes=["3582"])

    def person(name, roles=(), hood=oudwijk, street="Kerkstraat", number="1", **extra):
        return make_member(
            coop.schema,
            name,
            roles=roles,
            neighbourhood=hood,
            street=street,
            house_number=number,
            postcode="3581AB" if hood == oudwijk else "3582CD",
            **extra,
        )

    return SimpleNamespace(
        oudwijk=oudwijk,
        lanen=lanen,
        rita=person("Rita Vraag", street="Oudwijkerlaan", number="7", phone="030 111 22 33"),
        other=person("Olga Ander", street="Nachtegaalstraat", number="3"),
        lanen_member=person("Lars Lanen", hood=lanen, street="Laan", number="9"),
        vera=person("Vera Vrijwilliger", roles=[Role.VOLUNTEER]),
        victor=person("Victor Helper", roles=[Role.VOLUNTEER], hood=lanen),
        coordinator=person("Coco Coördinator", roles=[Role.COORDINATOR]),
        assistant=make_member(
            coop.schema,
            "Bea Buurt",
            roles=[Role.NEIGHBOURHOOD_ASSISTANT],
            neighbourhood=oudwijk,
            assists=[oudwijk],
        ),
        board=board_member(coop),
    )


@pytest.fixture
def people(alfa, beta):
    return make_people(alfa)


def board_member(coop) -> Member:
    with schema_context(coop.schema):
        return Member.objects.get(email=coop.board_email)


def cluster(coop, name) -> Cluster:
    with schema_context(coop.schema):
        return Cluster.objects.get(name=name)


def count(coop, model) -> int:
    with schema_context(coop.schema):
        return model.objects.count()


def ask(coop, requester, cluster_name="Wandelen", actor=None, **fields) -> HelpRequest:
    """A request made through the service, as a member would."""
    values = {"title": "Samen wandelen", "expected_hours": "1.5", **fields}
    with schema_context(coop.schema):
        return services.request_create(
            actor=actor or requester,
            requester=requester,
            cluster=Cluster.objects.get(name=cluster_name),
            **values,
        )


def beta_request(beta) -> HelpRequest:
    requester = make_member(beta.schema, "Bep Beta", street="Betastraat", house_number="2")
    with schema_context(beta.schema):
        return services.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.filter(is_active=True).first(),
            title="Vraag in beta",
            expected_hours="1",
        )


def text(response) -> str:
    return html.unescape(response.content.decode())


def create_form(**fields) -> dict:
    return {"title": "Samen wandelen", "expected_hours": "1,5", **fields}


# --- asking for help ---------------------------------------------------------------------------


def test_member_asks_for_help_at_their_own_address_by_default(alfa, people):
    walk, repair = cluster(alfa, "Wandelen"), cluster(alfa, "Reparaties")
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
            cluster=cluster(alfa, "Boodschappen").pk,
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
    free = cluster(alfa, "Wandelen").pk
    assert 'name="network_checked"' not in text(client.get(f"/hulpvragen/nieuw/?cluster={free}"))
    paid = cluster(alfa, "Reparaties").pk
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
    member = make_member(beta.schema, "Wim Wij", street="Wijstraat", house_number="4")
    client = logged_in_client(beta, member=member)
    page = text(client.get("/hulpvragen/nieuw/"))
    assert "(Auto)vervoer (tijdpunten)" in page
    assert 'name="network_checked"' not in page
    transport = cluster(beta, "(Auto)vervoer")
    for title in ("Naar het ziekenhuis", "Naar de markt"):
        response = client.post(
            "/hulpvragen/nieuw/", create_form(cluster=transport.pk, title=title, expected_hours="3")
        )
        assert response.status_code == 302
    with schema_context(beta.schema):
        made = list(HelpRequest.objects.order_by("id").values_list("title", "compensation"))
    assert made == [("Naar het ziekenhuis", "points"), ("Naar de markt", "points")]
    assert count(alfa, HelpRequest) == 0


def refusal_case(alfa, people, code) -> dict:
    """Set the rules up for ``code`` and return the form that breaks it."""
    walk, paid = cluster(alfa, "Wandelen").pk, cluster(alfa, "Reparaties").pk
    if code == "too_long":
        return create_form(cluster=walk, expected_hours="2,5")
    if code == "too_many_open":
        ask(alfa, people.rita)
        return create_form(cluster=walk, title="Nog een vraag")
    if code == "network_check":
        return create_form(cluster=paid, expected_hours="1")
    if code == "referred_to_partner":
        with schema_context(alfa.schema):
            partner_save(
                actor=people.board,
                name="Buurtbedrijf Oost",
                contact_name="Piet Klus",
                phone="030 123 45 67",
                email="info@buurtbedrijf.example.nl",
            )
            rulebook_revise(actor=people.board, changes={"partner_referral_hours": "1.5"})
        return create_form(cluster=paid, expected_hours="2", network_checked="on")
    if code == "retired":
        with schema_context(alfa.schema):
            cluster_set_active(
                actor=people.board, cluster=Cluster.objects.get(pk=walk), active=False
            )
        return create_form(cluster=walk)
    assert code == "past"
    return create_form(cluster=walk, preferred_dates=f"{TODAY() - dt.timedelta(days=1):%d-%m-%Y}")


# A klus too large for volunteers is not refused on the page: the member is referred to the
# partners (tests/cooperatives/marketplace/test_referral.py); the API still refuses it.
@pytest.mark.parametrize("code", [c for c in MESSAGES if c != "referred_to_partner"])
def test_each_house_rule_refuses_with_its_own_message_and_creates_nothing(alfa, people, code):
    form = refusal_case(alfa, people, code)
    before = count(alfa, HelpRequest)
    response = logged_in_client(alfa, member=people.rita).post("/hulpvragen/nieuw/", form)
    assert response.status_code == 400
    assert MESSAGES[code] in text(response)
    assert count(alfa, HelpRequest) == before


def test_coordinator_asks_on_behalf_of_a_member_and_it_is_recorded(alfa, people):
    client = logged_in_client(alfa, member=people.coordinator)
    page = text(client.get("/hulpvragen/nieuw/"))
    assert 'name="requester"' in page and "Lars Lanen" in page and "Rita Vraag" in page
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(cluster=cluster(alfa, "Wandelen").pk, requester=people.lanen_member.pk),
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
    walk = cluster(alfa, "Wandelen").pk
    refused = client.post(
        "/hulpvragen/nieuw/", create_form(cluster=walk, requester=people.lanen_member.pk)
    )
    assert refused.status_code == 400
    assert count(alfa, HelpRequest) == 0
    done = client.post("/hulpvragen/nieuw/", create_form(cluster=walk, requester=people.rita.pk))
    assert done.status_code == 302
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
    assert (made.requester_id, made.created_by_id) == (people.rita.pk, people.assistant.pk)


def test_a_plain_member_cannot_ask_on_someone_elses_behalf(alfa, people):
    client = logged_in_client(alfa, member=people.other)
    response = client.post(
        "/hulpvragen/nieuw/",
        create_form(cluster=cluster(alfa, "Wandelen").pk, requester=people.rita.pk),
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
    walk = ask(alfa, people.rita, title="Wandelen in het park", preferred_dates=[soon])
    ask(alfa, people.lanen_member, cluster_name="Boodschappen", title="Boodschappen halen")
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
    made = ask(alfa, people.rita)
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
    made = ask(alfa, people.rita, title="Hulp bij de tuin")
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
    made = ask(alfa, people.rita)
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
    assert count(alfa, Service) == 0
    # The assistant of Rita's buurt accepts for her.
    response = logged_in_client(alfa, member=people.assistant).post(
        f"/reacties/{answer.pk}/accepteren/", form
    )
    assert response.status_code == 302
    assert count(alfa, Service) == 1


def test_accept_form_errors_stay_on_the_page(alfa, people):
    made = ask(alfa, people.rita)
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
    assert count(alfa, Service) == 0


def test_own_request_and_non_volunteers_get_no_ik_help(alfa, people):
    made = ask(alfa, people.rita)
    url = f"/hulpvragen/{made.pk}/"
    assert "Ik help" not in text(logged_in_client(alfa, member=people.other).get(url))
    assert logged_in_client(alfa, member=people.other).post(f"{url}ik-help/").status_code == 403
    coordinator = make_member(alfa.schema, "Cora", roles=[Role.COORDINATOR])
    ask(alfa, coordinator, title="Eigen vraag")
    with schema_context(alfa.schema):
        own = HelpRequest.objects.get(requester=coordinator)
    refused = logged_in_client(alfa, member=coordinator).post(f"/hulpvragen/{own.pk}/ik-help/")
    assert refused.status_code == 400
    assert "U kunt niet op uw eigen hulpvraag reageren." in text(refused)
    assert count(alfa, HelpResponse) == 0


def test_suggested_volunteers_are_shown_to_the_requester_and_coordinators_only(alfa, people):
    with schema_context(alfa.schema):
        people.vera.help_clusters.add(Cluster.objects.get(name="Wandelen"))
    made = ask(alfa, people.rita)
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
    made = ask(alfa, people.rita)
    with schema_context(alfa.schema):
        services.request_cancel(actor=people.rita, request=made, reason="Al geregeld")
    url = f"/hulpvragen/{made.pk}/"
    for member in (people.rita, people.coordinator, people.assistant, people.board):
        assert logged_in_client(alfa, member=member).get(url).status_code == 200
    for member in (people.other, people.vera):
        assert logged_in_client(alfa, member=member).get(url).status_code == 404


def test_cancelling_asks_first_and_only_the_requester_or_coordinator_may(alfa, people):
    made = ask(alfa, people.rita)
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
    volunteer = make_member(beta.schema, "Bob", roles=[Role.VOLUNTEER])
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
        assert count(alfa, model) == 0


# --- offers and my marketplace -----------------------------------------------------------------


def test_volunteer_offers_help_and_renews_or_withdraws_it(alfa, people):
    client = logged_in_client(alfa, member=people.vera)
    page = client.get("/aanbod/nieuw/")
    assert page.status_code == 200
    found = audit(page.content.decode())
    assert found.inputs and all(f.get("id") in found.label_for for f in found.inputs)
    repair = cluster(alfa, "Reparaties")
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
        "/aanbod/nieuw/", {"cluster": cluster(alfa, "Wandelen").pk, "description": "x"}
    )
    assert response.status_code == 403
    assert count(alfa, Offer) == 0


def test_offer_needs_a_cluster_and_a_description(alfa, people):
    response = logged_in_client(alfa, member=people.vera).post(
        "/aanbod/nieuw/", {"cluster": "", "description": " ", "reach": "neighbourhood"}
    )
    assert response.status_code == 400
    assert "Kies waarbij u wilt helpen." in text(response)
    assert count(alfa, Offer) == 0


def test_my_marketplace_lists_my_requests_offers_and_answers(alfa, people):
    ask(alfa, people.vera, title="Vera vraagt iets")
    other_request = ask(alfa, people.rita, title="Rita vraagt iets")
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
    old = ask(alfa, people.rita, title="Oude vraag")
    matched = ask(alfa, people.other, title="Gekoppelde vraag")
    lanen = ask(alfa, people.lanen_member, title="Vraag in Lanen")
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


def test_home_page_links_to_the_marketplace_by_role(alfa, people):
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
