"""The cells a cooperative computes for its networks: the same numbers as its own pages (the
annual report, the points ledger, the monthly statement of klussen), only about its own
schema, and never a member's name, address or words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.statements.selectors import statement_month
from cooperatives.annual_report import figures as annual
from cooperatives.figures import registry
from cooperatives.figures.cells import Cell
from cooperatives.figures.selectors import figures_compute, months_back
from cooperatives.marketplace.models import HelpRequest
from cooperatives.members.models import Member
from cooperatives.points import selectors as points
from tests.factories import (
    TODAY,
    MemberFactory,
    ServiceFactory,
    confirmed_klus,
    paid_rules,
    services_given,
)


def this_month() -> dt.date:
    return TODAY().replace(day=1)


def cells_of(coop, groups, months=None) -> dict[tuple[str, str, str], Cell]:
    with schema_context(coop.schema):
        found = figures_compute(groups=groups, months=months or [this_month()])
    return {(c.group, c.metric, c.dimension): c for c in found}


def test_services_hours_and_feedback_equal_the_annual_reports_count(alfa, beta):
    services_given(alfa, 6, cluster="Wandelen", rating=4)
    services_given(alfa, 2, cluster="Boodschappen", rating=2)
    services_given(beta, 3, cluster="Administratie")  # another cooperative: never counted in alfa's
    cells = cells_of(alfa, ["help", "feedback"])
    with schema_context(alfa.schema):
        services = annual.services(TODAY().year)
        feedback = annual.feedback(TODAY().year)
        nearby = annual.nearby(TODAY().year)
    assert cells[("help", "services", "")].value == services["count"] == 8
    by_cluster = {row["name"]: row for row in services["by_cluster"]}
    assert cells[("help", "services", "Wandelen")].value == by_cluster["Wandelen"]["services"]
    assert cells[("help", "services", "Boodschappen")].count == 2
    assert cells[("help", "hours", "")].value == services["hours"] == Decimal("12.0")
    assert cells[("help", "hours", "Wandelen")].value == by_cluster["Wandelen"]["hours"]
    assert cells[("help", "requests", "")].value == 8
    assert cells[("feedback", "ratings", "")].value == feedback["count"] == 8
    assert cells[("feedback", "average_rating", "")].value == feedback["average"]
    assert cells[("help", "same_street_share", "")].value == (
        nearby["same_street_percent"] or Decimal(0)
    )
    assert cells[("help", "same_buurt_share", "")].value == (
        nearby["same_buurt_percent"] or Decimal(0)
    )
    # Beta's own figures hold only its own three services.
    assert cells_of(beta, ["help"])[("help", "services", "")].value == 3


def test_members_equal_the_annual_reports_count(alfa, beta):
    MemberFactory(schema=alfa.schema, name="Nieuw Bewoner")
    MemberFactory(schema=alfa.schema, name="Buurthuis", kind=Member.Kind.ORGANISATION)
    gone = MemberFactory(schema=alfa.schema, name="Vertrokken Lid")
    with schema_context(alfa.schema):
        Member.objects.filter(pk=gone.pk).update(status=Member.Status.LEFT, left_at=timezone.now())
    MemberFactory(schema=beta.schema, name="Bewoner Beta")
    year = TODAY().year
    months = [m for m in months_back() if m.year == year]
    with schema_context(alfa.schema):
        report = annual.members(year)
        found = figures_compute(groups=["members"], months=months)
    now = {(c.metric, c.dimension): c for c in found if c.month == this_month()}
    # At the end of this month is now: the report's year end is now too (nothing is later).
    assert now[("members", "")].value == report["at_year_end"]
    assert now[("members", "resident")].value == report["by_kind"]["resident"]
    assert now[("members", "organisation")].value == report["by_kind"]["organisation"] == 1
    assert sum(c.value for c in found if c.metric == "joined") == report["joined"]
    assert sum(c.value for c in found if c.metric == "left") == report["left"] == 1


def test_points_in_circulation_equal_the_ledgers_overview(beta):
    for i in range(6):
        MemberFactory(schema=beta.schema, name=f"Spaarder {i}", points=10)
    cells = cells_of(beta, ["points"])
    with schema_context(beta.schema):
        overview = points.circulation()
    cell = cells[("points", "in_circulation", "")]
    assert cell.value == overview["in_circulation"] == Decimal("60")
    assert cell.count == 6
    # Before the first posting nothing was in circulation.
    with schema_context(beta.schema):
        (before,) = figures_compute(groups=["points"], months=[dt.date(2000, 1, 1)])
    assert before.value == 0 and before.count == 0


def test_klussen_equal_the_monthly_statement(alfa, beta):
    cluster = paid_rules(alfa, rate="5,00")
    for _ in range(3):
        confirmed_klus(alfa, cluster=cluster, hours="2")
    beta_cluster = paid_rules(beta, rate="6,00")
    confirmed_klus(beta, cluster=beta_cluster)
    cells = cells_of(alfa, ["klussen"])
    with schema_context(alfa.schema):
        totals = statement_month(year=TODAY().year, month=TODAY().month).totals
    assert cells[("klussen", "klussen", "")].value == totals.klussen == 3
    assert cells[("klussen", "euros", "")].value == totals.charged == Decimal("30.00")
    assert cells[("klussen", "hours", "")].value == totals.hours == Decimal("6.00")
    # 1,5 hours at € 6,00 in beta.
    assert cells_of(beta, ["klussen"])[("klussen", "euros", "")].value == Decimal("9.00")


def test_days_to_match_and_repeat_help(alfa):
    services = services_given(alfa, 5, cluster="Wandelen")
    with schema_context(alfa.schema):
        # Asked 2, 4, 6, 8 and 10 days before the match (the service was made): median 6.
        for days, service in zip((2, 4, 6, 8, 10), services, strict=True):
            HelpRequest.objects.filter(pk=service.request_id).update(
                created_at=service.created_at - dt.timedelta(days=days)
            )
    # Two of the five are helped a second time this month.
    for service in services[:2]:
        ServiceFactory(
            schema=alfa.schema,
            cluster="Boodschappen",
            requester=service.requester,
            date=TODAY(),
            state="confirmed",
        )
    cells = cells_of(alfa, ["help"])
    assert cells[("help", "members_helped", "")].value == 5
    assert cells[("help", "repeat_help", "")].value == 2
    # Seven matches: the five above (2..10 days) and two made at once (0 days).
    assert cells[("help", "median_days_to_match", "")].count == 7
    assert cells[("help", "median_days_to_match", "")].value == Decimal("4.0")


def test_no_cell_holds_a_members_name_address_or_words(alfa):
    services = services_given(alfa, 5, cluster="Wandelen", rating=5)
    cells = cells_of(alfa, ["members", "help", "feedback", "points", "klussen", "wellbeing"])
    with schema_context(alfa.schema):
        personal = set()
        for member in Member.objects.all():
            personal |= {member.name, member.email, member.street, member.postcode}
        for service in services:
            personal |= {service.request.title, service.request.description, service.feedback}
    personal -= {""}
    dimensions = {dimension for (_g, _m, dimension) in cells}
    assert dimensions <= {"", "resident", "organisation", "Wandelen"}
    for text in personal:
        assert all(text not in d for d in dimensions if d)


def test_a_group_without_a_computer_gives_no_cells_and_a_registered_one_is_used(alfa, monkeypatch):
    assert cells_of(alfa, ["wellbeing"]) == {}
    monkeypatch.setattr(registry, "_computers", dict(registry._computers))

    def wellbeing(*, month):
        return [
            Cell(month, "wellbeing", "answers", Decimal(7), 7),
            # A computer answers for its own group only: another group's cell is dropped.
            Cell(month, "members", "joined", Decimal(99), 99),
        ]

    registry.figure_group_register("wellbeing", wellbeing)
    assert list(cells_of(alfa, ["wellbeing"])) == [("wellbeing", "answers", "")]
    # An unknown key is no group.
    assert cells_of(alfa, ["unknown"]) == {}


@pytest.mark.parametrize("today", [dt.date(2026, 1, 15), dt.date(2026, 12, 31)])
def test_thirteen_months_end_with_the_current_one(today):
    months = months_back(today=today)
    assert len(months) == 13
    assert months[-1] == today.replace(day=1)
    assert months[0] == dt.date(today.year - 1, today.month, 1)
