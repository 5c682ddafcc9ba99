"""Requests, offers, "ik help", accepting, the coordinator board and a member's settings
through the API: the same selectors and services as the pages, so the same house rules, the
same Dutch messages and the same scope.

The service lifecycle through the API: the same selector and services as the pages, so the
same people see a service (others get 404) and the same Dutch refusals come back.

Suggested volunteers for a request through the API: for the requester, and for coordinators
and the neighbourhood assistants of the requester's buurt."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives.marketplace import selectors, services
from cooperatives.marketplace.matching import Suggestion, suggest_volunteers
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    MemberSettings,
    Offer,
    Reach,
    Service,
)
from cooperatives.marketplace.views import address_visible, service_or_404
from cooperatives.members.models import AVAILABILITY_CHOICES, DAY_PARTS, Member
from cooperatives.setup.models import Cluster
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES
from shared.permissions import HasAction

# --- from api_requests ------------------------------------------------------------

ERRORS = ERROR_RESPONSES
# What only the requester, the matched volunteer and coordinators see of a request.
PRIVATE_FIELDS = ("requester", "requester_name", "street", "house_number", "postcode")


class MarketplacePagination(PageNumberPagination):
    page_size = 50


class _View(APIView):
    permission_classes = [IsAuthenticated, HasAction]

    @property
    def viewer(self) -> Member:
        return permissions.current_member(self.request)

    def visible_request(self, pk: int) -> HelpRequest:
        """A request the viewer may see; anything else (and another cooperative's id) 404."""
        help_request = selectors.request_visible(viewer=self.viewer, pk=pk)
        if help_request is None:
            raise NotFound
        return help_request

    def managed_request(self, pk: int) -> HelpRequest:
        """A request the viewer may handle (requester, coordinator, assistant of the buurt);
        seen but not theirs to handle: 403."""
        help_request = self.visible_request(pk)
        if not selectors.may_manage_request(viewer=self.viewer, request=help_request):
            raise PermissionDenied(HasAction.message)
        return help_request

    def managed_offer(self, pk: int) -> Offer:
        offer = selectors.offer_visible(viewer=self.viewer, pk=pk)
        if offer is None:
            raise NotFound
        if not selectors.may_manage_offer(viewer=self.viewer, offer=offer):
            raise PermissionDenied(HasAction.message)
        return offer


# --- what goes out -----------------------------------------------------------------------------


class HelpRequestRowSerializer(serializers.ModelSerializer):
    """A request as the marketplace shows it: the buurt, never the address."""

    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    # Plain strings in the schema: other "status" fields have other values.
    status = serializers.CharField(
        read_only=True, help_text="open, matched, closed, expired of cancelled"
    )
    compensation = serializers.CharField(read_only=True, help_text="free, euros, points of both")
    preferred_parts = serializers.ListField(
        child=serializers.ChoiceField(DAY_PARTS), read_only=True
    )

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "title",
            "cluster",
            "cluster_name",
            "compensation",
            "neighbourhood",
            "neighbourhood_name",
            "preferred_dates",
            "preferred_parts",
            "expected_hours",
            "repeats_weekly",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class HelpRequestDetailSerializer(HelpRequestRowSerializer):
    """One request. The requester and the exact address are null unless the viewer is the
    requester, the matched volunteer or a coordinator."""

    requester = serializers.IntegerField(source="requester_id", allow_null=True, read_only=True)
    requester_name = serializers.CharField(source="requester.name", allow_null=True, read_only=True)
    street = serializers.CharField(allow_null=True, read_only=True)
    house_number = serializers.CharField(allow_null=True, read_only=True)
    postcode = serializers.CharField(allow_null=True, read_only=True)
    created_by_other = serializers.SerializerMethodField(
        help_text="gevraagd door een coördinator of buurtassistent"
    )

    class Meta(HelpRequestRowSerializer.Meta):
        fields = [
            *HelpRequestRowSerializer.Meta.fields,
            "description",
            "network_checked",
            "created_by_other",
            *PRIVATE_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_created_by_other(self, help_request: HelpRequest) -> bool:
        return help_request.created_by_id != help_request.requester_id


def _request_out(help_request: HelpRequest, viewer: Member) -> dict[str, Any]:
    data = HelpRequestDetailSerializer(help_request).data
    if not selectors.may_see_address(viewer=viewer, request=help_request):
        data.update(dict.fromkeys(PRIVATE_FIELDS))
    return data


class HelpResponseSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="volunteer.neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    status = serializers.CharField(read_only=True, help_text="waiting, accepted of not_chosen")

    class Meta:
        model = HelpResponse
        fields = [
            "id",
            "request",
            "volunteer",
            "volunteer_name",
            "neighbourhood_name",
            "message",
            "status",
            "created_at",
        ]
        read_only_fields = fields


class PlannedServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    volunteer = serializers.IntegerField(source="volunteer_id")
    volunteer_name = serializers.CharField(source="volunteer.name")
    date = serializers.DateField()
    start_time = serializers.TimeField()
    planned_hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    status = serializers.CharField(help_text="planned, registered, confirmed of cancelled")


class OfferSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="volunteer.neighbourhood.name", allow_null=True, default=None, read_only=True
    )
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES), read_only=True
    )
    reach = serializers.ChoiceField(Reach.choices, read_only=True)
    status = serializers.CharField(read_only=True, help_text="active, expired of withdrawn")

    class Meta:
        model = Offer
        fields = [
            "id",
            "volunteer",
            "volunteer_name",
            "neighbourhood_name",
            "cluster",
            "cluster_name",
            "description",
            "availability",
            "reach",
            "status",
            "renew_by",
            "created_at",
        ]
        read_only_fields = fields


class BoardRequestSerializer(HelpRequestRowSerializer):
    age_days = serializers.IntegerField(read_only=True, help_text="dagen sinds de hulpvraag")
    response_count = serializers.IntegerField(read_only=True)

    class Meta(HelpRequestRowSerializer.Meta):
        fields = [*HelpRequestRowSerializer.Meta.fields, "age_days", "response_count"]
        read_only_fields = fields


class BoardServiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    request = serializers.IntegerField(source="request_id")
    request_title = serializers.CharField(source="request.title")
    requester_name = serializers.CharField(source="requester.name")
    volunteer_name = serializers.CharField(source="volunteer.name")
    date = serializers.DateField()
    registered_hours = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    feedback_due = serializers.DateField(allow_null=True)


class CoordinatorBoardSerializer(serializers.Serializer):
    open_requests = BoardRequestSerializer(many=True)
    awaiting_confirmation = BoardServiceSerializer(many=True)
    feedback_overdue = BoardServiceSerializer(many=True)


class MemberSettingsSerializer(serializers.Serializer):
    digest = serializers.ChoiceField(MemberSettings.Digest.choices)
    calendar_url = serializers.CharField(help_text="Het geheime adres van uw agenda (iCalendar)")


def _settings_out(request: Request, settings_row: MemberSettings) -> dict[str, Any]:
    url = reverse("calendar-feed", kwargs={"token": settings_row.calendar_token})
    return MemberSettingsSerializer(
        {"digest": settings_row.digest, "calendar_url": request.build_absolute_uri(url)}
    ).data


# --- what comes in (shapes only: the services check the values) --------------------------------


class RequestFilterSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(required=False, allow_null=True, default=None)
    neighbourhood = serializers.IntegerField(required=False, allow_null=True, default=None)
    date_from = serializers.DateField(required=False, allow_null=True, default=None)
    date_to = serializers.DateField(required=False, allow_null=True, default=None)


class HelpRequestCreateSerializer(serializers.Serializer):
    requester = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Het lid voor wie u hulp vraagt (coördinatoren en buurtassistenten); leeg: uzelf",
    )
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all())
    title = serializers.CharField(max_length=200, allow_blank=True)
    description = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    preferred_dates = serializers.ListField(
        child=serializers.DateField(), max_length=5, required=False, default=list
    )
    preferred_parts = serializers.ListField(
        child=serializers.ChoiceField(DAY_PARTS), required=False, default=list
    )
    expected_hours = serializers.CharField(max_length=10, help_text="Uren, bijvoorbeeld 1.5")
    street = serializers.CharField(
        max_length=120, required=False, allow_null=True, default=None, help_text="leeg: eigen adres"
    )
    house_number = serializers.CharField(
        max_length=12, required=False, allow_null=True, default=None
    )
    postcode = serializers.CharField(max_length=10, required=False, allow_null=True, default=None)
    repeats_weekly = serializers.BooleanField(required=False, default=False)
    network_checked = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Familie, vrienden en buren kunnen niet helpen (nodig bij een klus als de "
        "spelregels dat vragen)",
    )


class RequestCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


class RespondSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class AcceptSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    planned_hours = serializers.CharField(
        max_length=10,
        required=False,
        allow_null=True,
        default=None,
        help_text="leeg: de duur uit de hulpvraag",
    )


class OfferFilterSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(required=False, allow_null=True, default=None)
    neighbourhood = serializers.IntegerField(required=False, allow_null=True, default=None)


class OfferCreateSerializer(serializers.Serializer):
    cluster = serializers.PrimaryKeyRelatedField(queryset=Cluster.objects.all())
    description = serializers.CharField(max_length=4000, allow_blank=True)
    availability = serializers.ListField(
        child=serializers.ChoiceField(AVAILABILITY_CHOICES), required=False, default=list
    )
    reach = serializers.ChoiceField(Reach.choices, required=False, default=Reach.NEIGHBOURHOOD)


class DigestSerializer(serializers.Serializer):
    # A plain string: the service checks it and answers in Dutch.
    digest = serializers.CharField(max_length=10, help_text="daily, weekly of none")


# --- requests ----------------------------------------------------------------------------------


class RequestListView(ListAPIView, _View):
    serializer_class = HelpRequestRowSerializer
    queryset = HelpRequest.objects.none()  # the model, for the schema; rows: get_queryset
    pagination_class = MarketplacePagination
    permission_actions = {"GET": "marketplace.view", "POST": "request.create"}

    def get_queryset(self) -> QuerySet[HelpRequest]:
        filters = RequestFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        return selectors.request_list(
            cluster_id=values["cluster"],
            neighbourhood_id=values["neighbourhood"],
            date_from=values["date_from"],
            date_to=values["date_to"],
        )

    @extend_schema(
        operation_id="request_list",
        summary="Open hulpvragen op de markt (de buurt, nooit het adres)",
        parameters=[RequestFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="request_create",
        summary="Hulp vragen, voor uzelf of namens een lid; de spelregels gelden",
        request=HelpRequestCreateSerializer,
        responses={201: HelpRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = HelpRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        actor = self.viewer
        requester = self._requester(actor, data.pop("requester"))
        help_request = services.request_create(actor=actor, requester=requester, **data)
        return Response(
            _request_out(selectors.request_get(pk=help_request.pk), actor),
            status=status.HTTP_201_CREATED,
        )

    def _requester(self, actor: Member, pk: int | None) -> Member:
        if pk is None or pk == actor.pk:
            return actor
        if not permissions.can(actor, "request.create_on_behalf"):
            raise PermissionDenied(HasAction.message)
        member = selectors.on_behalf_candidates(viewer=actor).filter(pk=pk).first()
        if member is None:
            raise ValidationError(
                {"requester": [serializers.ErrorDetail("Onbekend lid.", code="does_not_exist")]}
            )
        return member


class RequestDetailView(_View):
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="request_get",
        summary="Eén hulpvraag; het adres alleen voor wie het mag zien",
        responses={200: HelpRequestDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_request_out(self.visible_request(pk), self.viewer))


class RequestCancelView(_View):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="request_cancel",
        summary="Een hulpvraag intrekken (een geplande afspraak gaat niet door)",
        request=RequestCancelSerializer,
        responses={200: HelpRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        help_request = self.managed_request(pk)
        serializer = RequestCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.request_cancel(
            actor=self.viewer, request=help_request, **serializer.validated_data
        )
        return Response(_request_out(selectors.request_get(pk=pk), self.viewer))


class RequestResponsesView(ListAPIView, _View):
    serializer_class = HelpResponseSerializer
    queryset = HelpResponse.objects.none()
    pagination_class = MarketplacePagination
    # Reading: the requester, coordinators and assistants of the buurt (checked below).
    permission_actions = {"GET": "marketplace.view", "POST": "request.respond"}

    def get_queryset(self) -> QuerySet[HelpResponse]:
        return selectors.responses_for(request=self.managed_request(self.kwargs["pk"]))

    @extend_schema(
        operation_id="request_responses",
        summary="De vrijwilligers die willen helpen (voor de hulpvrager en coördinatoren)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="request_respond",
        summary='"Ik help": laten weten dat u wilt helpen',
        request=RespondSerializer,
        responses={201: HelpResponseSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        help_request = self.visible_request(pk)
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.response_create(
            volunteer=self.viewer, request=help_request, **serializer.validated_data
        )
        return Response(HelpResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ResponseAcceptView(_View):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="response_accept",
        summary="Een vrijwilliger accepteren en de eerste afspraak plannen",
        request=AcceptSerializer,
        responses={201: PlannedServiceSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        response = selectors.response_visible(viewer=self.viewer, pk=pk)
        if response is None:
            raise NotFound
        if not selectors.may_manage_request(viewer=self.viewer, request=response.request):
            raise PermissionDenied(HasAction.message)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service = services.response_accept(
            actor=self.viewer, response=response, **serializer.validated_data
        )
        return Response(PlannedServiceSerializer(service).data, status=status.HTTP_201_CREATED)


# --- offers ------------------------------------------------------------------------------------


class OfferListView(ListAPIView, _View):
    serializer_class = OfferSerializer
    queryset = Offer.objects.none()
    pagination_class = MarketplacePagination
    permission_actions = {"GET": "marketplace.view", "POST": "offer.create"}

    def get_queryset(self) -> QuerySet[Offer]:
        filters = OfferFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.offer_list(
            cluster_id=filters.validated_data["cluster"],
            neighbourhood_id=filters.validated_data["neighbourhood"],
        )

    @extend_schema(
        operation_id="offer_list",
        summary="Actief aanbod van vrijwilligers",
        parameters=[OfferFilterSerializer],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="offer_create",
        summary="Hulp aanbieden",
        request=OfferCreateSerializer,
        responses={201: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        offer = services.offer_create(actor=self.viewer, **serializer.validated_data)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferRenewView(_View):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="offer_renew",
        summary="Aanbod verlengen",
        request=None,
        responses={200: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_renew(actor=self.viewer, offer=self.managed_offer(pk))
        return Response(OfferSerializer(offer).data)


class OfferWithdrawView(_View):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="offer_withdraw",
        summary="Aanbod intrekken",
        request=None,
        responses={200: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_withdraw(actor=self.viewer, offer=self.managed_offer(pk))
        return Response(OfferSerializer(offer).data)


# --- the coordinator board and settings --------------------------------------------------------


class BoardView(_View):
    permission_actions = {"GET": "marketplace.board"}

    @extend_schema(
        operation_id="marketplace_board",
        summary="Coördinatie: open hulpvragen per buurt, uren te bevestigen, terugkoppeling te "
        "laat (een buurtassistent: alleen de eigen buurten)",
        responses={200: CoordinatorBoardSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        board = selectors.coordinator_board(viewer=self.viewer)
        return Response(CoordinatorBoardSerializer(board).data)


class SettingsView(_View):
    permission_actions = {"GET": "self.view", "PATCH": "self.view"}

    @extend_schema(
        operation_id="member_settings_get",
        summary="Uw instellingen: overzicht per e-mail en agenda-adres",
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(_settings_out(request, services.member_settings(member=self.viewer)))

    @extend_schema(
        operation_id="member_settings_update",
        summary="Kiezen hoe vaak u een overzicht van nieuwe hulpvragen krijgt",
        request=DigestSerializer,
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def patch(self, request: Request) -> Response:
        serializer = DigestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settings_row = services.digest_set(member=self.viewer, **serializer.validated_data)
        return Response(_settings_out(request, settings_row))


class SettingsRenewCalendarView(_View):
    permission_actions = {"POST": "self.view"}

    @extend_schema(
        operation_id="member_settings_renew_calendar",
        summary="Een nieuw agenda-adres; het oude werkt meteen niet meer",
        request=None,
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        settings_row = services.calendar_token_renew(member=self.viewer)
        return Response(_settings_out(request, settings_row))


# --- from api_services ------------------------------------------------------------

ACTIONS = ["move", "cancel", "register", "confirm", "feedback"]
NOT_ALLOWED = _("U mag dit bij deze dienst niet doen.")


class ServicePagination(PageNumberPagination):
    page_size = 50


# --- what goes out -----------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    """A service as its members and coordinators see it. The exact address is empty for the
    volunteer of a cancelled service (they see the buurt)."""

    title = serializers.CharField(source="request.title", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)
    street = serializers.CharField(source="request.street", read_only=True)
    house_number = serializers.CharField(source="request.house_number", read_only=True)
    postcode = serializers.CharField(source="request.postcode", read_only=True)
    neighbourhood_name = serializers.CharField(
        source="request.neighbourhood.name", allow_null=True, read_only=True, default=None
    )
    status = serializers.CharField(
        read_only=True, help_text="planned, registered, confirmed of cancelled"
    )
    compensation = serializers.CharField(
        read_only=True, help_text="free, euros, points of both (uit de eigen spelregels)"
    )
    rulebook_version = serializers.IntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )
    rates = serializers.SerializerMethodField(
        help_text="Per soort (euros, points) wat één uur oplevert, volgens de eigen spelregels"
    )
    actions = serializers.SerializerMethodField(help_text="Wat u nu met deze dienst kunt doen")

    ADDRESS = ("street", "house_number", "postcode")

    class Meta:
        model = Service
        fields = [
            "id",
            "request",
            "title",
            "cluster",
            "cluster_name",
            "requester",
            "requester_name",
            "volunteer",
            "volunteer_name",
            "date",
            "start_time",
            "planned_hours",
            "street",
            "house_number",
            "postcode",
            "neighbourhood_name",
            "status",
            "compensation",
            "rulebook_version",
            "rates",
            "cancel_reason",
            "registered_hours",
            "registered_at",
            "confirmed_at",
            "rating",
            "feedback",
            "feedback_at",
            "feedback_due",
            "actions",
        ]
        read_only_fields = fields

    def to_representation(self, service: Service) -> dict[str, Any]:
        data = super().to_representation(service)
        if not address_visible(self.context["viewer"], service):
            data.update(dict.fromkeys(self.ADDRESS, ""))
        return data

    @extend_schema_field(
        serializers.DictField(child=serializers.DecimalField(max_digits=9, decimal_places=2))
    )
    def get_rates(self, service: Service) -> dict[str, str]:
        rates = selectors.compensation_amounts(service=service, hours=Decimal("1"))
        return {kind: str(rate) for kind, (rate, _share) in rates.items()}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ACTIONS)))
    def get_actions(self, service: Service) -> list[str]:
        actor = self.context["viewer"]
        return sorted(services.service_actions(actor=actor, service=service))


class DueSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="points of euros")
    status = serializers.CharField(read_only=True, help_text="owed of settled")
    payer_name = serializers.CharField(source="payer.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    rulebook_version = serializers.IntegerField(
        source="rulebook.version", allow_null=True, read_only=True, default=None
    )

    class Meta:
        model = CompensationDue
        fields = [
            "id",
            "service",
            "kind",
            "amount",
            "cooperative_share",
            "payer",
            "payer_name",
            "payee",
            "payee_name",
            "rulebook_version",
            "status",
            "created_at",
            "settled_at",
        ]
        read_only_fields = fields


# --- what comes in (shapes only: the services check the values) --------------------------------


class MoveSerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    reason = serializers.CharField(allow_blank=True, max_length=300)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=300)


class RegisterSerializer(serializers.Serializer):
    hours = serializers.CharField(help_text='Gewerkte uren, bijvoorbeeld 1.5 of "1,5"')


class FeedbackSerializer(serializers.Serializer):
    rating = serializers.IntegerField(help_text="1 tot en met 5")
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


# --- views -------------------------------------------------------------------------------------


def _service(request: Request, pk: int) -> Service:
    """Visible to the viewer, or not found (also another cooperative's id)."""
    try:
        return service_or_404(permissions.current_member(request), pk)
    except Http404:
        raise NotFound from None


def _out(request: Request, service: Service) -> Response:
    viewer = permissions.current_member(request)
    fresh = service_or_404(viewer, service.pk)
    return Response(ServiceSerializer(fresh, context={"viewer": viewer}).data)


class ServiceListView(ListAPIView):
    serializer_class = ServiceSerializer
    pagination_class = ServicePagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    def get_queryset(self) -> QuerySet[Service]:
        viewer = permissions.current_member(self.request)
        in_scope = self.request.query_params.get("all") == "1"
        if in_scope and not permissions.can(viewer, "service.coordinate"):
            raise PermissionDenied(
                _("Alleen coördinatoren en buurtassistenten zien alle diensten.")
            )
        return selectors.services_for(member=viewer, in_scope=in_scope).order_by("-date", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "viewer": permissions.current_member(self.request),
        }

    @extend_schema(
        operation_id="services_list",
        summary="Uw diensten (als vrijwilliger en als hulpvrager), nieuwste datum eerst",
        parameters=[
            OpenApiParameter(
                "all",
                int,
                enum=[1],
                description="1: alle diensten die u als coördinator of buurtassistent begeleidt",
            )
        ],
        responses={200: ServiceSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ServiceDetailView(APIView):
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="services_retrieve",
        summary="Eén dienst (voor de hulpvrager, de vrijwilliger en wie hen begeleidt)",
        responses={200: ServiceSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _out(request, _service(request, pk))


class _ServiceActionView(APIView):
    """POST one step of the lifecycle: who may is checked first (403), then the service
    decides whether it can be done now (400 with its Dutch message)."""

    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"POST": "marketplace.view"}
    action: str
    input_serializer: type[serializers.Serializer] | None = None
    run: staticmethod

    def post(self, request: Request, pk: int) -> Response:
        viewer = permissions.current_member(request)
        service = _service(request, pk)
        if not services.service_may(actor=viewer, service=service, action=self.action):
            raise PermissionDenied(NOT_ALLOWED)
        values: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            values = serializer.validated_data
        self.run(actor=viewer, service=service, **values)
        return _out(request, service)


def _documented(operation_id: str, summary: str, body: type | None) -> Callable:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=body,
        responses={200: ServiceSerializer, **ERROR_RESPONSES},
    )


class ServiceMoveView(_ServiceActionView):
    action, input_serializer, run = "move", MoveSerializer, staticmethod(services.service_move)

    @_documented(
        "services_move",
        "Een geplande dienst verzetten (beide kanten krijgen bericht)",
        MoveSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceCancelView(_ServiceActionView):
    action, input_serializer, run = (
        "cancel",
        CancelSerializer,
        staticmethod(services.service_cancel),
    )

    @_documented(
        "services_cancel", "Een geplande dienst annuleren, met een reden", CancelSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceRegisterView(_ServiceActionView):
    action, input_serializer, run = (
        "register",
        RegisterSerializer,
        staticmethod(services.service_register_hours),
    )

    @_documented(
        "services_register",
        "De gewerkte uren registreren (de vrijwilliger, na de afspraak; de spelregels begrenzen)",
        RegisterSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceConfirmView(_ServiceActionView):
    action, run = "confirm", staticmethod(services.service_confirm)

    @_documented(
        "services_confirm",
        "De uren bevestigen (de hulpvrager of een coördinator namens hem of haar); "
        "legt vast wat de dienst oplevert",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceFeedbackView(_ServiceActionView):
    action, input_serializer, run = (
        "feedback",
        FeedbackSerializer,
        staticmethod(services.service_feedback),
    )

    @_documented(
        "services_feedback",
        "Terugkoppeling geven: waardering 1-5 en toelichting",
        FeedbackSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ServiceDuesView(ListAPIView):
    serializer_class = DueSerializer
    pagination_class = ServicePagination
    permission_classes = [IsAuthenticated, HasAction]
    permission_actions = {"GET": "marketplace.view"}

    def get_queryset(self) -> QuerySet[CompensationDue]:
        service = _service(self.request, self.kwargs["pk"])
        return service.dues.select_related("payer", "payee", "rulebook").order_by("kind")

    @extend_schema(
        operation_id="services_dues",
        summary="Wat een bevestigde dienst oplevert (tijdpunten, euro's), per soort één regel",
        responses={200: DueSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- from api_matching ------------------------------------------------------------

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
