"""The volunteer allowance (vrijwilligersvergoeding): the limits per year (seeded, set by the
board), the coordinators warned once at 80 % of the yearly limit, a volunteer at 100 % not
planned for another paid klus that year unless the board made an exception with a reason.

Alfa's limit for this year is set low (€ 10,00) so a few klussen of 1,5 hours at € 5,00
(€ 7,50 each) reach it; beta keeps the seeded limits, has klussen of its own and its
coordinator never hears about alfa's volunteers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import AllowanceOverride, AllowanceWarning, AllowanceYear, KlusPayment
from billing.klussen.services import allowance_warn, allowance_year_set
from cooperatives.marketplace import services
from cooperatives.marketplace.models import HelpRequest, HelpResponse, Service
from shared.audit.models import AuditEntry
from tests.clients import logged_in_client
from tests.factories import (
    HelpRequestFactory,
    MemberFactory,
    ServiceFactory,
    confirmed_klus,
    decided,
    decision_id,
    paid_rules,
)
from tests.pages import audit, body

TODAY = timezone.localdate


SUBJECT = "Vrijwilligersvergoeding"


def allowance_mails() -> list:
    return [m for m in mail.outbox if m.subject.startswith(SUBJECT)]


@pytest.fixture
def setting(alfa, beta):
    """Paid klussen in both; alfa's limit this year € 10,00 (€ 4,00 an hour), a coordinator
    with email in each, and a volunteer in each."""
    year = TODAY().year
    people = {}
    for coop, rate in ((alfa, "5,00"), (beta, "6,00")):
        cluster = paid_rules(coop, rate=rate)
        people[coop.schema] = {
            "cluster": cluster,
            "board": MemberFactory(schema=coop.schema, name="Bea Bestuur", roles=["board_chair"]),
            "coordinator": MemberFactory(
                schema=coop.schema, name="Cor Coördinator", roles=["coordinator"]
            ),
            "volunteer": MemberFactory(
                schema=coop.schema, name="Vera Vrijwilliger", roles=["volunteer"]
            ),
        }
    with schema_context(alfa.schema):
        allowance_year_set(
            actor=people[alfa.schema]["board"],
            year=year,
            per_hour="4,00",
            per_year="10,00",
            decision=decided("allowance"),
        )
    mail.outbox.clear()
    return people


def klus_for(coop, people, capture, **kwargs):
    with capture(execute=True):
        return confirmed_klus(
            coop,
            cluster=people[coop.schema]["cluster"],
            volunteer=people[coop.schema]["volunteer"],
            **kwargs,
        )


def open_request_with_answer(coop, people, title="Schilderij ophangen"):
    """A paid request answered by the cooperative's volunteer: (request, response)."""
    request = HelpRequestFactory(
        schema=coop.schema,
        requester=MemberFactory(schema=coop.schema, name="Henk Hulpvrager"),
        cluster=people[coop.schema]["cluster"],
        title=title,
        expected_hours="1",
        network_checked=True,
    )
    with schema_context(coop.schema):
        response = services.response_create(
            volunteer=people[coop.schema]["volunteer"], request=request
        )
    return request, response


# --- the limits --------------------------------------------------------------------------------


def test_every_cooperative_starts_with_the_limits_of_2024_to_2026(alfa, beta):
    for coop in (alfa, beta):
        with schema_context(coop.schema):
            rows = {
                y.year: (y.per_hour, y.per_year)
                for y in AllowanceYear.objects.filter(year__in=[2024, 2025, 2026])
            }
            assert rows == {
                2024: (Decimal("5.50"), Decimal("2100.00")),
                2025: (Decimal("5.60"), Decimal("2100.00")),
                2026: (Decimal("5.60"), Decimal("2100.00")),
            }


def test_the_board_sets_the_limits_per_year_on_the_page(alfa, beta):
    board = MemberFactory(schema=alfa.schema, name="Bea Bestuur", roles=["board_treasurer"])
    coordinator = MemberFactory(schema=alfa.schema, name="Cor Coördinator", roles=["coordinator"])
    as_board = logged_in_client(alfa, member=board)
    decisions = [str(decision_id(alfa, "allowance")) for _ in range(2)]

    for bad in ("5,755", "nul", "-1", "0"):
        response = as_board.post(
            "/klussen/vrijwilligersvergoeding/grenzen/",
            {"year": "2027", "per_hour": bad, "per_year": "2100"},
        )
        assert response.status_code == 400
        assert "Vul een bedrag" in body(response)
    with schema_context(alfa.schema):
        assert not AllowanceYear.objects.filter(year=2027).exists()

    # "2.200" is how the Dutch write two thousand two hundred.
    response = as_board.post(
        "/klussen/vrijwilligersvergoeding/grenzen/",
        {"year": "2027", "per_hour": "5,75", "per_year": "2.200", "decision": decisions[0]},
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        row = AllowanceYear.objects.get(year=2027)
        assert (row.per_hour, row.per_year) == (Decimal("5.75"), Decimal("2200.00"))
        entry = AuditEntry.objects.get(action="allowance.configure")
        assert entry.actor_id == board.pk
        assert entry.changes == {"per_hour": [None, "5.75"], "per_year": [None, "2200.00"]}
        # Correcting a seeded year.
    as_board.post(
        "/klussen/vrijwilligersvergoeding/grenzen/",
        {"year": "2026", "per_hour": "5,70", "per_year": "2100", "decision": decisions[1]},
    )
    with schema_context(alfa.schema):
        assert AllowanceYear.objects.get(year=2026).per_hour == Decimal("5.70")
    with schema_context(beta.schema):
        assert not AllowanceYear.objects.filter(year=2027).exists()
        assert AllowanceYear.objects.get(year=2026).per_hour == Decimal("5.60")

    page = body(as_board.get("/klussen/vrijwilligersvergoeding/?jaar=2027"))
    assert "€ 5,75 per uur en € 2200,00 per jaar" in page

    # A coordinator may look, but not set them.
    as_coordinator = logged_in_client(alfa, member=coordinator)
    assert as_coordinator.get("/klussen/vrijwilligersvergoeding/").status_code == 200
    refused = as_coordinator.post(
        "/klussen/vrijwilligersvergoeding/grenzen/",
        {"year": "2027", "per_hour": "1", "per_year": "1"},
    )
    assert refused.status_code == 403
    with schema_context(alfa.schema):
        assert AllowanceYear.objects.get(year=2027).per_hour == Decimal("5.75")
    # A plain member does not see the allowance page at all.
    member = MemberFactory(schema=alfa.schema, name="Lid Zonder Rol")
    assert (
        logged_in_client(alfa, member=member).get("/klussen/vrijwilligersvergoeding/").status_code
        == 403
    )


# --- warnings ----------------------------------------------------------------------------------


def test_the_coordinators_are_warned_once_at_80_and_once_at_100_percent(
    setting, alfa, beta, django_capture_on_commit_callbacks
):
    people = setting
    coordinator = people[alfa.schema]["coordinator"]
    volunteer = people[alfa.schema]["volunteer"]
    year = TODAY().year

    klus_for(alfa, people, django_capture_on_commit_callbacks)  # € 7,50: 75 %
    assert allowance_mails() == []

    # 1 hour more: € 12,50 in all = 125 %, past both levels: one mail, both levels recorded.
    klus_for(alfa, people, django_capture_on_commit_callbacks, hours="1")
    [warning] = allowance_mails()
    assert warning.to == [coordinator.email]
    assert "heeft de grens voor" in warning.subject
    assert "Vera Vrijwilliger" in warning.body
    assert "€ 12,50" in warning.body and "€ 10,00" in warning.body
    with schema_context(alfa.schema):
        assert sorted(
            AllowanceWarning.objects.filter(volunteer=volunteer, year=year).values_list(
                "level", flat=True
            )
        ) == [80, 100]

    # Recording again, warning again: nothing new, no second mail.
    with django_capture_on_commit_callbacks(execute=True), schema_context(alfa.schema):
        assert allowance_warn(volunteer=volunteer, year=year) == []
    assert len(allowance_mails()) == 1

    # Beta's volunteer and coordinator: far below beta's limit, nothing.
    klus_for(beta, people, django_capture_on_commit_callbacks)
    assert len(allowance_mails()) == 1
    with schema_context(beta.schema):
        assert not AllowanceWarning.objects.exists()


def test_the_80_percent_warning_alone(setting, alfa, beta, django_capture_on_commit_callbacks):
    people = setting
    klus_for(alfa, people, django_capture_on_commit_callbacks, hours="1,6")  # € 8,00: 80 %
    [warning] = allowance_mails()
    assert "zit op 80% van de grens" in warning.subject
    with schema_context(alfa.schema):
        assert list(AllowanceWarning.objects.values_list("level", flat=True)) == [80]
        assert AuditEntry.objects.filter(action="allowance.warning_mailed").count() == 1


# --- blocked at 100 % --------------------------------------------------------------------------


def test_at_the_limit_the_volunteer_is_not_planned_for_another_paid_klus(
    setting, alfa, beta, django_capture_on_commit_callbacks
):
    people = setting
    klus_for(alfa, people, django_capture_on_commit_callbacks, hours="2")  # € 10,00: 100 %
    request, response = open_request_with_answer(alfa, people)
    with schema_context(alfa.schema):
        services_before = Service.objects.count()

    refused = logged_in_client(alfa, member=request.requester).post(
        f"/api/v1/responses/{response.pk}/accept/",
        {"date": TODAY().isoformat(), "start_time": "10:00"},
        content_type="application/json",
    )

    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert error["code"] == "allowance_limit_reached"
    assert error["detail"].startswith(
        f"Vera Vrijwilliger heeft in {TODAY().year} al € 10,00 aan vrijwilligersvergoeding"
    )
    assert "vraag het bestuur om een uitzondering" in error["detail"]
    with schema_context(alfa.schema):
        assert Service.objects.count() == services_before
        assert HelpRequest.objects.get(pk=request.pk).status == HelpRequest.Status.OPEN
        assert HelpResponse.objects.get(pk=response.pk).status == HelpResponse.Status.WAITING

    # A free service is not a klus: that can still be planned.
    walk = ServiceFactory(
        schema=alfa.schema,
        cluster="Wandelen",
        title="Wandeling",
        volunteer=people[alfa.schema]["volunteer"],
    )
    assert walk.compensation == "free"

    # Beta's volunteer is not affected by alfa's limit.
    beta_request, beta_response = open_request_with_answer(beta, people)
    with schema_context(beta.schema):
        services.response_accept(
            actor=beta_request.requester,
            response=beta_response,
            date=TODAY(),
            start_time=dt.time(10),
        )


def test_the_boards_exception_with_a_reason_lets_the_volunteer_through(
    setting, alfa, beta, django_capture_on_commit_callbacks
):
    people = setting
    klus_for(alfa, people, django_capture_on_commit_callbacks, hours="2")  # 100 %
    volunteer = people[alfa.schema]["volunteer"]
    request, response = open_request_with_answer(alfa, people)
    as_board = logged_in_client(alfa, member=people[alfa.schema]["board"])
    year = TODAY().year

    page = body(as_board.get("/klussen/vrijwilligersvergoeding/"))
    assert "Vera Vrijwilliger" in page and "100%" in page
    assert "Grens bereikt: geen betaalde klussen meer dit jaar" in page
    # The rules' € 5,00 an hour is above this year's € 4,00 limit per hour: a warning.
    assert "Let op: het tarief in de spelregels (€ 5,00 per uur) is hoger dan de grens" in page
    assert "1 klus met een tarief boven de grens per uur" in page
    found = audit(page)
    assert found.html_lang == "nl" and found.has_skip_link
    assert found.inputs and all(field.get("id") in found.label_for for field in found.inputs)

    # Without a reason: refused, nothing recorded.
    no_reason = as_board.post(
        "/klussen/vrijwilligersvergoeding/uitzondering/",
        {"volunteer": volunteer.pk, "year": year, "reason": "  "},
    )
    assert no_reason.status_code == 400
    # A coordinator may not make the exception.
    coordinator = logged_in_client(alfa, member=people[alfa.schema]["coordinator"])
    assert (
        coordinator.post(
            "/klussen/vrijwilligersvergoeding/uitzondering/",
            {"volunteer": volunteer.pk, "year": year, "reason": "Graag"},
        ).status_code
        == 403
    )
    with schema_context(alfa.schema):
        assert not AllowanceOverride.objects.exists()
        with pytest.raises(ValidationError):
            services.response_accept(
                actor=request.requester, response=response, date=TODAY(), start_time=dt.time(10)
            )

    made = as_board.post(
        "/klussen/vrijwilligersvergoeding/uitzondering/",
        {
            "volunteer": volunteer.pk,
            "year": year,
            "reason": "Enige klusser in de buurt; vergoeding boven de grens wordt belast.",
        },
    )
    assert made.status_code == 302
    with schema_context(alfa.schema):
        override = AllowanceOverride.objects.get()
        assert (override.volunteer_id, override.year, override.decided_by_id) == (
            volunteer.pk,
            year,
            people[alfa.schema]["board"].pk,
        )
        entry = AuditEntry.objects.get(action="allowance.override")
        assert entry.actor_id == people[alfa.schema]["board"].pk
        assert "Enige klusser" not in str(entry.changes) + entry.summary
        service = services.response_accept(
            actor=request.requester, response=response, date=TODAY(), start_time=dt.time(10)
        )
        assert service.volunteer_id == volunteer.pk
    page = body(as_board.get("/klussen/vrijwilligersvergoeding/"))
    assert "uitzondering door Bea Bestuur" in page
    with schema_context(beta.schema):
        assert not AllowanceOverride.objects.exists()


def test_open_klussen_count_towards_the_year_and_cancelled_ones_do_not(
    setting, alfa, beta, django_capture_on_commit_callbacks
):
    from billing.klussen.selectors import volunteer_year_total

    people = setting
    klus_for(alfa, people, django_capture_on_commit_callbacks)
    _, second = klus_for(alfa, people, django_capture_on_commit_callbacks, hours="1")
    volunteer = people[alfa.schema]["volunteer"]
    with schema_context(alfa.schema):
        assert volunteer_year_total(volunteer=volunteer, year=TODAY().year) == Decimal("12.50")
        KlusPayment.objects.filter(pk=second.pk).update(status="cancelled")
        assert volunteer_year_total(volunteer=volunteer, year=TODAY().year) == Decimal("7.50")
        assert volunteer_year_total(volunteer=volunteer, year=TODAY().year - 1) == Decimal("0")
    with schema_context(beta.schema):
        assert volunteer_year_total(volunteer=volunteer, year=TODAY().year) == Decimal("0")


def weekly_paid_klus(coop, people, capture, *, hours: str):
    """A weekly paid request by a new requester, done by the cooperative's volunteer today,
    its hours registered and confirmed: returns the request."""
    requester = MemberFactory(schema=coop.schema, name="Wim Wekelijks")
    request = HelpRequestFactory(
        schema=coop.schema,
        requester=requester,
        cluster=people[coop.schema]["cluster"],
        title="Tuin bijhouden",
        expected_hours="2",
        repeats_weekly=True,
        network_checked=True,
    )
    with schema_context(coop.schema):
        response = services.response_create(
            volunteer=people[coop.schema]["volunteer"], request=request
        )
        with capture(execute=True):
            service = services.response_accept(
                actor=requester, response=response, date=TODAY(), start_time=dt.time(10)
            )
            services.service_register_hours(actor=service.volunteer, service=service, hours=hours)
            services.service_confirm(actor=requester, service=service)
        return HelpRequest.objects.get(pk=request.pk)


def test_a_weekly_klus_is_not_planned_again_once_the_volunteer_reached_the_limit(
    setting, alfa, beta, django_capture_on_commit_callbacks
):
    people = setting
    with schema_context(alfa.schema):
        # Next week may fall in the next year (late December): the same low limit there.
        allowance_year_set(
            actor=people[alfa.schema]["board"],
            year=TODAY().year + 1,
            per_hour="4,00",
            per_year="10,00",
            decision=decided("allowance"),
        )
    mail.outbox.clear()

    request = weekly_paid_klus(alfa, people, django_capture_on_commit_callbacks, hours="2")

    with schema_context(alfa.schema):
        # € 10,00 reached: no service next week; the request is open for someone else.
        assert request.status == HelpRequest.Status.OPEN
        assert list(request.services.values_list("status", flat=True)) == ["confirmed"]
    told = [
        m for m in mail.outbox if m.subject == "Volgende week zoeken we een andere vrijwilliger"
    ]
    assert len(told) == 2
    assert "Vera Vrijwilliger heeft de grens" in told[0].body

    # Beta's volunteer, far below beta's limits, simply gets next week planned.
    beta_request = weekly_paid_klus(beta, people, django_capture_on_commit_callbacks, hours="2")
    with schema_context(beta.schema):
        assert beta_request.status == HelpRequest.Status.MATCHED
        planned = beta_request.services.filter(status="planned").get()
        assert planned.date == TODAY() + dt.timedelta(days=7)
