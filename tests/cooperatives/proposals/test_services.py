"""Project proposals: a member submits, others support once (the database refuses a second
support), the board moves the proposal on and the proposer hears of every step with a link to
the proposal; declining needs reasons; approving makes the project and its group."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail as outbox
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_tenants.utils import schema_context

from cooperatives.annual_report.sections import report_figures_compute
from cooperatives.governance.models import Body, Decision, Seat
from cooperatives.proposals import selectors, services
from cooperatives.proposals.models import (
    Project,
    ProjectSpending,
    Proposal,
    ProposalEvent,
    ProposalSupport,
)
from shared.audit.models import AuditEntry


def submit(coop, people, **extra):
    with schema_context(coop.schema):
        return services.proposal_submit(
            actor=people.proposer,
            title="Moestuin op het pleintje",
            description="Samen groente kweken achter het buurthuis.",
            contact="06 12345678",
            needs_volunteers=True,
            needs_space=True,
            budget=extra.pop("budget", "750.00"),
            **extra,
        )


def handle(coop, people, proposal, status, **extra):
    with schema_context(coop.schema):
        return services.proposal_handle(
            actor=people.board, proposal=proposal, status=status, **extra
        )


def test_a_submitted_proposal_is_received_logged_and_confirmed_by_mail(
    alfa, beta, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submit(alfa, people)
    with schema_context(alfa.schema):
        assert proposal.status == Proposal.Status.RECEIVED
        assert proposal.budget == Decimal("750.00")
        assert list(proposal.events.values_list("status", flat=True)) == ["received"]
        assert AuditEntry.objects.filter(action="proposal.submit", target_id=proposal.pk).exists()
    [sent] = outbox.outbox
    assert sent.to == [people.proposer.email]
    assert "Moestuin op het pleintje" in sent.subject
    assert f"{alfa.host}/projectvoorstellen/{proposal.pk}/" in sent.body
    with schema_context(beta.schema):
        assert not Proposal.objects.exists()


def test_a_proposal_without_title_is_refused_and_nothing_is_written(alfa, people):
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        services.proposal_submit(actor=people.proposer, title=" ", description="x", contact="y")
    assert refused.value.error_dict["title"][0].code == "required"
    with schema_context(alfa.schema):
        assert not Proposal.objects.exists() and not ProposalEvent.objects.exists()


def test_only_a_coordinator_or_the_board_submits_for_a_partner(alfa, people):
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        services.proposal_submit(
            actor=people.proposer,
            title="Repair café",
            description="Elke maand",
            contact="linde@example.nl",
            partner=people.partner,
        )
    assert refused.value.error_dict["partner"][0].code == "not_allowed"
    with schema_context(alfa.schema):
        proposal = services.proposal_submit(
            actor=people.coordinator,
            title="Repair café",
            description="Elke maand",
            contact="linde@example.nl",
            partner=people.partner,
        )
        assert proposal.partner == people.partner
        assert Proposal.objects.count() == 1


def test_a_member_supports_once_and_may_withdraw(alfa, beta, people):
    proposal = submit(alfa, people)
    with schema_context(alfa.schema):
        services.proposal_support(actor=people.supporter, proposal=proposal)
        with pytest.raises(ValidationError) as refused:
            services.proposal_support(actor=people.supporter, proposal=proposal)
        assert refused.value.error_dict["__all__"][0].code == "already_supported"
        assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
        assert AuditEntry.objects.filter(action="proposal.support").count() == 1
        # The database itself refuses a second row, whatever a service forgets.
        with pytest.raises(IntegrityError), transaction.atomic():
            ProposalSupport.objects.create(proposal=proposal, member=people.supporter)
        assert ProposalSupport.objects.filter(proposal=proposal).count() == 1
        found = selectors.proposal_get(viewer=people.supporter, pk=proposal.pk)
        assert found.supporters == 1 and found.supported
        assert services.proposal_support_withdraw(actor=people.supporter, proposal=proposal)
        assert not ProposalSupport.objects.exists()
        assert AuditEntry.objects.filter(action="proposal.unsupport").count() == 1
    with schema_context(beta.schema):
        assert not ProposalSupport.objects.exists()


def test_each_step_tells_the_proposer_with_a_link(alfa, people, django_capture_on_commit_callbacks):
    proposal = submit(alfa, people)
    with django_capture_on_commit_callbacks(execute=True):
        handle(alfa, people, proposal, "being_discussed", note="Op de agenda van 12 mei.")
    with django_capture_on_commit_callbacks(execute=True):
        handle(alfa, people, proposal, "sent_to_alv")
    with django_capture_on_commit_callbacks(execute=True):
        handle(
            alfa,
            people,
            proposal,
            "approved_with_conditions",
            conditions="Eerst offertes.",
            record_decision=True,
        )
    link = f"{alfa.host}/projectvoorstellen/{proposal.pk}/"
    assert [m.to for m in outbox.outbox] == [[people.proposer.email]] * 3
    assert all(link in m.body for m in outbox.outbox)
    assert "in bespreking" in outbox.outbox[0].subject
    assert "Op de agenda van 12 mei." in outbox.outbox[0].body
    assert "ALV" in outbox.outbox[1].body
    assert "Eerst offertes." in outbox.outbox[2].body
    with schema_context(alfa.schema):
        history = list(proposal.events.values_list("previous", "status"))
        assert history == [
            ("", "received"),
            ("received", "being_discussed"),
            ("being_discussed", "sent_to_alv"),
            ("sent_to_alv", "approved_with_conditions"),
        ]
        assert AuditEntry.objects.filter(action="proposal.handle").count() == 3
        # Sent to the ALV, so the ALV's decision is what the register shows.
        proposal.refresh_from_db()
        assert proposal.decision.body.kind == Body.Kind.ALV
        assert "Eerst offertes." in proposal.decision.text
        # A task delivered twice mails once.
        event = proposal.events.last()
        assert services.proposal_event_notify(event_id=event.pk) is False
    assert len(outbox.outbox) == 3


def test_a_partners_proposal_tells_the_partner_too(
    alfa, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), schema_context(alfa.schema):
        services.proposal_submit(
            actor=people.coordinator,
            title="Repair café",
            description="Elke maand",
            contact="linde@example.nl",
            partner=people.partner,
        )
    assert sorted(m.to[0] for m in outbox.outbox) == sorted(
        [people.coordinator.email, "linde@example.nl"]
    )


def test_declining_needs_reasons(alfa, people, django_capture_on_commit_callbacks):
    proposal = submit(alfa, people)
    outbox.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        handle(alfa, people, proposal, "declined", reasons="  ")
    assert refused.value.error_dict["reasons"][0].code == "reasons_required"
    assert outbox.outbox == []
    with schema_context(alfa.schema):
        proposal.refresh_from_db()
        assert proposal.status == "received" and proposal.events.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        handle(alfa, people, proposal, "declined", reasons="Past niet in de begroting.")
    assert "Past niet in de begroting." in outbox.outbox[0].body
    with schema_context(alfa.schema):
        proposal.refresh_from_db()
        assert proposal.status == "declined"
    # A decided proposal does not move again, nor can it be supported.
    with pytest.raises(ValidationError) as refused:
        handle(alfa, people, proposal, "approved_with_conditions")
    assert refused.value.error_dict["status"][0].code == "invalid_transition"
    with schema_context(alfa.schema), pytest.raises(ValidationError):
        services.proposal_support(actor=people.supporter, proposal=proposal)


def test_approval_makes_the_project_its_group_and_the_decision(alfa, beta, people):
    proposal = submit(alfa, people)
    handle(alfa, people, proposal, "approved_with_conditions", record_decision=True)
    with schema_context(alfa.schema):
        project = Project.objects.get(proposal=proposal)
        assert project.name == proposal.title and project.budget == Decimal("750.00")
        assert project.group.kind == Body.Kind.PROJECT_GROUP
        [seat] = Seat.objects.filter(body=project.group)
        assert seat.member == people.proposer and seat.position == Seat.Position.CHAIR
        proposal.refresh_from_db()
        decision = proposal.decision
        assert decision.kind == Decision.Kind.PROJECT and decision.adopted
        assert decision.body.kind == Body.Kind.GENERAL_BOARD
        assert AuditEntry.objects.filter(action="project.create", target_id=project.pk).exists()
    with schema_context(beta.schema):
        assert not Project.objects.exists()
        assert not Body.objects.filter(kind=Body.Kind.PROJECT_GROUP).exists()


def test_updates_come_from_the_group_or_the_board_and_spending_counts_per_year(alfa, people):
    proposal = submit(alfa, people)
    handle(alfa, people, proposal, "approved_with_conditions")
    with schema_context(alfa.schema):
        project = Project.objects.get(proposal=proposal)
        services.project_update_post(actor=people.proposer, project=project, text="Bakken staan.")
        with pytest.raises(ValidationError) as refused:
            services.project_update_post(actor=people.supporter, project=project, text="Hoi")
        assert refused.value.error_dict["__all__"][0].code == "not_in_group"
        services.project_member_add(actor=people.board, project=project, member=people.supporter)
        services.project_update_post(actor=people.supporter, project=project, text="Zaad gekocht")
        assert project.updates.count() == 2
        # The project started today; spending of last year and this one.
        today = dt.date.today()
        Project.objects.filter(pk=project.pk).update(started_on=today.replace(month=1, day=1))
        project.refresh_from_db()
        services.project_spending_add(
            actor=people.board, project=project, spent_on=today, description="Zaad", amount="25"
        )
        with pytest.raises(ValidationError) as refused:
            services.project_spending_add(
                actor=people.board, project=project, spent_on=today, description="x", amount="0"
            )
        assert refused.value.error_dict["amount"][0].code == "not_positive"
        assert ProjectSpending.objects.count() == 1
        [row] = selectors.projects_for_report(year=today.year)
        assert row["name"] == proposal.title and row["budget"] == Decimal("750.00")
        assert row["spent_year"] == Decimal("25.00") and row["spent_total"] == Decimal("25.00")
        assert row["status"] == "active"
        assert selectors.projects_for_report(year=today.year - 1) == []
        # The annual report shows the same figures (its projects section).
        section = report_figures_compute(year=today.year)["projects"]["data"]
        assert section["count"] == 1
        assert section["projects"][0]["spent_year"] == "25.00"
        assert section["projects"][0]["budget"] == "750.00"


def test_a_project_without_budget_has_no_spending(alfa, people):
    proposal = submit(alfa, people, budget=None)
    handle(alfa, people, proposal, "approved_with_conditions")
    with schema_context(alfa.schema):
        project = Project.objects.get(proposal=proposal)
        with pytest.raises(ValidationError) as refused:
            services.project_spending_add(
                actor=people.board,
                project=project,
                spent_on=dt.date.today(),
                description="Iets",
                amount="5",
            )
        assert refused.value.error_dict["__all__"][0].code == "no_budget"
        assert not ProjectSpending.objects.exists()
        [row] = selectors.projects_for_report(year=dt.date.today().year)
        assert row["budget"] is None and row["spent_total"] == Decimal("0.00")
