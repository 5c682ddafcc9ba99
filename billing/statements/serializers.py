"""What the statement API gives. Amounts are decimal strings ("6.75"), never floats."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shared.api.fields import StrictIntegerField


def _euros(*, help_text: str = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=help_text or None
    )


class StatementLineSerializer(serializers.Serializer[Any]):
    payment_id = StrictIntegerField(read_only=True)
    service_id = StrictIntegerField(read_only=True)
    performed_on = serializers.DateField(read_only=True)
    cluster = serializers.CharField(read_only=True)
    volunteer = serializers.CharField(read_only=True, help_text="Naam van de vrijwilliger")
    requester = serializers.CharField(read_only=True, help_text="Naam van de hulpvrager")
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    rate_per_hour = _euros()
    amount = _euros()
    cooperative_share = _euros()
    volunteer_amount = _euros()
    platform_fee = _euros()
    method = serializers.CharField(read_only=True, help_text="cash, online of leeg")
    status = serializers.CharField(
        read_only=True, help_text="open, pending_online, paid of cancelled"
    )
    paid_on = serializers.DateField(read_only=True, allow_null=True)


class RefundLineSerializer(serializers.Serializer[Any]):
    double_payment_id = StrictIntegerField(read_only=True)
    payment_id = StrictIntegerField(read_only=True)
    performed_on = serializers.DateField(read_only=True)
    cluster = serializers.CharField(read_only=True)
    volunteer = serializers.CharField(read_only=True, help_text="Naam van de vrijwilliger")
    requester = serializers.CharField(read_only=True, help_text="Naam van de hulpvrager")
    amount = _euros(help_text="Online ontvangen, terwijl de klus al betaald of vervallen was")
    received_on = serializers.DateField(read_only=True)
    earlier = serializers.CharField(
        read_only=True, help_text="Hoe de klus er al voor stond: cash, online of cancelled"
    )
    refunded_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Wanneer terugbetaald; leeg als nog niet"
    )


class StatementTotalsSerializer(serializers.Serializer[Any]):
    klussen = StrictIntegerField(read_only=True, help_text="Klussen, zonder vervallen")
    cancelled = StrictIntegerField(read_only=True, help_text="Vervallen klussen")
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    charged = _euros(help_text="In rekening gebracht")
    cooperative_shares = _euros()
    volunteer_amounts = _euros()
    platform_fees = _euros()
    paid_cash = _euros()
    paid_online = _euros()
    owed = _euros(help_text="Nog te betalen (open of online betaling loopt)")
    owed_count = StrictIntegerField(read_only=True)


class StatementSubscriptionSerializer(serializers.Serializer[Any]):
    plan_name = serializers.CharField(read_only=True)
    monthly_price = _euros()
    currency = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="De status zoals Stripe die meldt")
    period_start = serializers.DateField(read_only=True, allow_null=True)
    period_end = serializers.DateField(read_only=True, allow_null=True)
    covers_month = serializers.BooleanField(read_only=True, allow_null=True)
    paid_by = serializers.CharField(
        read_only=True, help_text="Het netwerk dat het abonnement betaalt, of leeg"
    )


class StatementSerializer(serializers.Serializer[Any]):
    cooperative = serializers.CharField(source="cooperative_name", read_only=True)
    year = StrictIntegerField(read_only=True)
    month = StrictIntegerField(read_only=True)
    first_day = serializers.DateField(read_only=True)
    last_day = serializers.DateField(read_only=True)
    totals = StatementTotalsSerializer(read_only=True)
    subscription = StatementSubscriptionSerializer(read_only=True, allow_null=True)
    lines = StatementLineSerializer(many=True, read_only=True)
    earlier_owed = StatementLineSerializer(
        many=True, read_only=True, help_text="Nog niet betaalde klussen uit eerdere maanden"
    )
    earlier_owed_total = _euros()
    received_cash = _euros(help_text="Contant ontvangen in deze maand (op betaaldatum)")
    received_online = _euros(help_text="Online ontvangen in deze maand (op betaaldatum)")
    to_refund = RefundLineSerializer(
        many=True,
        read_only=True,
        help_text="Twee keer betaald: online ontvangen in deze maand voor klussen die al betaald "
        "of vervallen waren, ook de al terugbetaalde (refunded_on)",
    )
    to_refund_total = _euros(help_text="Daarvan nog terug te betalen; niet in de totalen")
    refunded_total = _euros(help_text="Daarvan al terugbetaald")
