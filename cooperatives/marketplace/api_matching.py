"""Suggested volunteers for a request through the API: for the requester, and for coordinators
and the neighbourhood assistants of the requester's buurt."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from cooperatives.marketplace import selectors
from cooperatives.marketplace.matching import Suggestion, suggest_volunteers
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES
from shared.permissions import HasAction

MAX_LIMIT = 50


class SuggestionSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    neighbourhood_name = serializers.CharField(
        source="member.neighbourhood.name", allow_null=True, default=None
    )
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class SuggestionFilterSerializer(serializers.Serializer):
    limit = serializers.IntegerField(required=False, default=10, min_value=1, max_value=MAX_LIMIT)


class RequestSuggestionsView(ListAPIView):
    serializer_class = SuggestionSerializer
    permission_classes = [IsAuthenticated, HasAction]
    # Every member may ask; who may see the suggestions of this request is checked below.
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="request_suggestions",
        summary="Voorgestelde vrijwilligers voor een hulpvraag, de beste eerst, met de redenen",
        parameters=[
            OpenApiParameter(
                "limit", int, description=f"Hoeveel voorstellen (1 tot {MAX_LIMIT}, standaard 10)"
            )
        ],
        responses={200: SuggestionSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> list[Suggestion]:
        help_request = selectors.request_get(pk=self.kwargs["pk"])
        if help_request is None:
            raise NotFound
        viewer = permissions.current_member(self.request)
        if viewer.pk != help_request.requester_id and not permissions.can(
            viewer, "service.coordinate", about=help_request.requester
        ):
            raise PermissionDenied
        params = SuggestionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return suggest_volunteers(request=help_request, limit=params.validated_data["limit"])
