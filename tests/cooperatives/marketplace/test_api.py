"""The marketplace through the API.

Requests, offers, "ik help", accepting, the board and settings (/api/v1/requests/, responses/,
offers/, board/, settings/): the same house rules, messages and scope as the pages, structured
errors, paginated lists, addresses only for those who may see them, and another cooperative's
ids answering 404.

The service lifecycle (/api/v1/services/...): the same people see a service as on the pages
(others 404), refusals come back as structured errors with the services' codes, and what a
confirmed service owes is listed under /dues/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
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
from cooperatives.setup.models import Cluster
from shared.audit.models import AuditEntry
from tests.clients import (
    FORBIDDEN,
    JSON,
    NOT_FOUND,
    client_for,
    error_codes,
    logged_in_client,
    post_json,
    refusal,
)
from tests.factories import (
    HelpRequestFactory,
    MemberFactory,
    NeighbourhoodFactory,
    ServiceFactory,
    beta_request,
    breaking_house_rule,
    date_passed,
)
from tests.state import cluster_named, count_rows, dues, service_stored
from tests.texts import HOUSE_RULES, NOT_OPEN

TODAY = timezone.localdate


ATTRS = {
    "too_long": "expected_hours",
    "too_many_open": None,
    "network_check": "network_checked",
    "referred_to_partner": "expected_hours",
    "retired": "cluster",
    "past": "preferred_dates",
}


def api_form(form: dict) -> dict:
    """The page's form as JSON for the API (dates as a list, a box as a boolean)."""
    data = {
        "cluster": form["cluster"],
        "title": form["title"],
        "expected_hours": form["expected_hours"],
        "network_checked": form.get("network_checked") == "on",
    }
    if form.get("preferred_dates"):
        day = dt.datetime.strptime(form["preferred_dates"], "%d-%m-%Y").date()
        data["preferred_dates"] = [day.isoformat()]
    return data


# --- requests ----------------------------------------------------------------------------------


def test_member_asks_for_help_through_the_api(alfa, people):
    walk = cluster_named(alfa, "Wandelen")
    day = TODAY() + dt.timedelta(days=2)
    client = logged_in_client(alfa, member=people.rita)
    response = post_json(
        client,
        "/api/v1/requests/",
        {
            "cluster": walk.pk,
            "title": "Samen wandelen",
            "description": "Rondje park",
            "preferred_dates": [day.isoformat()],
            "preferred_parts": ["middag"],
            "expected_hours": "1.5",
        },
    )
    assert response.status_code == 201
    with schema_context(alfa.schema):
        made = HelpRequest.objects.get()
    data = response.json()
    assert data == {
        "id": made.pk,
        "title": "Samen wandelen",
        "cluster": walk.pk,
        "cluster_name": "Wandelen",
        "compensation": "free",
        "neighbourhood": people.oudwijk.pk,
        "neighbourhood_name": "Oudwijk",
        "preferred_dates": [day.isoformat()],
        "preferred_parts": ["middag"],
        "expected_hours": "1.5",
        "repeats_weekly": False,
        "status": "open",
        "created_at": data["created_at"],
        "description": "Rondje park",
        "network_checked": False,
        "created_by_other": False,
        "requester": people.rita.pk,
        "requester_name": "Rita Vraag",
        "street": "Oudwijkerlaan",
        "house_number": "7",
        "postcode": "3581AB",
    }


@pytest.mark.parametrize("code", list(HOUSE_RULES))
def test_each_house_rule_refuses_in_the_api_and_creates_nothing(alfa, people, code):
    data = api_form(breaking_house_rule(alfa, people, code))
    before = count_rows(alfa, HelpRequest)
    response = post_json(logged_in_client(alfa, member=people.rita), "/api/v1/requests/", data)
    assert response.status_code == 400
    assert response.json() == refusal(ATTRS[code], code, HOUSE_RULES[code])
    assert count_rows(alfa, HelpRequest) == before


def test_points_cooperative_has_no_klus_check(alfa, beta):
    member = MemberFactory(schema=beta.schema, name="Wim Wij", street="Wijstraat", house_number="4")
    client = logged_in_client(beta, member=member)
    for title in ("Klusje", "Nog een klusje"):
        response = post_json(
            client,
            "/api/v1/requests/",
            {
                "cluster": cluster_named(beta, "Beheer en onderhoud van woning en woonomgeving").pk,
                "title": title,
                "expected_hours": 4,
            },
        )
        assert response.status_code == 201
        assert response.json()["compensation"] == "points"
    assert count_rows(beta, HelpRequest) == 2 and count_rows(alfa, HelpRequest) == 0


def test_on_behalf_coordinator_yes_assistant_in_own_buurt_member_no(alfa, people):
    walk = cluster_named(alfa, "Wandelen").pk
    body = {"cluster": walk, "title": "Boodschappen", "expected_hours": "1"}

    member = post_json(
        logged_in_client(alfa, member=people.other),
        "/api/v1/requests/",
        {**body, "requester": people.rita.pk},
    )
    assert member.status_code == 403 and member.json() == FORBIDDEN
    assistant = logged_in_client(alfa, member=people.assistant)
    outside = post_json(
        assistant, "/api/v1/requests/", {**body, "requester": people.lanen_member.pk}
    )
    assert outside.status_code == 400
    assert outside.json() == refusal("requester", "does_not_exist", "Onbekend lid.")
    assert count_rows(alfa, HelpRequest) == 0

    inside = post_json(assistant, "/api/v1/requests/", {**body, "requester": people.rita.pk})
    assert inside.status_code == 201
    assert (inside.json()["requester"], inside.json()["created_by_other"]) == (people.rita.pk, True)
    coordinator = post_json(
        logged_in_client(alfa, member=people.coordinator),
        "/api/v1/requests/",
        {**body, "requester": people.lanen_member.pk},
    )
    assert coordinator.status_code == 201
    with schema_context(alfa.schema):
        made = dict(HelpRequest.objects.values_list("requester_id", "created_by_id"))
        actions = list(
            AuditEntry.objects.filter(action__startswith="request.")
            .order_by("id")
            .values_list("action", "actor_id")
        )
    assert made == {
        people.rita.pk: people.assistant.pk,
        people.lanen_member.pk: people.coordinator.pk,
    }
    assert actions == [
        ("request.create_on_behalf", people.assistant.pk),
        ("request.create_on_behalf", people.coordinator.pk),
    ]


def test_list_is_paginated_filtered_and_never_shows_an_address(alfa, people):
    HelpRequestFactory(schema=alfa.schema, requester=people.rita, title="Vraag Oudwijk")
    lanen = HelpRequestFactory(
        schema=alfa.schema,
        requester=people.lanen_member,
        cluster="Boodschappen",
        title="Vraag Lanen",
    )
    client = logged_in_client(alfa, member=people.other)
    listing = client.get("/api/v1/requests/").json()
    assert (listing["count"], listing["next"], listing["previous"]) == (2, None, None)
    assert [r["title"] for r in listing["results"]] == ["Vraag Lanen", "Vraag Oudwijk"]
    assert not {"street", "postcode", "requester"} & set(listing["results"][0])
    by_buurt = client.get(f"/api/v1/requests/?neighbourhood={people.lanen.pk}").json()
    assert [r["id"] for r in by_buurt["results"]] == [lanen.pk]
    by_cluster = client.get(f"/api/v1/requests/?cluster={lanen.cluster_id}").json()
    assert [r["id"] for r in by_cluster["results"]] == [lanen.pk]
    bad = client.get("/api/v1/requests/?date_from=morgen")
    assert bad.status_code == 400 and bad.json()["errors"][0]["attr"] == "date_from"


def test_detail_hides_the_address_unless_the_viewer_may_see_it(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/api/v1/requests/{made.pk}/"
    hidden = logged_in_client(alfa, member=people.vera).get(url).json()
    assert [hidden[f] for f in ("requester", "requester_name", "street", "house_number")] == [
        None,
        None,
        None,
        None,
    ]
    assert hidden["postcode"] is None and hidden["neighbourhood_name"] == "Oudwijk"
    with schema_context(alfa.schema):
        answer = services.response_create(volunteer=people.vera, request=made)
        services.response_accept(
            actor=people.rita, response=answer, date=TODAY(), start_time=dt.time(10, 0)
        )
    shown = logged_in_client(alfa, member=people.vera).get(url).json()
    assert (shown["street"], shown["house_number"], shown["postcode"]) == (
        "Oudwijkerlaan",
        "7",
        "3581AB",
    )
    assert shown["status"] == "matched"
    coordinator = logged_in_client(alfa, member=people.coordinator).get(url).json()
    assert coordinator["requester_name"] == "Rita Vraag"
    # Matched: no longer on the marketplace for others.
    assert logged_in_client(alfa, member=people.other).get(url).status_code == 404


def test_ik_help_and_accept_plan_a_service_and_a_second_accept_is_refused(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/api/v1/requests/{made.pk}/responses/"
    vera = post_json(logged_in_client(alfa, member=people.vera), url, {"message": "Graag!"})
    assert vera.status_code == 201
    victor = post_json(logged_in_client(alfa, member=people.victor), url)
    assert victor.status_code == 201
    assert vera.json() == {
        "id": vera.json()["id"],
        "request": made.pk,
        "volunteer": people.vera.pk,
        "volunteer_name": "Vera Vrijwilliger",
        "neighbourhood_name": "Oudwijk",
        "message": "Graag!",
        "status": "waiting",
        "created_at": vera.json()["created_at"],
    }
    refused = post_json(logged_in_client(alfa, member=people.other), url)
    assert refused.status_code == 403 and refused.json() == FORBIDDEN

    rita = logged_in_client(alfa, member=people.rita)
    listing = rita.get(url).json()
    assert listing["count"] == 2
    assert [r["volunteer_name"] for r in listing["results"]] == [
        "Vera Vrijwilliger",
        "Victor Helper",
    ]
    for member in (people.vera, people.other):
        response = logged_in_client(alfa, member=member).get(url)
        assert response.status_code == 403 and response.json() == FORBIDDEN
    assert logged_in_client(alfa, member=people.assistant).get(url).status_code == 200

    day = TODAY() + dt.timedelta(days=3)
    accept = {"date": day.isoformat(), "start_time": "09:30", "planned_hours": "2"}
    not_theirs = post_json(
        logged_in_client(alfa, member=people.victor),
        f"/api/v1/responses/{vera.json()['id']}/accept/",
        accept,
    )
    assert not_theirs.status_code == 403 and count_rows(alfa, Service) == 0
    accepted = post_json(rita, f"/api/v1/responses/{vera.json()['id']}/accept/", accept)
    assert accepted.status_code == 201
    with schema_context(alfa.schema):
        service = Service.objects.get()
    assert accepted.json() == {
        "id": service.pk,
        "request": made.pk,
        "volunteer": people.vera.pk,
        "volunteer_name": "Vera Vrijwilliger",
        "date": day.isoformat(),
        "start_time": "09:30:00",
        "planned_hours": "2.0",
        "status": "planned",
    }
    assert (service.planned_hours, service.start_time) == (Decimal("2.0"), dt.time(9, 30))

    second = post_json(rita, f"/api/v1/responses/{victor.json()['id']}/accept/", accept)
    assert second.status_code == 400
    assert second.json() == refusal(None, "not_open", NOT_OPEN)
    assert count_rows(alfa, Service) == 1


def test_cancel_by_the_requester_only(alfa, people):
    made = HelpRequestFactory(schema=alfa.schema, requester=people.rita)
    url = f"/api/v1/requests/{made.pk}/cancel/"
    other = post_json(logged_in_client(alfa, member=people.other), url, {"reason": "weg"})
    assert other.status_code == 403 and other.json() == FORBIDDEN
    with schema_context(alfa.schema):
        assert HelpRequest.objects.get().status == "open"
    done = post_json(logged_in_client(alfa, member=people.rita), url, {"reason": "Geregeld"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    again = post_json(logged_in_client(alfa, member=people.rita), url)
    assert again.status_code == 400
    assert again.json() == refusal(None, "closed", "Deze hulpvraag is al afgesloten.")


# --- offers ------------------------------------------------------------------------------------


def test_offers_create_list_renew_withdraw(alfa, people):
    vera = logged_in_client(alfa, member=people.vera)
    garden = cluster_named(alfa, "Tuin")
    made = post_json(
        vera,
        "/api/v1/offers/",
        {"cluster": garden.pk, "description": "Heggen knippen", "availability": ["vr-middag"]},
    )
    assert made.status_code == 201
    offer = made.json()
    assert offer == {
        "id": offer["id"],
        "volunteer": people.vera.pk,
        "volunteer_name": "Vera Vrijwilliger",
        "neighbourhood_name": "Oudwijk",
        "cluster": garden.pk,
        "cluster_name": "Tuin",
        "description": "Heggen knippen",
        "availability": ["vr-middag"],
        "reach": "neighbourhood",
        "status": "active",
        "renew_by": (TODAY() + dt.timedelta(days=90)).isoformat(),
        "created_at": offer["created_at"],
    }
    plain = post_json(
        logged_in_client(alfa, member=people.other),
        "/api/v1/offers/",
        {"cluster": garden.pk, "description": "x"},
    )
    assert plain.status_code == 403 and count_rows(alfa, Offer) == 1
    empty = post_json(vera, "/api/v1/offers/", {"cluster": garden.pk, "description": " "})
    assert empty.status_code == 400
    assert empty.json() == refusal("description", "required", "Beschrijf wat u aanbiedt.")

    listing = logged_in_client(alfa, member=people.other).get("/api/v1/offers/").json()
    assert [o["id"] for o in listing["results"]] == [offer["id"]]
    other_cluster = cluster_named(alfa, "Wandelen").pk
    filtered = logged_in_client(alfa, member=people.other).get(
        f"/api/v1/offers/?cluster={other_cluster}"
    )
    assert filtered.json()["count"] == 0

    victor = logged_in_client(alfa, member=people.victor)
    for action in ("renew", "withdraw"):
        response = post_json(victor, f"/api/v1/offers/{offer['id']}/{action}/")
        assert response.status_code == 403 and response.json() == FORBIDDEN
    with schema_context(alfa.schema):
        Offer.objects.update(status="expired", renew_by=TODAY() - dt.timedelta(days=1))
    renewed = post_json(vera, f"/api/v1/offers/{offer['id']}/renew/")
    assert renewed.status_code == 200 and renewed.json()["status"] == "active"
    assert renewed.json()["renew_by"] == (TODAY() + dt.timedelta(days=90)).isoformat()
    withdrawn = post_json(vera, f"/api/v1/offers/{offer['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    # Withdrawn offers are gone for everyone else.
    assert post_json(victor, f"/api/v1/offers/{offer['id']}/renew/").status_code == 404
    again = post_json(vera, f"/api/v1/offers/{offer['id']}/renew/")
    assert again.json() == refusal(None, "withdrawn", "Dit aanbod is ingetrokken.")


# --- board and settings ------------------------------------------------------------------------


def test_board_is_scoped_to_the_assistants_buurten(alfa, people):
    own = HelpRequestFactory(schema=alfa.schema, requester=people.rita, title="In Oudwijk")
    other = HelpRequestFactory(schema=alfa.schema, requester=people.lanen_member, title="In Lanen")
    with schema_context(alfa.schema):
        HelpRequest.objects.filter(pk=own.pk).update(
            created_at=timezone.now() - dt.timedelta(days=3)
        )
    coordinator = logged_in_client(alfa, member=people.coordinator).get("/api/v1/board/").json()
    assert [(r["id"], r["age_days"]) for r in coordinator["open_requests"]] == [
        (other.pk, 0),
        (own.pk, 3),
    ]
    assert coordinator["awaiting_confirmation"] == [] and coordinator["feedback_overdue"] == []
    assistant = logged_in_client(alfa, member=people.assistant).get("/api/v1/board/").json()
    assert [r["id"] for r in assistant["open_requests"]] == [own.pk]
    assert assistant["open_requests"][0]["response_count"] == 0
    refused = logged_in_client(alfa, member=people.vera).get("/api/v1/board/")
    assert refused.status_code == 403 and refused.json() == FORBIDDEN


def test_settings_digest_and_calendar_renewal(alfa, beta, people):
    client = logged_in_client(alfa, member=people.rita)
    first = client.get("/api/v1/settings/").json()
    with schema_context(alfa.schema):
        old = MemberSettings.objects.get(member=people.rita).calendar_token
    assert first == {
        "digest": "weekly",
        "share_phone": False,
        "share_email": False,
        "calendar_url": f"http://alfa.noaber.test/agenda/{old}.ics",
    }
    changed = client.patch("/api/v1/settings/", {"digest": "none"}, content_type=JSON)
    assert changed.status_code == 200 and changed.json()["digest"] == "none"
    bad = client.patch("/api/v1/settings/", {"digest": "hourly"}, content_type=JSON)
    assert bad.json() == refusal("digest", "invalid", "Kies dagelijks, wekelijks of geen.")
    renewed = post_json(client, "/api/v1/settings/renew-calendar/")
    with schema_context(alfa.schema):
        row = MemberSettings.objects.get(member=people.rita)
    assert row.calendar_token != old and row.digest == "none"
    assert (
        renewed.json()["calendar_url"] == f"http://alfa.noaber.test/agenda/{row.calendar_token}.ics"
    )
    feed = client_for(alfa.host)
    assert feed.get(f"/agenda/{old}.ics").status_code == 404
    assert feed.get(f"/agenda/{row.calendar_token}.ics").status_code == 200
    assert client_for(beta.host).get(f"/agenda/{row.calendar_token}.ics").status_code == 404


# --- isolation ---------------------------------------------------------------------------------


def test_another_cooperatives_ids_answer_404_and_change_nothing(alfa, beta, people):
    """Alfa has no requests, answers or offers in this test: every id below is beta's."""
    theirs = beta_request(beta)
    volunteer = MemberFactory(schema=beta.schema, name="Bob", roles=[Role.VOLUNTEER])
    with schema_context(beta.schema):
        answer = services.response_create(volunteer=volunteer, request=theirs)
        offer = services.offer_create(
            actor=volunteer, cluster=Cluster.objects.first(), description="Beta-aanbod"
        )
    coordinator = logged_in_client(alfa, member=people.coordinator)
    calls = [
        coordinator.get(f"/api/v1/requests/{theirs.pk}/"),
        post_json(coordinator, f"/api/v1/requests/{theirs.pk}/cancel/"),
        coordinator.get(f"/api/v1/requests/{theirs.pk}/responses/"),
        post_json(coordinator, f"/api/v1/requests/{theirs.pk}/responses/"),
        post_json(
            coordinator,
            f"/api/v1/responses/{answer.pk}/accept/",
            {"date": TODAY().isoformat(), "start_time": "10:00"},
        ),
        post_json(coordinator, f"/api/v1/offers/{offer.pk}/renew/"),
        post_json(coordinator, f"/api/v1/offers/{offer.pk}/withdraw/"),
    ]
    assert [c.status_code for c in calls] == [404] * len(calls)
    assert all(c.json() == NOT_FOUND for c in calls)
    with schema_context(beta.schema):
        theirs.refresh_from_db()
        offer.refresh_from_db()
        assert (theirs.status, offer.status) == ("open", "active")
        assert list(HelpResponse.objects.values_list("status", flat=True)) == ["waiting"]
        assert not Service.objects.exists()
    for model in (HelpRequest, HelpResponse, Offer, Service):
        assert count_rows(alfa, model) == 0


def test_api_needs_a_login(alfa, people):
    anonymous = client_for(alfa.host)
    for url in ("/api/v1/requests/", "/api/v1/offers/", "/api/v1/board/", "/api/v1/settings/"):
        response = anonymous.get(url)
        assert response.status_code == 403 and response.json()["type"] == "client_error"
    refused = post_json(anonymous, "/api/v1/requests/", {"title": "x"})
    assert refused.status_code == 403
    assert count_rows(alfa, HelpRequest) == 0


def test_paid_klus_on_alfa_through_the_api(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    requester, volunteer = service.requester, service.volunteer
    as_requester = logged_in_client(alfa, member=requester)
    as_volunteer = logged_in_client(alfa, member=volunteer)
    base = f"/api/v1/services/{service.pk}/"

    listed = as_volunteer.get("/api/v1/services/").json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert (row["id"], row["title"], row["cluster_name"], row["status"]) == (
        service.pk,
        "Kraan repareren",
        "Reparaties",
        "planned",
    )
    assert (row["street"], row["house_number"], row["postcode"]) == ("Ooststraat", "12", "3581AB")
    assert (row["compensation"], row["rates"]) == ("euros", {"euros": "4.50"})
    # hours only after the appointment; writing to each other from the match on
    assert row["actions"] == ["cancel", "message", "move"]

    early = post_json(as_volunteer, f"{base}register/", {"hours": 1.5})
    assert early.status_code == 400
    assert error_codes(early) == [(None, "too_early")]
    assert service_stored(alfa, service).status == Service.Status.PLANNED

    date_passed(alfa, service)
    registered = post_json(as_volunteer, f"{base}register/", {"hours": "1,5"})
    assert registered.status_code == 200, registered.content
    assert (registered.json()["status"], registered.json()["registered_hours"]) == (
        "registered",
        "1.5",
    )
    assert as_requester.get(base).json()["actions"] == ["confirm", "dispute", "message"]

    confirmed = post_json(as_requester, f"{base}confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "confirmed"
    owed = as_volunteer.get(f"{base}dues/").json()
    assert owed["count"] == 1
    due = owed["results"][0]
    assert {k: due[k] for k in ("kind", "amount", "cooperative_share", "payer", "payee")} == {
        "kind": "euros",
        "amount": "6.75",
        "cooperative_share": "0.00",
        "payer": requester.pk,
        "payee": volunteer.pk,
    }
    assert (due["status"], due["rulebook_version"]) == ("owed", 1)

    again = post_json(as_requester, f"{base}confirm/")
    assert again.status_code == 400
    assert error_codes(again) == [(None, "not_registered")]
    assert len(dues(alfa, service)) == 1

    feedback = post_json(as_requester, f"{base}feedback/", {"rating": 5, "comment": "Prima"})
    assert feedback.status_code == 200
    assert (feedback.json()["rating"], feedback.json()["feedback"]) == (5, "Prima")
    twice = post_json(as_requester, f"{base}feedback/", {"rating": 2, "comment": "toch niet"})
    assert twice.status_code == 400
    assert error_codes(twice) == [(None, "already_given")]
    assert (service_stored(alfa, service).rating, service_stored(alfa, service).feedback) == (
        5,
        "Prima",
    )


def test_points_on_beta_through_the_api(alfa, beta):
    service = ServiceFactory(
        schema=beta.schema, cluster="Zorg en aandacht voor elkaar", title="Samen koffie"
    )
    as_requester = logged_in_client(beta, member=service.requester)
    as_volunteer = logged_in_client(beta, member=service.volunteer)
    base = f"/api/v1/services/{service.pk}/"
    assert as_requester.get(base).json()["rates"] == {"points": "2.00"}
    date_passed(beta, service)
    assert post_json(as_volunteer, f"{base}register/", {"hours": "1.5"}).status_code == 200
    assert post_json(as_requester, f"{base}confirm/").status_code == 200
    rows = as_requester.get(f"{base}dues/").json()["results"]
    assert [(r["kind"], r["amount"], r["payer"], r["payee"]) for r in rows] == [
        ("points", "3.00", service.requester.pk, service.volunteer.pk)
    ]
    assert post_json(as_requester, f"{base}confirm/").status_code == 400
    assert [d[:2] for d in dues(beta, service)] == [("points", Decimal("3.00"))]


def test_hours_above_the_maximum_are_refused(alfa, beta):
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties")
    date_passed(alfa, service)
    response = post_json(
        logged_in_client(alfa, member=service.volunteer),
        f"/api/v1/services/{service.pk}/register/",
        {"hours": "2.5"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "attr": "hours",
                "code": "too_long",
                "detail": "Volgens de spelregels duurt een dienst hoogstens 2 uur.",
            }
        ],
    }
    assert (
        service_stored(alfa, service).status,
        service_stored(alfa, service).registered_hours,
    ) == (
        Service.Status.PLANNED,
        None,
    )


def test_move_and_cancel_tell_both_sides(alfa, beta, django_capture_on_commit_callbacks):
    service = ServiceFactory(schema=alfa.schema, cluster="Wandelen", title="Ommetje")
    as_volunteer = logged_in_client(alfa, member=service.volunteer)
    base = f"/api/v1/services/{service.pk}/"
    new_date = TODAY() + dt.timedelta(days=6)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = post_json(
            as_volunteer,
            f"{base}move/",
            {"date": new_date.isoformat(), "start_time": "09:15", "reason": "Regen"},
        )
    assert moved.status_code == 200
    assert (moved.json()["date"], moved.json()["start_time"]) == (new_date.isoformat(), "09:15:00")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [service.requester.email, service.volunteer.email]
    )

    past = post_json(
        as_volunteer,
        f"{base}move/",
        {
            "date": (TODAY() - dt.timedelta(days=1)).isoformat(),
            "start_time": "09:15",
            "reason": "x",
        },
    )
    assert past.status_code == 400 and error_codes(past) == [("date", "past")]
    assert service_stored(alfa, service).date == new_date

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = post_json(as_volunteer, f"{base}cancel/", {"reason": "Verhuisd"})
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "Verhuisd",
    )
    assert len(mail.outbox) == 2
    # The volunteer of a cancelled service no longer gets the exact address.
    assert as_volunteer.get(base).json()["street"] == ""
    as_requester = logged_in_client(alfa, member=service.requester)
    assert as_requester.get(base).json()["street"] == "Ooststraat"
    assert post_json(as_volunteer, f"{base}cancel/", {"reason": "nog eens"}).status_code == 400


def test_who_may_do_what_through_the_api(alfa, beta):
    oost = NeighbourhoodFactory(schema=alfa.schema, name="Oost", postcodes=["3581"])
    west = NeighbourhoodFactory(schema=alfa.schema, name="West", postcodes=["3512"])
    service = ServiceFactory(schema=alfa.schema, cluster="Reparaties", buurt=oost)
    date_passed(alfa, service)
    base = f"/api/v1/services/{service.pk}/"

    stranger = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema))
    assert stranger.get(base).status_code == 404
    assert stranger.get(f"{base}dues/").status_code == 404
    assert post_json(stranger, f"{base}register/", {"hours": 1}).status_code == 404
    assert stranger.get("/api/v1/services/").json()["count"] == 0
    assert stranger.get("/api/v1/services/?all=1").status_code == 403

    as_requester = logged_in_client(alfa, member=service.requester)
    refused = post_json(as_requester, f"{base}register/", {"hours": 1})
    assert refused.status_code == 403
    assert refused.json()["type"] == "client_error"
    assert service_stored(alfa, service).status == Service.Status.PLANNED

    as_volunteer = logged_in_client(alfa, member=service.volunteer)
    post_json(as_volunteer, f"{base}register/", {"hours": 1})
    assert post_json(as_volunteer, f"{base}confirm/").status_code == 403
    assert service_stored(alfa, service).status == Service.Status.REGISTERED

    west_assistant = logged_in_client(
        alfa,
        member=MemberFactory(schema=alfa.schema, roles=["neighbourhood_assistant"], assists=[west]),
    )
    assert west_assistant.get(base).status_code == 404
    assert post_json(west_assistant, f"{base}confirm/").status_code == 404
    assert west_assistant.get("/api/v1/services/?all=1").json()["count"] == 0
    assert dues(alfa, service) == []

    coordinator = MemberFactory(schema=alfa.schema, roles=["coordinator"])
    as_coordinator = logged_in_client(alfa, member=coordinator)
    assert [s["id"] for s in as_coordinator.get("/api/v1/services/?all=1").json()["results"]] == [
        service.pk
    ]
    assert as_coordinator.get(base).json()["actions"] == ["confirm", "dispute", "message"]
    assert post_json(as_coordinator, f"{base}confirm/").status_code == 200
    assert service_stored(alfa, service).confirmed_by_id == coordinator.pk
    assert [d[:2] for d in dues(alfa, service)] == [("euros", Decimal("4.50"))]

    anonymous = client_for(alfa.host)
    assert anonymous.get(base).status_code == 403


def test_a_service_of_another_cooperative_is_not_found_through_the_api(alfa, beta):
    service = ServiceFactory(schema=beta.schema, cluster="Administratie")
    date_passed(beta, service)
    with schema_context(alfa.schema):
        assert not Service.objects.filter(pk=service.pk).exists()
    coordinator = logged_in_client(
        alfa, member=MemberFactory(schema=alfa.schema, roles=["coordinator"])
    )
    base = f"/api/v1/services/{service.pk}/"
    assert coordinator.get(base).status_code == 404
    assert coordinator.get(f"{base}dues/").status_code == 404
    for action, data in (
        ("move", {"date": TODAY().isoformat(), "start_time": "09:00", "reason": "x"}),
        ("cancel", {"reason": "x"}),
        ("register", {"hours": 1}),
        ("confirm", {}),
        ("feedback", {"rating": 3}),
    ):
        response = post_json(coordinator, f"{base}{action}/", data)
        assert response.status_code == 404, action
        assert response.json()["type"] == "client_error"
    assert coordinator.get("/api/v1/services/?all=1").json()["count"] == 0
    after = service_stored(beta, service)
    assert (after.status, after.registered_hours, after.cancel_reason) == ("planned", None, "")
