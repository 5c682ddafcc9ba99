"""What the subscription API takes and gives."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from billing.subscriptions.models import Plan
from shared.api.fields import StrictIntegerField


class PlanSerializer(serializers.ModelSerializer[Plan]):
    class Meta:
        model = Plan
        fields = ["code", "name", "max_members", "monthly_price_cents", "currency", "trial_days"]
        read_only_fields = fields


class SubscriptionSerializer(serializers.Serializer[Any]):
    status = serializers.CharField(
        help_text="Stripe's status (trialing, active, past_due, unpaid, canceled, ...); "
        "leeg zonder abonnement (de gratis pilot)"
    )
    status_label = serializers.CharField(help_text="De status in het Nederlands")
    access = serializers.ChoiceField(["full", "grace", "read_only"])
    plan = PlanSerializer(allow_null=True)
    current_period_end = serializers.DateTimeField(allow_null=True)
    grace_until = serializers.DateTimeField(allow_null=True)
    sponsored_by = serializers.CharField(
        help_text="Naam van het netwerk dat het abonnement betaalt; leeg als de coöperatie zelf "
        "betaalt"
    )
    members = StrictIntegerField()
    too_big = serializers.BooleanField(help_text="Meer leden dan de abonnementsvorm toestaat")


class CheckoutInSerializer(serializers.Serializer[Any]):
    plan = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Plan.objects.filter(active=True),
        help_text="Code van de abonnementsvorm, bijvoorbeeld tot150",
    )


class CheckoutOutSerializer(serializers.Serializer[Any]):
    url = serializers.CharField(
        allow_blank=True,
        help_text="Stripe's betaalpagina; leeg als de abonnementsvorm meteen is gewijzigd",
    )
    changed = serializers.BooleanField(help_text="De abonnementsvorm is meteen gewijzigd")


class PortalOutSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
