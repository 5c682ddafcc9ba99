"""What the proposals API takes and gives. Shapes only: the proposals services check the values
and answer with their own Dutch messages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.governance.models import Seat
from cooperatives.proposals.models import (
    Project,
    ProjectSpending,
    ProjectUpdate,
    Proposal,
    ProposalEvent,
)
from shared.api.fields import StrictIntegerField

# --- reading -------------------------------------------------------------------------------------


class ProposalEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.name", default=None, allow_null=True)
    # Empty for the first event (a read-only model field would be documented without "").
    previous = serializers.ChoiceField(Proposal.Status.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ProposalEvent
        fields = ["status", "previous", "note", "actor", "at"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.name")
    partner = serializers.CharField(source="partner.name", default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    decision = serializers.CharField(source="decision.number", default=None, allow_null=True)
    supporters = StrictIntegerField(help_text="Aantal leden dat het voorstel steunt")
    supported = serializers.BooleanField(help_text="Of u het voorstel steunt")
    project_id = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "description",
            "needs_volunteers",
            "needs_money",
            "needs_space",
            "needs_other",
            "budget",
            "contact",
            "submitted_by",
            "partner",
            "status",
            "status_label",
            "conditions",
            "reasons",
            "decision",
            "supporters",
            "supported",
            "project_id",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(StrictIntegerField(allow_null=True))
    def get_project_id(self, proposal: Proposal) -> int | None:
        project = getattr(proposal, "project", None)
        return project.pk if project is not None else None


class ProposalDetailSerializer(ProposalSerializer):
    history = serializers.SerializerMethodField(help_text="Elke stap, oudste eerst")

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "history"]
        read_only_fields = fields

    @extend_schema_field(ProposalEventSerializer(many=True))
    def get_history(self, proposal: Proposal) -> list[Any]:
        events = proposal.events.select_related("actor").order_by("at", "id")
        return list(ProposalEventSerializer(events, many=True).data)


class SupportSerializer(serializers.Serializer):
    supporters = StrictIntegerField()
    supported = serializers.BooleanField()


class ProjectGroupSeatSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.name")

    class Meta:
        model = Seat
        fields = ["member", "position", "start", "end"]
        read_only_fields = fields


class ProjectUpdateSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.name", default=None, allow_null=True)

    class Meta:
        model = ProjectUpdate
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class ProjectSpendingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectSpending
        fields = ["id", "spent_on", "description", "amount"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    proposal_id = StrictIntegerField()
    group = serializers.CharField(source="group.name")
    spent = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "status",
            "budget",
            "spent",
            "started_on",
            "finished_on",
            "proposal_id",
            "group",
        ]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    members = ProjectGroupSeatSerializer(many=True)
    updates = ProjectUpdateSerializer(many=True)
    spending = ProjectSpendingSerializer(many=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "members", "updates", "spending"]
        read_only_fields = fields


# --- writing -------------------------------------------------------------------------------------


class ProposalSubmitSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=200)
    description = serializers.CharField(allow_blank=True)
    contact = serializers.CharField(allow_blank=True, max_length=200)
    needs_volunteers = serializers.BooleanField(default=False)
    needs_money = serializers.BooleanField(default=False)
    needs_space = serializers.BooleanField(default=False)
    needs_other = serializers.CharField(allow_blank=True, default="")
    budget = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, required=False
    )
    partner_id = StrictIntegerField(
        allow_null=True,
        required=False,
        help_text="Namens deze wijkpartner (alleen coördinatoren en het bestuur)",
    )


class ProposalStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Proposal.Status.choices)
    note = serializers.CharField(allow_blank=True, default="")
    conditions = serializers.CharField(allow_blank=True, default="")
    reasons = serializers.CharField(allow_blank=True, default="")
    record_decision = serializers.BooleanField(
        default=False, help_text="Het besluit opnemen in de besluitenlijst (soort: project)"
    )
    decided_on = serializers.DateField(
        required=False, allow_null=True, help_text="Datum van het besluit (standaard vandaag)"
    )


class ProjectUpdateCreateSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)


class ProjectSpendingCreateSerializer(serializers.Serializer):
    spent_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True, max_length=200)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)


def project_detail_data(project: Project, **parts: Any) -> dict[str, Any]:
    return dict(ProjectDetailSerializer({**_project_fields(project), **parts}).data)


def _project_fields(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "status": project.status,
        "budget": project.budget,
        "spent": getattr(project, "spent", None),
        "started_on": project.started_on,
        "finished_on": project.finished_on,
        "proposal_id": project.proposal_id,
        "group": project.group,
    }
