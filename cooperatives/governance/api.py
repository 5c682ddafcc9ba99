"""Bodies, seats and the statutes' settings through the API: every member reads them; the
board fills and ends seats, starts project groups and keeps the statutes. The governance
services do all checking; their refusals come back in the structured error shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.governance import selectors, services
from cooperatives.governance.models import Body, Decision
from cooperatives.governance.serializers import (
    BodySerializer,
    ProjectGroupCreateSerializer,
    SeatCreateSerializer,
    SeatEndSerializer,
    SeatSerializer,
    StatutesSerializer,
)
from cooperatives.members.models import Member
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView
from shared.validation import field_error

ERRORS = ERROR_RESPONSES
NOT_FOUND = {404: ErrorResponseSerializer}


def _bodies_data() -> list[dict[str, Any]]:
    overview = selectors.bodies_overview()
    context = {"seats": {body.pk: seats for body, seats in overview}}
    return [dict(BodySerializer(body, context=context).data) for body, _seats in overview]


def _one(model: type[Any], pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise field_error(field, message, "does_not_exist")
    return found


class BodyListView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "governance.view", "POST": "seat.manage"}

    @extend_schema(
        operation_id="governance_body_list",
        summary="De organen met wie er vandaag een zetel heeft",
        responses={200: BodySerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(_bodies_data())

    @extend_schema(
        operation_id="governance_project_group_create",
        summary="Een projectgroep oprichten",
        request=ProjectGroupCreateSerializer,
        responses={201: BodySerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ProjectGroupCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = services.body_create_project_group(
            actor=self.member, name=serializer.validated_data["name"]
        )
        data = BodySerializer(body, context={"seats": {}}).data
        return Response(data, status=status.HTTP_201_CREATED)


class SeatCreateView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "seat.manage"}

    @extend_schema(
        operation_id="governance_seat_create",
        summary="Een lid een zetel geven voor een termijn",
        request=SeatCreateSerializer,
        responses={201: SeatSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = SeatCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        body = _one(Body, data["body"], "body", _("Dit orgaan bestaat niet."))
        member = _one(Member, data["member"], "member", _("Dit lid bestaat niet."))
        decision = _one(Decision, data.get("decision"), "decision", _("Dit besluit bestaat niet."))
        seat = services.seat_assign(
            actor=self.member,
            body=body,
            member=member,
            position=data["position"],
            start=data["start"],
            end=data.get("end"),
            decision=decision,
        )
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)


class SeatDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "governance.view", "PATCH": "seat.manage"}

    @extend_schema(
        operation_id="governance_seat_retrieve",
        summary="Eén zetel met zijn termijn",
        responses={200: SeatSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(SeatSerializer(self.found(selectors.seat_get(pk=pk))).data)

    @extend_schema(
        operation_id="governance_seat_end",
        summary="De termijn beëindigen (de eerste dag zonder zetel)",
        request=SeatEndSerializer,
        responses={200: SeatSerializer, **ERRORS, **NOT_FOUND},
    )
    def patch(self, request: Request, pk: int) -> Response:
        seat = self.found(selectors.seat_get(pk=pk))
        serializer = SeatEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        seat = services.seat_end(actor=self.member, seat=seat, end=serializer.validated_data["end"])
        if seat.pk is None:  # ended on its first day: withdrawn
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(SeatSerializer(selectors.seat_get(pk=seat.pk)).data)


class StatutesView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "governance.view", "PATCH": "statutes.edit"}

    @extend_schema(
        operation_id="governance_statutes_retrieve",
        summary="De instellingen van de statuten",
        responses={200: StatutesSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(StatutesSerializer(selectors.statutes_current()).data)

    @extend_schema(
        operation_id="governance_statutes_update",
        summary="De instellingen van de statuten wijzigen (alleen wat u meestuurt)",
        request=StatutesSerializer,
        responses={200: StatutesSerializer, **ERRORS},
    )
    def patch(self, request: Request) -> Response:
        serializer = StatutesSerializer(
            selectors.statutes_current(), data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        statutes = services.statutes_update(actor=self.member, changes=serializer.validated_data)
        return Response(StatutesSerializer(statutes).data)
