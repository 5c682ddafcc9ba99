"""Meetings through the API: the meetings a member may see with their agenda, RSVP, online
votes (a secret one answers with its receipt code), and for the secretary new agenda items and
each item's result. The services do all checking; refusals come in the structured shape."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.meetings import selectors, services
from cooperatives.meetings.models import AgendaItem, Meeting
from cooperatives.meetings.serializers import (
    AgendaItemCreateSerializer,
    AgendaItemSerializer,
    MeetingDecisionSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    ResultSerializer,
    RsvpSerializer,
    VoteReceiptSerializer,
    VoteSerializer,
)
from cooperatives.members.models import Member
from shared.api.exceptions import ERROR_RESPONSES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView


class MeetingListView(CooperativeListAPIView[Member]):
    serializer_class = MeetingSerializer
    permission_actions = {"GET": "meeting.view"}

    @extend_schema(operation_id="meeting_list", summary="Vergaderingen die het lid kan zien")
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.meetings_for(viewer=self.member)


class MeetingDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "meeting.view"}

    @extend_schema(
        operation_id="meeting_detail",
        summary="Een vergadering met haar agenda",
        responses={200: MeetingDetailSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = self.found(selectors.meeting_get(viewer=self.member, pk=pk))
        return Response(MeetingDetailSerializer(meeting).data)


class MeetingRsvpView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "meeting.rsvp"}

    @extend_schema(
        operation_id="meeting_rsvp",
        summary="Laten weten of u komt",
        request=RsvpSerializer,
        responses={200: RsvpSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.found(selectors.meeting_get(viewer=self.member, pk=pk))
        serializer = RsvpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rsvp = services.rsvp_set(
            actor=self.member, meeting=meeting, answer=serializer.validated_data["answer"]
        )
        return Response({"answer": rsvp.answer})


class AgendaItemListView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "meeting.view", "POST": "meeting.manage"}

    @extend_schema(
        operation_id="meeting_items",
        summary="De agenda",
        responses={200: AgendaItemSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = self.found(selectors.meeting_get(viewer=self.member, pk=pk))
        return Response(AgendaItemSerializer(selectors.agenda(meeting=meeting), many=True).data)

    @extend_schema(
        operation_id="meeting_item_add",
        summary="Een agendapunt toevoegen",
        request=AgendaItemCreateSerializer,
        responses={201: AgendaItemSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = self.found(selectors.meeting_get(viewer=self.member, pk=pk))
        serializer = AgendaItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_add(
            actor=self.member, meeting=meeting, **serializer.validated_data
        )
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


def _whom(item: AgendaItem, member: Member, pk: int | None) -> Member | None:
    if pk is None or pk == member.pk:
        return None
    proxy = selectors.proxies_held_by(meeting=item.meeting, member=member).filter(grantor_id=pk)
    found = proxy.first()
    if found is not None:
        return found.grantor
    other = Member.objects.filter(pk=pk, status=Member.Status.ACTIVE).first()
    if other is None:
        raise NotFound
    return other  # the service refuses: no proxy from this member


class VoteView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "meeting.vote"}

    @extend_schema(
        operation_id="meeting_vote",
        summary="Online stemmen (geheim: met bewijscode)",
        request=VoteSerializer,
        responses={201: VoteReceiptSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.found(selectors.item_get(viewer=self.member, pk=pk))
        serializer = VoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choice = serializer.validated_data["choice"]
        whom = _whom(item, self.member, serializer.validated_data["for_member"])
        if item.vote_mode == AgendaItem.VoteMode.SECRET:
            code = services.ballot_cast_secret(
                actor=self.member, item=item, choice=choice, for_member=whom
            )
            return Response({"receipt_code": code}, status=status.HTTP_201_CREATED)
        services.vote_cast_open(actor=self.member, item=item, choice=choice, for_member=whom)
        return Response({"choice": choice}, status=status.HTTP_201_CREATED)


class ResultView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "meeting.manage"}

    @extend_schema(
        operation_id="meeting_item_result",
        summary="De uitslag van een agendapunt vastleggen",
        request=ResultSerializer,
        responses={201: MeetingDecisionSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        item = self.found(selectors.item_get(viewer=self.member, pk=pk))
        serializer = ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.item_record_result(
            actor=self.member, item=item, **serializer.validated_data
        )
        return Response(MeetingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
