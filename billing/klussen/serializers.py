"""What the klussen API takes and gives."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from billing.klussen import selectors
from billing.klussen.models import KlusDoublePayment, KlusPayment
from cooperatives.settlement import Member
from shared import permissions
from shared.api.fields import StrictIntegerField


class PersonSerializer(serializers.ModelSerializer[Member]):
    class Meta:
        model = Member
        fields = ["id", "name"]
        read_only_fields = fields


class DoublePaymentSerializer(serializers.ModelSerializer[KlusDoublePayment]):
    """An online payment for a klus that was already settled (paid twice)."""

    earlier = serializers.CharField(
        read_only=True, help_text="Hoe de klus er al voor stond: cash, online of cancelled"
    )
    refunded_by = PersonSerializer(read_only=True, allow_null=True)
    refund_note = serializers.CharField(
        read_only=True, help_text="Notitie van wie de terugbetaling vastlegde (of leeg)"
    )

    class Meta:
        model = KlusDoublePayment
        fields = [
            "id",
            "payment",
            "amount",
            "earlier",
            "received_at",
            "refunded_at",
            "refunded_by",
            "refund_note",
        ]
        read_only_fields = fields


class KlusPaymentSerializer(serializers.ModelSerializer[KlusPayment]):
    """A klus; the context names the ``viewer`` and whether ``online_possible``."""

    cluster = serializers.CharField(source="service.cluster.name", read_only=True)
    requester = PersonSerializer(read_only=True)
    volunteer = PersonSerializer(read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="open, pending_online, paid, cancelled"
    )
    method = serializers.CharField(read_only=True, help_text="cash, online, of leeg")
    actions = serializers.SerializerMethodField(
        help_text="Wat u nu kunt doen: cash (contant ontvangen bevestigen), online (betalen), "
        "waive (laten vervallen, coördinator of bestuur)"
    )
    cancel_reason = serializers.CharField(
        read_only=True, help_text="Waarom de klus is vervallen (leeg als hij niet vervallen is)"
    )
    double_payments = serializers.SerializerMethodField(
        help_text="Online betalingen voor deze klus terwijl hij al betaald of vervallen was "
        "(alleen voor wie de klussen volgt; anders leeg)"
    )

    class Meta:
        model = KlusPayment
        fields = [
            "id",
            "service",
            "cluster",
            "performed_on",
            "requester",
            "volunteer",
            "hours",
            "rate_per_hour",
            "amount",
            "cooperative_share",
            "volunteer_amount",
            "platform_fee",
            "method",
            "status",
            "paid_at",
            "cancel_reason",
            "cancelled_at",
            "actions",
            "double_payments",
        ]
        read_only_fields = fields

    @extend_schema_field(DoublePaymentSerializer(many=True))
    def get_double_payments(self, payment: KlusPayment) -> list[dict[str, Any]]:
        # As on the klus's page: the requester and the volunteer hear that it is known, the
        # figures and the treasurer's note are for those who follow up on the money.
        viewer = self.context.get("viewer")
        if not permissions.can(viewer, "klus.overview"):
            return []
        doubles = sorted(payment.double_payments.all(), key=lambda d: (d.received_at, d.pk))
        return list(DoublePaymentSerializer(doubles, many=True).data)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, payment: KlusPayment) -> list[str]:
        viewer = self.context.get("viewer")
        if viewer is None:
            return []
        return sorted(
            selectors.klus_actions(
                actor=viewer,
                payment=payment,
                online_possible=self.context.get("online_possible", False),
            )
        )


class WaiveSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=1000,
        help_text="Waarom de klus vervalt, bijvoorbeeld: de hulpvrager kan niet betalen en de "
        "vrijwilliger vindt het goed",
    )


class RefundedSerializer(serializers.Serializer[Any]):
    double_payment = StrictIntegerField(
        help_text="Het id van de dubbele betaling (uit double_payments van de klus)"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Notitie, niet verplicht: bijvoorbeeld 'teruggestort via Stripe'",
    )


class RefundedResultSerializer(DoublePaymentSerializer):
    changed = serializers.BooleanField(
        read_only=True, help_text="false als hij al op terugbetaald stond (er is niets veranderd)"
    )
    detail = serializers.CharField(read_only=True)

    class Meta(DoublePaymentSerializer.Meta):
        fields = [*DoublePaymentSerializer.Meta.fields, "changed", "detail"]
        read_only_fields = fields


class CheckoutSerializer(serializers.Serializer[Any]):
    url = serializers.URLField(
        allow_null=True,
        help_text="Stripe's betaalpagina; leeg zolang Stripe opnieuw wordt geprobeerd",
    )
    detail = serializers.CharField(required=False)
