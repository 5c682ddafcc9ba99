"""The points ledger through the API: the same selectors and services as the pages, so the
same people may do the same things and the ledger's Dutch refusals come back unchanged.

Booking calls carry an ``idempotency_key``: sending the same call again books nothing new and
answers 200 with the transfer booked the first time (201 when it was booked now).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.members.models import Member
from cooperatives.points import selectors, services
from cooperatives.points.forms import FIRST_YEAR, last_ended_year
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES
from shared.permissions import HasAction

RECENT = 10


class PointsPagination(PageNumberPagination):
    page_size = 50


def _points(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, **kwargs)


# --- what goes out -----------------------------------------------------------------------------


class LineSerializer(serializers.Serializer):
    account = serializers.IntegerField()
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
        lines = [
            {"account": account.pk, "holder": selectors.holder(account), "amount": amount}
            for account, amount in selectors.transfer_lines(transfer)
        ]
        return LineSerializer(lines, many=True).data


class StatementRowSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="transfer.kind", read_only=True)
    memo = serializers.CharField(source="transfer.memo", read_only=True)
    other = serializers.CharField(read_only=True, help_text="Wie aan de andere kant staat")

    class Meta:
        model = Posting
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
    min_balance = serializers.IntegerField(allow_null=True, help_text="Laagste saldo (spelregels)")
    max_balance = serializers.IntegerField(allow_null=True, help_text="Hoogste saldo (spelregels)")
    starter_points = serializers.IntegerField(allow_null=True)
    pending_count = serializers.IntegerField(help_text="Betalingen die op uw goedkeuring wachten")
    recent = StatementRowSerializer(many=True, help_text=f"De laatste {RECENT} boekingen")


class OverviewSerializer(serializers.Serializer):
    positive = _points(help_text="Som van de positieve saldi van leden")
    negative = _points(help_text="Som van de negatieve saldi van leden")
    solidarity = _points(help_text="Saldo van de solidariteitspot")
    share = _points(help_text="Saldo van het aandeel van de coöperatie")
    in_circulation = _points(help_text="Alle rekeningen samen, behalve de uitgifte")
    issued = _points(help_text="Wat de uitgifte heeft uitgegeven")
    balanced = serializers.BooleanField(help_text="In omloop is precies wat is uitgegeven")
    pending_count = serializers.IntegerField()


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
    year = serializers.IntegerField()
    created = serializers.IntegerField(
        help_text="Aantal rekeningen waarvan de stand nu is vastgelegd"
    )


# --- what comes in (shapes only: the services check the values) --------------------------------


def _member_field(help_text: str) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
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
    year = serializers.IntegerField(help_text="Een jaar dat al voorbij is")

    def validate_year(self, year: int) -> int:
        if not FIRST_YEAR <= year <= last_ended_year():
            raise serializers.ValidationError(
                _("Kies een jaar dat al voorbij is, van %(first)s tot en met %(last)s.")
                % {"first": FIRST_YEAR, "last": last_ended_year()},
                code="not_ended",
            )
        return year


# --- views -------------------------------------------------------------------------------------


def _viewer(request: Request) -> Member:
    return permissions.current_member(request)


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _booked(book: Callable[[], Transfer]) -> Response:
    """Run a booking service and answer 201 for a new transfer, 200 for a repeat. The service
    returns the first transfer when a key comes again: one made before this call started is
    that repeat."""
    started = timezone.now()
    transfer = book()
    fresh = transfer.created_at >= started
    return Response(TransferSerializer(transfer).data, status=201 if fresh else 200)


def _booking_schema(operation_id: str, summary: str, body: type) -> Callable:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=body,
        responses={201: TransferSerializer, 200: TransferSerializer, **ERROR_RESPONSES},
    )


class _PointsView(APIView):
    permission_classes = [IsAuthenticated, HasAction]


class MyPointsView(_PointsView):
    permission_actions = {"GET": "points.use"}

    @extend_schema(
        operation_id="points_me",
        summary="Mijn saldo, de grenzen uit de spelregels en mijn laatste boekingen",
        responses={200: MyPointsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        member = _viewer(request)
        account = selectors.account_of(member=member)
        rulebook = rulebook_current()
        recent = selectors.with_counterparties(selectors.statement(member=member)[:RECENT])
        data = {
            "balance": account.balance if account else selectors.ZERO,
            "min_balance": rulebook.min_balance if rulebook else None,
            "max_balance": rulebook.max_balance if rulebook else None,
            "starter_points": rulebook.starter_points if rulebook else None,
            "pending_count": selectors.pending_for(member=member).count(),
            "recent": recent,
        }
        return Response(MyPointsSerializer(data).data)


class StatementView(ListAPIView):
    serializer_class = StatementRowSerializer
    pagination_class = PointsPagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "points.use"}

    def get_queryset(self) -> QuerySet[Posting]:
        return selectors.statement(member=_viewer(self.request))

    def paginate_queryset(self, queryset: QuerySet[Posting]) -> list[Posting] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.with_counterparties(page)

    @extend_schema(
        operation_id="points_statement",
        summary="Mijn boekingen, nieuwste eerst",
        responses={200: StatementRowSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class GiftView(_PointsView):
    permission_actions = {"POST": "points.use"}

    @_booking_schema(
        "points_gift",
        "Punten geven aan een ander lid (van een organisatie: als dank)",
        GiftSerializer,
    )
    def post(self, request: Request) -> Response:
        data = _input(GiftSerializer, request)
        return _booked(
            lambda: services.gift(
                giver=_viewer(request),
                receiver=data["receiver"],
                amount=data["amount"],
                memo=data["memo"],
                key=data["idempotency_key"],
            )
        )


class DonationView(_PointsView):
    permission_actions = {"POST": "points.use"}

    @_booking_schema("points_donation", "Punten geven aan de solidariteitspot", DonationSerializer)
    def post(self, request: Request) -> Response:
        data = _input(DonationSerializer, request)
        return _booked(
            lambda: services.donation(
                member=_viewer(request), amount=data["amount"], key=data["idempotency_key"]
            )
        )


class GrantView(_PointsView):
    permission_actions = {"POST": "points.grant"}

    @_booking_schema(
        "points_grant", "Punten uit de solidariteitspot toekennen (coördinator)", GrantSerializer
    )
    def post(self, request: Request) -> Response:
        data = _input(GrantSerializer, request)
        return _booked(
            lambda: services.grant(
                actor=_viewer(request),
                member=data["member"],
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        )


class CorrectionView(_PointsView):
    permission_actions = {"POST": "points.correct"}

    @_booking_schema(
        "points_correction", "Een saldo corrigeren, met een reden (bestuur)", CorrectionSerializer
    )
    def post(self, request: Request) -> Response:
        data = _input(CorrectionSerializer, request)
        return _booked(
            lambda: services.correction(
                actor=_viewer(request),
                account=services.account_for(member=data["member"]),
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        )


class ReverseView(_PointsView):
    permission_actions = {"POST": "points.correct"}

    @_booking_schema(
        "points_reverse",
        "Een overboeking terugdraaien met een spiegelende overboeking (bestuur)",
        ReverseSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        transfer = selectors.transfer_get(pk=pk)
        if transfer is None:
            raise NotFound
        data = _input(ReverseSerializer, request)
        return _booked(
            lambda: services.reverse(
                actor=_viewer(request), transfer=transfer, reason=data["reason"]
            )
        )


class PendingListView(ListAPIView):
    serializer_class = TransferSerializer
    pagination_class = PointsPagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "points.use"}

    def get_queryset(self) -> QuerySet[Transfer]:
        return selectors.pending_for(member=_viewer(self.request))

    @extend_schema(
        operation_id="points_pending",
        summary="Betalingen voor diensten die op mijn goedkeuring wachten (ik ben geholpen)",
        responses={200: TransferSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class _DecideView(_PointsView):
    permission_actions = {"POST": "points.use"}
    approve: bool

    def post(self, request: Request, pk: int) -> Response:
        member = _viewer(request)
        transfer = selectors.service_payments_to_decide(member=member).filter(pk=pk).first()
        if transfer is None:
            raise NotFound
        decided = services.transfer_decide(actor=member, transfer=transfer, approve=self.approve)
        return Response(TransferSerializer(decided).data)


class PendingApproveView(_DecideView):
    approve = True

    @extend_schema(
        operation_id="points_pending_approve",
        summary="Een betaling goedkeuren: de punten worden geboekt",
        request=None,
        responses={200: TransferSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class PendingRejectView(_DecideView):
    approve = False

    @extend_schema(
        operation_id="points_pending_reject",
        summary="Een betaling afwijzen: er wordt niets geboekt",
        request=None,
        responses={200: TransferSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class OverviewView(_PointsView):
    permission_actions = {"GET": "points.overview"}

    @extend_schema(
        operation_id="points_overview",
        summary="Punten in omloop tegenover de uitgifte (bestuur, kascommissie)",
        responses={200: OverviewSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        data = {**selectors.circulation(), "pending_count": selectors.pending_all().count()}
        return Response(OverviewSerializer(data).data)


class AccountListView(ListAPIView):
    serializer_class = AccountSerializer
    pagination_class = PointsPagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "points.overview"}

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.accounts_with_holders()

    @extend_schema(
        operation_id="points_accounts",
        summary="Alle rekeningen met hun saldo (bestuur, kascommissie)",
        responses={200: AccountSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SnapshotView(ListAPIView):
    serializer_class = SnapshotSerializer
    pagination_class = PointsPagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "points.overview", "POST": "points.overview"}

    def get_queryset(self) -> QuerySet[YearEndSnapshot]:
        year = self.request.query_params.get("year", "")
        return selectors.snapshots(year=int(year) if year.isdigit() else None)

    @extend_schema(
        operation_id="points_snapshots",
        summary="Jaarstanden per rekening, nieuwste jaar eerst",
        parameters=[OpenApiParameter("year", int, description="Alleen dit jaar")],
        responses={200: SnapshotSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="points_snapshot_take",
        summary="De jaarstand van een voorbij jaar vastleggen (een vastgelegde stand blijft)",
        request=SnapshotInSerializer,
        responses={201: SnapshotMadeSerializer, 200: SnapshotMadeSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        year = _input(SnapshotInSerializer, request)["year"]
        made = services.year_end_snapshot(year=year)
        return Response({"year": year, "created": made}, status=201 if made else 200)
