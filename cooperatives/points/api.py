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
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members.models import Member
from cooperatives.points import selectors, services
from cooperatives.points.filters import IgnoreInvalidFilterBackend, SnapshotFilter
from cooperatives.points.models import Account, Posting, Transfer, YearEndSnapshot
from cooperatives.points.serializers import (
    RECENT,
    AccountSerializer,
    CorrectionSerializer,
    DonationSerializer,
    GiftSerializer,
    GrantSerializer,
    MyPointsSerializer,
    OverviewSerializer,
    ReverseSerializer,
    SnapshotInSerializer,
    SnapshotMadeSerializer,
    SnapshotSerializer,
    StatementRowSerializer,
    TransferSerializer,
)
from cooperatives.rules.selectors import rulebook_current
from shared.api.exceptions import ERROR_RESPONSES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView


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


def _booking_schema(
    operation_id: str, summary: str, body: type[serializers.Serializer]
) -> Callable[..., Any]:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=body,
        responses={201: TransferSerializer, 200: TransferSerializer, **ERROR_RESPONSES},
    )


class MyPointsView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "points.use"}

    @extend_schema(
        operation_id="points_me",
        summary="Mijn saldo, de grenzen uit de spelregels en mijn laatste boekingen",
        responses={200: MyPointsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        member = self.member
        account = selectors.account_of(member=member)
        rulebook = rulebook_current()
        data = {
            "balance": account.balance if account else selectors.ZERO,
            "min_balance": rulebook.min_balance if rulebook else None,
            "max_balance": rulebook.max_balance if rulebook else None,
            "starter_points": rulebook.starter_points if rulebook else None,
            "pending_count": selectors.pending_for(member=member).count(),
            "recent": selectors.statement(member=member)[:RECENT],
        }
        return Response(MyPointsSerializer(data).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="points_statement",
        summary="Mijn boekingen, nieuwste eerst",
        responses={200: StatementRowSerializer(many=True), **ERROR_RESPONSES},
    )
)
class StatementView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "points.use"}
    serializer_class = StatementRowSerializer

    def get_queryset(self) -> QuerySet[Posting]:
        return selectors.statement(member=self.member)


class GiftView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.use"}

    @_booking_schema(
        "points_gift",
        "Punten geven aan een ander lid (van een organisatie: als dank)",
        GiftSerializer,
    )
    def post(self, request: Request) -> Response:
        data = _input(GiftSerializer, request)
        return _booked(
            lambda: services.points_gift(
                giver=self.member,
                receiver=data["receiver"],
                amount=data["amount"],
                memo=data["memo"],
                key=data["idempotency_key"],
            )
        )


class DonationView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.use"}

    @_booking_schema("points_donation", "Punten geven aan de solidariteitspot", DonationSerializer)
    def post(self, request: Request) -> Response:
        data = _input(DonationSerializer, request)
        return _booked(
            lambda: services.points_donate(
                member=self.member, amount=data["amount"], key=data["idempotency_key"]
            )
        )


class GrantView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.grant"}

    @_booking_schema(
        "points_grant", "Punten uit de solidariteitspot toekennen (coördinator)", GrantSerializer
    )
    def post(self, request: Request) -> Response:
        data = _input(GrantSerializer, request)
        return _booked(
            lambda: services.points_grant(
                actor=self.member,
                member=data["member"],
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        )


class CorrectionView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.correct"}

    @_booking_schema(
        "points_correction", "Een saldo corrigeren, met een reden (bestuur)", CorrectionSerializer
    )
    def post(self, request: Request) -> Response:
        data = _input(CorrectionSerializer, request)
        return _booked(
            lambda: services.points_correct(
                actor=self.member,
                account=services.account_open(member=data["member"]),
                amount=data["amount"],
                reason=data["reason"],
                key=data["idempotency_key"],
            )
        )


class ReverseView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.correct"}

    @_booking_schema(
        "points_reverse",
        "Een overboeking terugdraaien met een spiegelende overboeking (bestuur)",
        ReverseSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        transfer = self.found(selectors.transfer_get(pk=pk))
        data = _input(ReverseSerializer, request)
        return _booked(
            lambda: services.transfer_reverse(
                actor=self.member, transfer=transfer, reason=data["reason"]
            )
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="points_pending",
        summary="Betalingen voor diensten die op mijn goedkeuring wachten (ik ben geholpen)",
        responses={200: TransferSerializer(many=True), **ERROR_RESPONSES},
    )
)
class PendingListView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "points.use"}
    serializer_class = TransferSerializer

    def get_queryset(self) -> QuerySet[Transfer]:
        return selectors.pending_for(member=self.member)


def _decide(view: CooperativeAPIView[Member], pk: int, *, approve: bool) -> Response:
    """Approve or reject a payment for a service the viewer was helped with (another's: 404)."""
    member = view.member
    transfer = view.found(selectors.service_payments_to_decide(member=member).filter(pk=pk).first())
    decided = services.transfer_decide(actor=member, transfer=transfer, approve=approve)
    return Response(TransferSerializer(decided).data)


class PendingApproveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.use"}

    @extend_schema(
        operation_id="points_pending_approve",
        summary="Een betaling goedkeuren: de punten worden geboekt",
        request=None,
        responses={200: TransferSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _decide(self, pk, approve=True)


class PendingRejectView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "points.use"}

    @extend_schema(
        operation_id="points_pending_reject",
        summary="Een betaling afwijzen: er wordt niets geboekt",
        request=None,
        responses={200: TransferSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        return _decide(self, pk, approve=False)


class OverviewView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "points.overview"}

    @extend_schema(
        operation_id="points_overview",
        summary="Punten in omloop tegenover de uitgifte (bestuur, kascommissie)",
        responses={200: OverviewSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        data = {**selectors.circulation(), "pending_count": selectors.pending_all().count()}
        return Response(OverviewSerializer(data).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="points_accounts",
        summary="Alle rekeningen met hun saldo (bestuur, kascommissie)",
        responses={200: AccountSerializer(many=True), **ERROR_RESPONSES},
    )
)
class AccountListView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "points.overview"}
    serializer_class = AccountSerializer

    def get_queryset(self) -> QuerySet[Account]:
        return selectors.accounts_with_holders()


@extend_schema_view(
    get=extend_schema(
        operation_id="points_snapshots",
        summary="Jaarstanden per rekening, nieuwste jaar eerst",
        responses={200: SnapshotSerializer(many=True), **ERROR_RESPONSES},
    )
)
class SnapshotView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "points.overview", "POST": "points.overview"}
    serializer_class = SnapshotSerializer
    queryset = YearEndSnapshot.objects.none()  # the model, for the schema; rows: get_queryset
    filter_backends = [IgnoreInvalidFilterBackend]
    filterset_class = SnapshotFilter

    def get_queryset(self) -> QuerySet[YearEndSnapshot]:
        return selectors.snapshots()

    @extend_schema(
        operation_id="points_snapshot_take",
        summary="De jaarstand van een voorbij jaar vastleggen (een vastgelegde stand blijft)",
        request=SnapshotInSerializer,
        responses={201: SnapshotMadeSerializer, 200: SnapshotMadeSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        year = _input(SnapshotInSerializer, request)["year"]
        made = services.year_end_snapshot_take(year=year)
        return Response({"year": year, "created": made}, status=201 if made else 200)
