"""The annual report's services and figures: the points equal the ledger's overview, the
klussen in euros equal the monthly statements' sums, the kascommissie records its findings,
and the ALV's decisions approve the report, after which neither the service nor the database
lets it change. The other cooperative is never touched."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from billing.statements.selectors import statement_month
from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.sections import report_figures_compute
from cooperatives.annual_report.selectors import report_figures
from cooperatives.annual_report.services import (
    report_approve,
    report_create,
    report_review,
    report_texts_save,
)
from cooperatives.governance.models import Decision
from cooperatives.points import selectors as ledger
from cooperatives.points.services import year_end_snapshot_take
from tests.clients import logged_in_client
from tests.factories import KlusPaymentFactory, MemberFactory, amsterdam

TODAY = timezone.localdate


def _decimals(section: dict) -> dict:
    return {k: Decimal(v) for k, v in section.items() if k != "balanced"}


def test_points_figures_equal_the_ledgers_overview(alfa, beta, cast):
    """This year's report says what the ledger's overview (page and API) says now."""
    for coop in (alfa, beta):
        MemberFactory(schema=coop.schema, name="Piet Punten", points=12)
        MemberFactory(schema=coop.schema, name="Nel Negatief", points="-3.50")
    MemberFactory(schema=beta.schema, name="Extra Beta", points=15)
    year = TODAY().year
    overview = {
        coop.schema: logged_in_client(coop).get("/api/v1/points/overview/").json()
        for coop in (alfa, beta)
    }
    for coop in (alfa, beta):
        with schema_context(coop.schema):
            report = report_create(actor=None, year=year)
            points = report_figures(report=report)["points"]["data"]
            solidarity = report_figures(report=report)["solidarity"]["data"]
        seen = overview[coop.schema]
        for key in ("issued", "in_circulation", "positive", "negative", "share"):
            assert Decimal(points[key]) == Decimal(seen[key]), key
        assert points["balanced"] is seen["balanced"] is True
        assert Decimal(solidarity["balance"]) == Decimal(seen["solidarity"])
    assert Decimal(overview[alfa.schema]["issued"]) != Decimal(overview[beta.schema]["issued"])


def test_an_ended_years_points_are_those_at_its_end(alfa, beta, cast, last_year):
    """Points booked after the year ended do not change its report: it reads the year-end
    snapshot the ledger keeps, equal to the overview's snapshot total."""
    MemberFactory(schema=alfa.schema, name="Piet Punten", points=12)
    with schema_context(alfa.schema):
        year_end_snapshot_take(year=last_year)
        figures = report_figures_compute(year=last_year)["points"]["data"]
        assert _decimals(figures) == {
            k: Decimal(v)
            for k, v in ledger.circulation(year=last_year).items()
            if k in figures and k != "balanced"
        } | {
            "issued_during_year": Decimal("0"),
            "paid_for_services": Decimal("0"),
        }
        # Today's 12 points are not in last year's circulation.
        assert Decimal(figures["in_circulation"]) == sum(
            (s.balance for s in ledger.snapshots(year=last_year) if s.account.kind != "issuance"),
            Decimal("0"),
        )
        assert Decimal(figures["issued"]) == Decimal("0")
        assert ledger.circulation()["issued"] >= Decimal("12")


def test_klussen_in_euros_equal_the_monthly_statements_sums(alfa, beta, cast, last_year):
    P, M = KlusPayment.Status, KlusPayment.Method
    vera = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=["volunteer"])
    rita = MemberFactory(schema=alfa.schema, name="Rita Hulpvrager")
    bram = MemberFactory(schema=beta.schema, name="Bram", roles=["volunteer"])
    bets = MemberFactory(schema=beta.schema, name="Bets")
    in_alfa = partial(KlusPaymentFactory, schema=alfa.schema, volunteer=vera, requester=rita)
    in_alfa(
        performed_on=dt.date(last_year, 1, 1),
        hours="2",
        share="0.90",
        status=P.PAID,
        method=M.CASH,
        paid_at=amsterdam(last_year, 1, 5),
    )
    in_alfa(
        performed_on=dt.date(last_year, 6, 30),
        hours="1.5",
        share="0.68",
        status=P.PAID,
        method=M.ONLINE,
        fee="0.14",
        paid_at=amsterdam(last_year, 7, 2),
    )
    in_alfa(performed_on=dt.date(last_year, 12, 31), hours="1", share="0.45")
    in_alfa(performed_on=dt.date(last_year, 11, 14), hours="1", share="0.45", status=P.CANCELLED)
    # Outside the year: not counted.
    in_alfa(performed_on=dt.date(last_year - 1, 12, 31), hours="3", share="1.35")
    in_alfa(performed_on=dt.date(last_year + 1, 1, 1), hours="4", share="1.80")
    KlusPaymentFactory(
        schema=beta.schema,
        volunteer=bram,
        requester=bets,
        performed_on=dt.date(last_year, 3, 3),
        hours="10",
        share="0",
    )

    with schema_context(alfa.schema):
        report = report_create(actor=cast.alfa.board, year=last_year)
        klussen = report_figures(report=report)["klussen"]["data"]
        months = [statement_month(year=last_year, month=m).totals for m in range(1, 13)]
    summed = {
        field: sum((getattr(t, field) for t in months), Decimal("0"))
        for field in (
            "hours",
            "charged",
            "cooperative_shares",
            "volunteer_amounts",
            "platform_fees",
            "paid_cash",
            "paid_online",
            "owed",
        )
    }
    assert {k: Decimal(v) for k, v in klussen.items() if k != "klussen"} == summed
    assert klussen["klussen"] == sum(t.klussen for t in months) == 3
    assert Decimal(klussen["charged"]) == Decimal("20.25")  # 4,5 hours at € 4,50
    with schema_context(beta.schema):
        assert not AnnualReport.objects.exists()
        beta_klussen = report_figures_compute(year=last_year)["klussen"]["data"]
    assert Decimal(beta_klussen["charged"]) == Decimal("45.00")


def test_members_services_and_feedback_of_the_year(alfa, beta, cast):
    """Members at year end by kind; the confirmed services by cluster; feedback."""
    year = TODAY().year
    MemberFactory(schema=alfa.schema, name="Buurthuis", kind="organisation")
    with schema_context(alfa.schema):
        before = report_figures_compute(year=year)
    members = before["members"]["data"]
    assert members["by_kind"]["organisation"] == 1
    assert members["at_year_end"] == members["by_kind"]["resident"] + 1
    assert members["joined"] == members["at_year_end"]  # everyone here joined this year
    assert before["services"]["data"]["count"] == 0
    assert before["feedback"]["data"]["average"] is None
    with schema_context(beta.schema):
        assert report_figures_compute(year=year)["members"]["data"]["by_kind"]["organisation"] == 0


def _reviewed(coop, people, year: int) -> AnnualReport:
    with schema_context(coop.schema):
        report = report_create(actor=people.board, year=year)
        report_texts_save(
            actor=people.board,
            report=report,
            foreword="Wat een jaar.",
            activities="Koffie in het buurthuis.",
            outlook="Meer buren.",
        )
        return report_review(
            actor=people.audit,
            report=report,
            findings="De boeken kloppen.",
            recommends_discharge=True,
        )


def test_the_kascommissie_records_its_findings(alfa, beta, cast, last_year):
    report = _reviewed(alfa, cast.alfa, last_year)
    assert report.status == AnnualReport.Status.REVIEWED
    assert report.audit_findings == "De boeken kloppen."
    assert report.audit_recommends_discharge is True
    assert report.audit_reviewed_by_id == cast.alfa.audit.pk
    assert report.audit_reviewed_on == TODAY()
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        report_review(
            actor=cast.alfa.audit, report=report, findings="  ", recommends_discharge=False
        )
    assert refused.value.error_dict["findings"][0].code == "required"
    with schema_context(alfa.schema):
        assert AnnualReport.objects.get().audit_findings == "De boeken kloppen."
    with schema_context(beta.schema):
        assert not AnnualReport.objects.exists()


def test_the_alv_approves_only_after_the_kascommissie(alfa, beta, cast, last_year):
    with schema_context(alfa.schema):
        report = report_create(actor=cast.alfa.board, year=last_year)
        with pytest.raises(ValidationError) as refused:
            report_approve(
                actor=cast.alfa.secretary,
                report=report,
                decided_on=TODAY(),
                votes_for=10,
                votes_against=1,
                discharge_for=10,
                discharge_against=0,
            )
        assert refused.value.error_dict["decided_on"][0].code == "not_reviewed"
        assert not Decision.objects.exists()
        assert AnnualReport.objects.get().status == AnnualReport.Status.DRAFT


def test_approval_by_the_alv_freezes_the_report(alfa, beta, cast, last_year):
    report = _reviewed(alfa, cast.alfa, last_year)
    _reviewed(beta, cast.beta, last_year)
    with schema_context(alfa.schema):
        report = report_approve(
            actor=cast.alfa.secretary,
            report=report,
            decided_on=TODAY(),
            votes_for=12,
            votes_against=1,
            votes_abstain=2,
            discharge_for=11,
            discharge_against=2,
        )
        assert report.status == AnnualReport.Status.APPROVED
        approval, discharge = report.approved_by, report.discharge
        assert (approval.kind, approval.body.kind, approval.adopted) == (
            "annual_report",
            "alv",
            True,
        )
        assert (discharge.kind, discharge.body.kind, discharge.adopted) == (
            "discharge",
            "alv",
            True,
        )
        assert (approval.votes_for, approval.votes_against, approval.votes_abstain) == (12, 1, 2)
        # The figures are stored: a member joining later does not change them.
        stored = AnnualReport.objects.get().figures
        assert stored["members"]["title"] == "Leden"
        assert stored == report_figures(report=report)

        # The service refuses every change.
        for attempt in (
            lambda: report_texts_save(
                actor=cast.alfa.board, report=report, foreword="Anders", activities="", outlook=""
            ),
            lambda: report_review(
                actor=cast.alfa.audit,
                report=report,
                findings="Toch niet",
                recommends_discharge=False,
            ),
            lambda: report_approve(
                actor=cast.alfa.secretary,
                report=report,
                decided_on=TODAY(),
                votes_for=1,
                votes_against=0,
                discharge_for=1,
                discharge_against=0,
            ),
        ):
            with pytest.raises(ValidationError) as refused:
                attempt()
            assert refused.value.code == "report_approved"
        assert Decision.objects.count() == 2

        # And so does the database, past the service.
        with pytest.raises(DatabaseError), transaction.atomic():
            AnnualReport.objects.filter(pk=report.pk).update(foreword="Stiekem")
        with pytest.raises(DatabaseError), transaction.atomic():
            AnnualReport.objects.filter(pk=report.pk).delete()
        assert AnnualReport.objects.get().foreword == "Wat een jaar."

    with schema_context(beta.schema):
        other = AnnualReport.objects.get()
        assert other.status == AnnualReport.Status.REVIEWED and other.figures == {}
        assert not Decision.objects.exists()
        AnnualReport.objects.filter(pk=other.pk).update(foreword="Een draft verandert nog")


def test_a_rejected_report_stays_a_draft_with_its_decision(alfa, beta, cast, last_year):
    report = _reviewed(alfa, cast.alfa, last_year)
    with schema_context(alfa.schema):
        report = report_approve(
            actor=cast.alfa.secretary,
            report=report,
            decided_on=TODAY(),
            votes_for=3,
            votes_against=9,
            discharge_for=3,
            discharge_against=9,
        )
        assert report.status == AnnualReport.Status.REVIEWED and report.approved_by is None
        rejected = Decision.objects.get()
        assert (rejected.kind, rejected.adopted) == ("annual_report", False)
        report_texts_save(
            actor=cast.alfa.board,
            report=report,
            foreword="Beter uitgelegd",
            activities="",
            outlook="",
        )


def test_a_report_is_approved_after_its_year_and_once_per_year(alfa, beta, cast, last_year):
    with schema_context(alfa.schema):
        current = report_create(actor=cast.alfa.board, year=TODAY().year)
        report_review(
            actor=cast.alfa.audit, report=current, findings="Goed", recommends_discharge=True
        )
        with pytest.raises(ValidationError) as refused:
            report_approve(
                actor=cast.alfa.secretary,
                report=current,
                decided_on=TODAY(),
                votes_for=5,
                votes_against=0,
                discharge_for=5,
                discharge_against=0,
            )
        assert refused.value.error_dict["decided_on"][0].code == "year_not_ended"
        with pytest.raises(ValidationError) as twice:
            report_create(actor=cast.alfa.board, year=TODAY().year)
        assert twice.value.error_dict["year"][0].code == "exists"
        with pytest.raises(ValidationError) as future:
            report_create(actor=cast.alfa.board, year=TODAY().year + 1)
        assert future.value.error_dict["year"][0].code == "invalid_year"
        assert AnnualReport.objects.count() == 1 and not Decision.objects.exists()
    with schema_context(beta.schema):
        report_create(actor=cast.beta.board, year=TODAY().year)
