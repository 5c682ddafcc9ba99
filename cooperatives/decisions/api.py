"""The decisions register and the minutes through the API: every member reads the register
and approved minutes; the secretary (or chair) records decisions and corrections and keeps the
minutes. There is no way to change or delete a decision: a correction is a new decision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.decisions import selectors, services
from cooperatives.decisions.serializers import (
    CorrectionWriteSerializer,
    DecisionSerializer,
    DecisionWriteSerializer,
    MinutesApproveSerializer,
    MinutesSerializer,
    MinutesWriteSerializer,
)
from cooperatives.governance import services as governance
from cooperatives.governance.models import Decision, Minutes
from cooperatives.members.models import Member
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = ERROR_RESPONSES
NOT_FOUND = {404: ErrorResponseSerializer}
WRITE_ERRORS = {**ERRORS, **NOT_FOUND}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _decision_out(decision: Decision) -> dict[str, Any]:
    found = selectors.register_list().get(pk=decision.pk)
    return dict(DecisionSerializer(found).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="decision_list",
        summary="De besluitenlijst, nieuwste eerst",
        parameters=[
            OpenApiParameter("year", int, description="alleen besluiten van dit jaar"),
            OpenApiParameter("body", int, description="alleen besluiten van dit orgaan (id)"),
        ],
    )
)
class DecisionListView(CooperativeListAPIView[Member]):
    serializer_class = DecisionSerializer
    permission_actions = {"GET": "governance.view", "POST": "decision.record"}

    def get_queryset(self) -> QuerySet[Decision]:
        qs = selectors.register_list(year=_int(self.request.query_params.get("year")))
        body = _int(self.request.query_params.get("body"))
        return qs.filter(body_id=body) if body is not None else qs

    @extend_schema(
        operation_id="decision_create",
        summary="Een besluit vastleggen (buiten een vergadering, of achteraf)",
        request=DecisionWriteSerializer,
        responses={201: DecisionSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = DecisionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = governance.decision_record(actor=self.member, **serializer.arguments())
        return Response(_decision_out(decision), status=status.HTTP_201_CREATED)


class DecisionDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "governance.view"}

    @extend_schema(
        operation_id="decision_retrieve",
        summary="Eén besluit, met wat het in werking bracht",
        responses={200: DecisionSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        decision = self.found(selectors.decision_get_by_number(number=number))
        return Response(_decision_out(decision))


class DecisionCorrectView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "decision.record"}

    @extend_schema(
        operation_id="decision_correct",
        summary="Een correctie vastleggen: een nieuw besluit dat dit besluit corrigeert",
        request=CorrectionWriteSerializer,
        responses={201: DecisionSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, number: str) -> Response:
        corrects = self.found(selectors.decision_get_by_number(number=number))
        serializer = CorrectionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.decision_correct(
            actor=self.member, corrects=corrects, **serializer.arguments()
        )
        return Response(_decision_out(decision), status=status.HTTP_201_CREATED)


# --- minutes -------------------------------------------------------------------------------------


def _minutes_out(minutes: Minutes) -> dict[str, Any]:
    found = selectors.minutes_get(pk=minutes.pk)
    return dict(MinutesSerializer(found).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="minutes_list",
        summary="Notulen: vastgestelde voor ieder lid, ook concepten voor de secretaris",
    )
)
class MinutesListView(CooperativeListAPIView[Member]):
    serializer_class = MinutesSerializer
    permission_actions = {"GET": "governance.view", "POST": "minutes.manage"}

    def get_queryset(self) -> QuerySet[Minutes]:
        can_manage = permissions.can(self.member, "minutes.manage")
        return selectors.minutes_for_reader(can_manage=can_manage).prefetch_related("decisions")

    @extend_schema(
        operation_id="minutes_create",
        summary="Concept-notulen schrijven",
        request=MinutesWriteSerializer,
        responses={201: MinutesSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = MinutesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        minutes = governance.minutes_save(actor=self.member, **serializer.validated_data)
        return Response(_minutes_out(minutes), status=status.HTTP_201_CREATED)


class _MinutesView(CooperativeAPIView[Member]):
    def minutes(self, pk: int) -> Minutes:
        minutes = self.found(selectors.minutes_get(pk=pk))
        if minutes.status != Minutes.Status.APPROVED and not permissions.can(
            self.member, "minutes.manage"
        ):
            return self.found(None)
        return minutes


class MinutesDetailView(_MinutesView):
    permission_actions = {"GET": "governance.view", "PATCH": "minutes.manage"}

    @extend_schema(
        operation_id="minutes_retrieve",
        summary="Eén set notulen",
        responses={200: MinutesSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_minutes_out(self.minutes(pk)))

    @extend_schema(
        operation_id="minutes_update",
        summary="Concept-notulen bewerken (vastgestelde veranderen niet meer)",
        request=MinutesWriteSerializer,
        responses={200: MinutesSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        minutes = self.minutes(pk)
        serializer = MinutesWriteSerializer(
            data={
                "body": minutes.body_id,
                "held_on": minutes.held_on,
                "text": minutes.text,
                **request.data,
            }
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = governance.minutes_save(
            actor=self.member,
            body=minutes.body,
            held_on=data["held_on"],
            text=data["text"],
            minutes=minutes,
        )
        return Response(_minutes_out(saved))


class MinutesSendView(_MinutesView):
    permission_actions = {"POST": "minutes.manage"}

    @extend_schema(
        operation_id="minutes_send",
        summary="Notulen markeren als verstuurd (met de oproep voor de volgende vergadering)",
        request=None,
        responses={200: MinutesSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        minutes = governance.minutes_send(actor=self.member, minutes=self.minutes(pk))
        return Response(_minutes_out(minutes))


class MinutesApproveView(_MinutesView):
    permission_actions = {"POST": "minutes.manage"}

    @extend_schema(
        operation_id="minutes_approve",
        summary="Notulen vaststellen bij een besluit: de besluiten erin veranderen niet meer",
        request=MinutesApproveSerializer,
        responses={200: MinutesSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        minutes = self.minutes(pk)
        serializer = MinutesApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approved = services.minutes_approve_by_decision(
            actor=self.member, minutes=minutes, **serializer.validated_data
        )
        return Response(_minutes_out(approved))
