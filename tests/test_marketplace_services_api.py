"""The service lifecycle through the API (/api/v1/services/…): the same people see a service
as on the pages (others 404), refusals come back as structured errors with the services'
codes, and what a confirmed service owes is listed under /dues/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import Service
from tests.clients import client_for, error_codes, logged_in_client, post_json
from tests.factories import MemberFactory, NeighbourhoodFactory, ServiceFactory, date_passed
from tests.state import dues, service_stored

TODAY = timezone.localdate


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
    assert row["actions"] == ["cancel", "move"]  # hours only after the appointment

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
    assert as_requester.get(base).json()["actions"] == ["confirm"]

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
    assert as_coordinator.get(base).json()["actions"] == ["confirm"]
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
