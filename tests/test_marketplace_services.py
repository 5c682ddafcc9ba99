"""The service lifecycle on the pages: plan, move, cancel, register hours, confirm (which
records what the service owes under its own rulebook version) and feedback, on `alfa` (Oost:
free services and paid klussen at € 4,50 an hour) and `beta` (WIJ: 2 points an hour).

A service exists only for its requester, its volunteer and whoever looks after the requester;
everyone else, and every other cooperative, gets a 404 and changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import HelpRequest, Service
from cooperatives.rules.models import Rulebook
from cooperatives.rules.services import rulebook_revise
from tests.clients import logged_in_client
from tests.factories import MemberFactory, NeighbourhoodFactory, ServiceFactory, date_passed
from tests.pages import audit, body
from tests.state import dues, service_stored

TODAY = timezone.localdate


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
            adopted_by="ALV test",
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
