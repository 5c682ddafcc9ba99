"""What the network API answers: cooperatives as the network sees them, and figure cells. A
cell names its cooperative by slug and its figure by the keys and Dutch words of
``tenants.dashboards.metrics``; a suppressed cell has no value."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperatives.figures.catalog import GROUP_KEYS

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class NetworkCooperativeSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()
    groups = serializers.ListField(
        child=serializers.CharField(), help_text="Groepen cijfers die ze met dit netwerk deelt."
    )
    on_map = serializers.BooleanField()


class FigureCellSerializer(serializers.Serializer[Any]):
    cooperative = serializers.SlugField(help_text="De slug van de coöperatie.")
    month = serializers.CharField(help_text="JJJJ-MM")
    group = serializers.CharField()
    metric = serializers.CharField()
    # The figure's Dutch name; the stubs type a Serializer's own ``label`` (its caption).
    label = serializers.CharField()  # type: ignore[assignment]
    unit = serializers.CharField()
    dimension = serializers.CharField(
        allow_blank=True, help_text="Cluster, soort lid of dimensie; leeg voor het geheel."
    )
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Leeg als onderdrukt."
    )
    suppressed = serializers.BooleanField(
        help_text="Minder dan 5 leden of diensten: niet getoond ter bescherming van de privacy."
    )


class FigureQuerySerializer(serializers.Serializer[Any]):
    month = serializers.CharField(required=False, help_text="JJJJ-MM")
    group = serializers.ChoiceField(choices=list(GROUP_KEYS), required=False)
    cooperative = serializers.SlugField(required=False)

    def validate_month(self, value: str) -> str:
        if not MONTH.match(value):
            raise serializers.ValidationError(
                _("Geef een maand als JJJJ-MM, bijvoorbeeld 2026-11."), code="invalid_month"
            )
        return value
