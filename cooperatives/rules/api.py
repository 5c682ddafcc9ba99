"""House rules and rates through the API: every version readable by members; the board
previews and makes the next version. The rules service does all checking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members.models import Member
from cooperatives.rules import selectors, services
from cooperatives.rules.models import Rulebook
from cooperatives.rules.serializers import (
    RulebookPreviewRequestSerializer,
    RulebookPreviewSerializer,
    RulebookRevisionSerializer,
    RulebookSerializer,
)
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = ERROR_RESPONSES
NOT_FOUND = {404: ErrorResponseSerializer}


def _rulebook_data(rulebook: Rulebook) -> dict[str, object]:
    return RulebookSerializer(rulebook, context=selectors.rulebook_reading_context()).data


@extend_schema_view(
    get=extend_schema(operation_id="rulebook_list", summary="Alle versies, nieuwste eerst")
)
class RulebookListCreateView(CooperativeListAPIView[Member]):
    serializer_class = RulebookSerializer
    permission_actions = {"GET": "rulebook.view", "POST": "rulebook.edit"}

    def get_queryset(self) -> QuerySet[Rulebook]:
        return selectors.rulebook_history()

    def get_serializer_context(self) -> dict[str, object]:
        return {**super().get_serializer_context(), **selectors.rulebook_reading_context()}

    @extend_schema(
        operation_id="rulebook_create",
        summary="De volgende versie vaststellen",
        request=RulebookRevisionSerializer,
        responses={201: RulebookSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = RulebookRevisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rulebook = services.rulebook_adopt(
            actor=self.member,
            based_on=serializer.validated_data.get("based_on_version"),
            adopting=serializer.adopting(),
            **serializer.arguments(),
        )
        return Response(_rulebook_data(rulebook), status=status.HTTP_201_CREATED)


class RulebookCurrentView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "rulebook.view"}

    @extend_schema(
        operation_id="rulebook_current",
        summary="De versie die vandaag geldt",
        responses={200: RulebookSerializer, **NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        rulebook = selectors.rulebook_current()
        if rulebook is None:
            raise NotFound(_("Er gelden nog geen spelregels."))
        return Response(_rulebook_data(rulebook))


class RulebookDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "rulebook.view"}

    @extend_schema(
        operation_id="rulebook_retrieve",
        summary="Eén versie, zoals zij is vastgesteld",
        responses={200: RulebookSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, version: int) -> Response:
        rulebook = self.found(selectors.rulebook_get(version=version))
        return Response(_rulebook_data(rulebook))


class RulebookPreviewView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "rulebook.edit"}

    @extend_schema(
        operation_id="rulebook_preview",
        summary="Wat een nieuwe versie zou veranderen, zonder iets op te slaan",
        request=RulebookPreviewRequestSerializer,
        responses={200: RulebookPreviewSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = RulebookPreviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        diff = services.rulebook_preview(**serializer.arguments())
        latest, current = selectors.rulebook_latest(), selectors.rulebook_current()
        data = {
            "next_version": (latest.version + 1) if latest else 1,
            "current_version": current.version if current else None,
            "changes": selectors.rulebook_diff_readable(changes=diff),
        }
        return Response(RulebookPreviewSerializer(data).data)
