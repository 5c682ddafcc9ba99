"""What the annual report's API takes and gives."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cooperatives.annual_report.models import AnnualReport
from shared.api.fields import StrictIntegerField


class DecisionRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    decided_on = serializers.DateField()
    outcome = serializers.CharField(help_text="adopted of rejected")


class AnnualReportSerializer(serializers.ModelSerializer):
    # A plain string, as elsewhere in the API: enums of one field name clash in the schema.
    status = serializers.CharField(read_only=True, help_text="draft, reviewed of approved")
    approved_by = DecisionRefSerializer(read_only=True, allow_null=True)
    discharge = DecisionRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AnnualReport
        fields = [
            "year",
            "status",
            "foreword",
            "activities",
            "outlook",
            "audit_findings",
            "audit_recommends_discharge",
            "audit_reviewed_on",
            "approved_by",
            "discharge",
            "approved_at",
        ]
        read_only_fields = fields


class AnnualReportDetailSerializer(AnnualReportSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(AnnualReportSerializer.Meta):
        fields = [*AnnualReportSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    def get_figures(self, report: AnnualReport) -> dict[str, Any]:
        """Per section: its Dutch title and its figures (numbers with decimals as text, so
        they stay exact). Stored when approved; computed now for a draft."""
        figures: dict[str, Any] = self.context["figures"]
        return figures


class ReportCreateSerializer(serializers.Serializer):
    year = StrictIntegerField()


class ReportTextsSerializer(serializers.Serializer):
    foreword = serializers.CharField(required=False, allow_blank=True)
    activities = serializers.CharField(required=False, allow_blank=True)
    outlook = serializers.CharField(required=False, allow_blank=True)


class ReportReviewSerializer(serializers.Serializer):
    findings = serializers.CharField(allow_blank=True)
    recommends_discharge = serializers.BooleanField()
    reviewed_on = serializers.DateField(required=False)


class ReportApproveSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    votes_for = StrictIntegerField(min_value=0, required=False, allow_null=True)
    votes_against = StrictIntegerField(min_value=0, required=False, allow_null=True)
    votes_abstain = StrictIntegerField(min_value=0, required=False, allow_null=True)
    outcome = serializers.CharField(
        required=False, allow_null=True, help_text="adopted of rejected, zonder stemmen"
    )
    discharge_for = StrictIntegerField(min_value=0, required=False, allow_null=True)
    discharge_against = StrictIntegerField(min_value=0, required=False, allow_null=True)
    discharge_abstain = StrictIntegerField(min_value=0, required=False, allow_null=True)
    discharge_outcome = serializers.CharField(
        required=False, allow_null=True, help_text="adopted of rejected, zonder stemmen"
    )
