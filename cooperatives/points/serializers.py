"""What the points API takes and gives. Amounts come in as text ("1,5" or 1.5) and are read by
the ledger's services, which give the Dutch refusals; these only shape the input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.members.models import Member
from cooperatives.points import selectors
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from shared.api.fields import StrictIntegerField, StrictPrimaryKeyRelatedField

RECENT = 10


def _points(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


# --- what goes out -----------------------------------------------------------------------------


class LineSerializer(serializers.Serializer):
    account = StrictIntegerField()
    holder = serializers.CharField(help_text="Naam van het lid, of de rekening van de coöperatie")
    amount = _points()


class TransferSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        read_only=True,
        help_text="starter, service, gift, donation, grant, organisation, correction of reversal",
    )
    status = serializers.CharField(read_only=True, help_text="booked, pending of rejected")
    lines = serializers.SerializerMethodField(
        help_text="Wat de overboeking boekt (of, zolang ze wacht, zal boeken), per rekening"
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "kind",
            "status",
            "memo",
            "created_at",
            "decided_at",
            "reverses",
            "service_id",
            "lines",
        ]
        read_only_fields = fields

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, transfer: Transfer) -> list[dict[str, Any]]:
        return [
            LineSerializer(
                {"account": account.pk, "holder": selectors.holder(account), "amount": amount}
            ).data
            for account, amount in selectors.transfer_lines(transfer)
        ]


class StatementListSerializer(serializers.ListSerializer):
    """A page of the statement: who is on the other side of each posting, read for the whole
    page at once (``selectors.with_counterparties``), not once per row."""

    def to_representation(self, data: Iterable[Posting]) -> list[Any]:  # type: ignore[override]
        # (The stubs give the argument as a Django manager; a page is a list.)
        return super().to_representation(selectors.with_counterparties(data))


class StatementRowSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="transfer.kind", read_only=True)
    memo = serializers.CharField(source="transfer.memo", read_only=True)
    other = serializers.CharField(read_only=True, help_text="Wie aan de andere kant staat")

    class Meta:
        model = Posting
        list_serializer_class = StatementListSerializer
        fields = [
            "id",
            "transfer",
            "created_at",
            "kind",
            "memo",
            "other",
            "amount",
            "balance_after",
        ]
        read_only_fields = fields


class MyPointsSerializer(serializers.Serializer):
    balance = _points()
    min_balance = StrictIntegerField(allow_null=True, help_text="Laagste saldo (spelregels)")
    max_balance = StrictIntegerField(allow_null=True, help_text="Hoogste saldo (spelregels)")
    starter_points = StrictIntegerField(allow_null=True)
    pending_count = StrictIntegerField(help_text="Betalingen die op uw goedkeuring wachten")
    recent = StatementRowSerializer(many=True, help_text=f"De laatste {RECENT} boekingen")


class OverviewSerializer(serializers.Serializer):
    positive = _points(help_text="Som van de positieve saldi van leden")
    negative = _points(help_text="Som van de negatieve saldi van leden")
    solidarity = _points(help_text="Saldo van de solidariteitspot")
    share = _points(help_text="Saldo van het aandeel van de coöperatie")
    in_circulation = _points(help_text="Alle rekeningen samen, behalve de uitgifte")
    issued = _points(help_text="Wat de uitgifte heeft uitgegeven")
    balanced = serializers.BooleanField(help_text="In omloop is precies wat is uitgegeven")
    pending_count = StrictIntegerField()


class AccountSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="member, issuance, share of solidarity")
    holder = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = ["id", "kind", "member", "holder", "balance"]
        read_only_fields = fields

    def get_holder(self, account: Account) -> str:
        return selectors.holder(account)


class SnapshotSerializer(serializers.ModelSerializer):
    holder = serializers.SerializerMethodField()

    class Meta:
        model = YearEndSnapshot
        fields = ["year", "account", "holder", "balance", "taken_at"]
        read_only_fields = fields

    def get_holder(self, snapshot: YearEndSnapshot) -> str:
        return selectors.holder(snapshot.account)


class SnapshotMadeSerializer(serializers.Serializer):
    year = StrictIntegerField()
    created = StrictIntegerField(help_text="Aantal rekeningen waarvan de stand nu is vastgelegd")


# --- what comes in (shapes only: the services check the values) --------------------------------


def _member_field(help_text: str) -> serializers.PrimaryKeyRelatedField:
    return StrictPrimaryKeyRelatedField(
        queryset=Member.objects.all(),
        help_text=help_text,
        error_messages={
            "does_not_exist": _("Dit lid bestaat niet."),
            "incorrect_type": _("Geef het nummer van een lid."),
        },
    )


def _amount_field(help_text: str = 'Aantal punten, bijvoorbeeld 2 of "1,5"') -> Any:
    return serializers.CharField(max_length=12, help_text=help_text)


def _key_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=80, help_text="Uw eigen sleutel: dezelfde sleutel nog eens boekt niets nieuws"
    )


class GiftSerializer(serializers.Serializer):
    receiver = _member_field("Het lid dat de punten krijgt")
    amount = _amount_field()
    memo = serializers.CharField(allow_blank=True, required=False, default="", max_length=300)
    idempotency_key = _key_field()


class DonationSerializer(serializers.Serializer):
    amount = _amount_field()
    idempotency_key = _key_field()


class GrantSerializer(serializers.Serializer):
    member = _member_field("Het lid dat punten uit de pot krijgt")
    amount = _amount_field()
    reason = serializers.CharField(allow_blank=True, max_length=300)
    idempotency_key = _key_field()


class CorrectionSerializer(serializers.Serializer):
    member = _member_field("Het lid van wie de rekening wordt gecorrigeerd")
    amount = _amount_field('Aantal punten, negatief om af te halen, bijvoorbeeld -2 of "1,5"')
    reason = serializers.CharField(allow_blank=True, max_length=300)
    idempotency_key = _key_field()


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class SnapshotInSerializer(serializers.Serializer):
    year = StrictIntegerField(help_text="Een jaar dat al voorbij is")

    def validate_year(self, year: int) -> int:
        first, last = selectors.FIRST_YEAR, selectors.last_ended_year()
        if not first <= year <= last:
            raise serializers.ValidationError(
                _("Kies een jaar dat al voorbij is, van %(first)s tot en met %(last)s.")
                % {"first": first, "last": last},
                code="not_ended",
            )
        return year
