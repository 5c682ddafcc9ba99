"""The marketplace through the API: requests, offers, "ik help" and accepting, the coordinator
board, a member's settings, the service lifecycle and suggested volunteers. The same selectors
and services as the pages, so the same house rules, the same Dutch messages and the same
scope: who may not see a request or a service gets 404, who may see but not handle it 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.carelog.services import care_request_viewed
from cooperatives.marketplace import selectors, services
from cooperatives.marketplace.filters import OfferFilter, RequestFilter, ServiceFilter
from cooperatives.marketplace.matching import Suggestion, suggest_volunteers
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    Offer,
    Service,
    ServiceMessage,
)
from cooperatives.marketplace.serializers import (
    MAX_SUGGESTIONS,
    AcceptSerializer,
    CancelSerializer,
    CoordinatorBoardSerializer,
    DigestSerializer,
    DisputeCreateSerializer,
    DueSerializer,
    FeedbackSerializer,
    HelpRequestCreateSerializer,
    HelpRequestDetailSerializer,
    HelpRequestRowSerializer,
    HelpResponseSerializer,
    MemberSettingsSerializer,
    MessageCreateSerializer,
    MoveSerializer,
    OfferCreateSerializer,
    OfferSerializer,
    PlannedServiceSerializer,
    ReferralQuerySerializer,
    ReferralSerializer,
    RegisterSerializer,
    RequestCancelSerializer,
    ResolveSerializer,
    RespondSerializer,
    ServiceMessageSerializer,
    ServiceSerializer,
    SuggestionFilterSerializer,
    SuggestionSerializer,
    request_data,
    settings_data,
)
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current
from shared.api.exceptions import ERROR_RESPONSES
from shared.api.throttles import MAIL_THROTTLES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView
from shared.permissions import HasAction

ERRORS = ERROR_RESPONSES
NOT_ALLOWED = _("U mag dit bij deze dienst niet doen.")
View = CooperativeAPIView[Member]


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _visible_request(view: View, pk: int) -> HelpRequest:
    """A request the viewer may see; anything else (and another cooperative's id) 404."""
    return view.found(selectors.request_visible(viewer=view.member, pk=pk))


def _managed_request(view: View, pk: int) -> HelpRequest:
    """A request the viewer may handle (requester, coordinator, assistant of the buurt);
    seen but not theirs to handle: 403."""
    help_request = _visible_request(view, pk)
    if not selectors.may_manage_request(viewer=view.member, request=help_request):
        raise PermissionDenied(HasAction.message)
    return help_request


def _managed_offer(view: View, pk: int) -> Offer:
    offer = view.found(selectors.offer_visible(viewer=view.member, pk=pk))
    if not selectors.may_manage_offer(viewer=view.member, offer=offer):
        raise PermissionDenied(HasAction.message)
    return offer


# --- requests ----------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="request_list",
        summary="Open hulpvragen op de markt (de buurt, nooit het adres)",
    )
)
class RequestListView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "marketplace.view", "POST": "request.create"}
    serializer_class = HelpRequestRowSerializer
    queryset = HelpRequest.objects.none()  # the model, for the schema; rows: get_queryset
    filter_backends = [DjangoFilterBackend]
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet[HelpRequest]:
        return selectors.request_list()

    @extend_schema(
        operation_id="request_create",
        summary="Hulp vragen, voor uzelf of namens een lid; de spelregels gelden",
        request=HelpRequestCreateSerializer,
        responses={201: HelpRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _input(HelpRequestCreateSerializer, request)
        actor = self.member
        requester = self._requester(actor, data.pop("requester"))
        help_request = services.request_create(actor=actor, requester=requester, **data)
        created = self.found(selectors.request_get(pk=help_request.pk))
        return Response(request_data(created, actor), status=status.HTTP_201_CREATED)

    def _requester(self, actor: Member, pk: int | None) -> Member:
        if pk is None or pk == actor.pk:
            return actor
        if not selectors.may(actor, "request.create_on_behalf"):
            raise PermissionDenied(HasAction.message)
        member = selectors.on_behalf_candidates(viewer=actor).filter(pk=pk).first()
        if member is None:
            raise ValidationError(
                {"requester": [serializers.ErrorDetail("Onbekend lid.", code="does_not_exist")]}
            )
        return member


class RequestReferralView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "request.create"}

    @extend_schema(
        operation_id="request_referral",
        summary="Gaat een klus van zoveel uur naar de partners? Met hun contactgegevens en "
        "sociale tarieven (zoals de pagina die toont in plaats van een hulpvraag)",
        parameters=[ReferralQuerySerializer],
        responses={200: ReferralSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = ReferralQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rulebook = rulebook_current()
        cluster = query.validated_data["cluster"]
        max_hours = selectors.klus_referral_hours(
            rulebook=rulebook,
            compensation=rulebook.compensation_for(cluster) if rulebook else None,
        )
        referred = bool(max_hours and query.validated_data["expected_hours"] > max_hours)
        partners = selectors.partner_referral(rulebook=rulebook) if referred else []
        return Response(
            ReferralSerializer(
                {"referred": referred, "max_hours": max_hours, "partners": partners}
            ).data
        )


class RequestDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="request_get",
        summary="Eén hulpvraag; het adres alleen voor wie het mag zien",
        responses={200: HelpRequestDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        help_request = _visible_request(self, pk)
        care_request_viewed(viewer=self.member, request=help_request, route="api-request-detail")
        return Response(request_data(help_request, self.member))


class RequestCancelView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="request_cancel",
        summary="Een hulpvraag intrekken (een geplande afspraak gaat niet door)",
        request=RequestCancelSerializer,
        responses={200: HelpRequestDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        help_request = _managed_request(self, pk)
        data = _input(RequestCancelSerializer, request)
        services.request_cancel(actor=self.member, request=help_request, **data)
        help_request = _visible_request(self, pk)
        care_request_viewed(viewer=self.member, request=help_request, route="api-request-cancel")
        return Response(request_data(help_request, self.member))


@extend_schema_view(
    get=extend_schema(
        operation_id="request_responses",
        summary="De vrijwilligers die willen helpen (voor de hulpvrager en coördinatoren)",
    )
)
class RequestResponsesView(CooperativeListAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    # Reading: the requester, coordinators and assistants of the buurt (checked below).
    permission_actions = {"GET": "marketplace.view", "POST": "request.respond"}
    serializer_class = HelpResponseSerializer
    queryset = HelpResponse.objects.none()

    def get_queryset(self) -> QuerySet[HelpResponse]:
        return selectors.responses_for(request=_managed_request(self, self.kwargs["pk"]))

    @extend_schema(
        operation_id="request_respond",
        summary='"Ik help": laten weten dat u wilt helpen',
        request=RespondSerializer,
        responses={201: HelpResponseSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        help_request = _visible_request(self, pk)
        data = _input(RespondSerializer, request)
        response = services.response_create(volunteer=self.member, request=help_request, **data)
        return Response(HelpResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ResponseAcceptView(CooperativeAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="response_accept",
        summary="Een vrijwilliger accepteren en de eerste afspraak plannen",
        request=AcceptSerializer,
        responses={201: PlannedServiceSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        response = self.found(selectors.response_visible(viewer=self.member, pk=pk))
        if not selectors.may_manage_request(viewer=self.member, request=response.request):
            raise PermissionDenied(HasAction.message)
        data = _input(AcceptSerializer, request)
        service = services.response_accept(actor=self.member, response=response, **data)
        return Response(PlannedServiceSerializer(service).data, status=status.HTTP_201_CREATED)


# --- offers ------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(operation_id="offer_list", summary="Actief aanbod van vrijwilligers")
)
class OfferListView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "marketplace.view", "POST": "offer.create"}
    serializer_class = OfferSerializer
    queryset = Offer.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = OfferFilter

    def get_queryset(self) -> QuerySet[Offer]:
        return selectors.offer_list()

    @extend_schema(
        operation_id="offer_create",
        summary="Hulp aanbieden",
        request=OfferCreateSerializer,
        responses={201: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _input(OfferCreateSerializer, request)
        offer = services.offer_create(actor=self.member, **data)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)


class OfferRenewView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="offer_renew",
        summary="Aanbod verlengen",
        request=None,
        responses={200: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_renew(actor=self.member, offer=_managed_offer(self, pk))
        return Response(OfferSerializer(offer).data)


class OfferWithdrawView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @extend_schema(
        operation_id="offer_withdraw",
        summary="Aanbod intrekken",
        request=None,
        responses={200: OfferSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        offer = services.offer_withdraw(actor=self.member, offer=_managed_offer(self, pk))
        return Response(OfferSerializer(offer).data)


# --- the coordinator board and settings --------------------------------------------------------


class BoardView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "marketplace.board"}

    @extend_schema(
        operation_id="marketplace_board",
        summary="Coördinatie: open hulpvragen per buurt, uren te bevestigen, terugkoppeling te "
        "laat (een buurtassistent: alleen de eigen buurten)",
        responses={200: CoordinatorBoardSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        board = selectors.coordinator_board(viewer=self.member)
        return Response(CoordinatorBoardSerializer(board).data)


class SettingsView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "self.view", "PATCH": "self.view"}

    @extend_schema(
        operation_id="member_settings_get",
        summary="Uw instellingen: overzicht per e-mail en agenda-adres",
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        settings_row = services.member_settings_ensure(member=self.member)
        return Response(settings_data(request, settings_row))

    @extend_schema(
        operation_id="member_settings_update",
        summary="Kiezen hoe vaak u een overzicht van nieuwe hulpvragen krijgt, en of de ander "
        "bij een afspraak uw telefoonnummer en e-mailadres ziet",
        request=DigestSerializer,
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def patch(self, request: Request) -> Response:
        data = _input(DigestSerializer, request)
        member = self.member
        settings_row = services.member_settings_ensure(member=member)
        if "digest" in data:
            settings_row = services.digest_set(member=member, digest=data["digest"])
        if "share_phone" in data or "share_email" in data:
            settings_row = services.contact_sharing_set(
                actor=member,
                member=member,
                share_phone=data.get("share_phone", settings_row.share_phone),
                share_email=data.get("share_email", settings_row.share_email),
            )
        return Response(settings_data(request, settings_row))


class SettingsRenewCalendarView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "self.view"}

    @extend_schema(
        operation_id="member_settings_renew_calendar",
        summary="Een nieuw agenda-adres; het oude werkt meteen niet meer",
        request=None,
        responses={200: MemberSettingsSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        settings_row = services.calendar_token_renew(member=self.member)
        return Response(settings_data(request, settings_row))


# --- services ----------------------------------------------------------------------------------


def _service(view: View, pk: int) -> Service:
    """Visible to the viewer, or not found (also another cooperative's id)."""
    return view.found(selectors.service_visible(viewer=view.member, pk=pk))


def _service_out(view: View, service: Service) -> Response:
    fresh = _service(view, service.pk)
    return Response(ServiceSerializer(fresh, context={"viewer": view.member}).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="services_list",
        summary="Uw diensten (als vrijwilliger en als hulpvrager), nieuwste datum eerst",
        responses={200: ServiceSerializer(many=True), **ERRORS},
    )
)
class ServiceListView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "marketplace.view"}
    serializer_class = ServiceSerializer
    queryset = Service.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ServiceFilter

    def get_queryset(self) -> QuerySet[Service]:
        viewer = self.member
        asked = ServiceFilter(self.request.query_params, Service.objects.none())
        if asked.wants_all() and not selectors.may(viewer, "service.coordinate"):
            raise PermissionDenied(
                _("Alleen coördinatoren en buurtassistenten zien alle diensten.")
            )
        return selectors.services_for(member=viewer, in_scope=True).order_by("-date", "-id")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "viewer": self.member}


class ServiceDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "marketplace.view"}

    @extend_schema(
        operation_id="services_retrieve",
        summary="Eén dienst (voor de hulpvrager, de vrijwilliger en wie hen begeleidt)",
        responses={200: ServiceSerializer, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _service_out(self, _service(self, pk))


def _service_step(
    view: View,
    pk: int,
    *,
    action: str,
    run: Callable[..., Service],
    body: type[serializers.Serializer] | None = None,
) -> Response:
    """POST one step of the lifecycle: who may is checked first (403), then the service
    decides whether it can be done now (400 with its Dutch message)."""
    service = _service(view, pk)
    if not selectors.service_may(actor=view.member, service=service, action=action):
        raise PermissionDenied(NOT_ALLOWED)
    values = _input(body, view.request) if body is not None else {}
    run(actor=view.member, service=service, **values)
    return _service_out(view, service)


def _documented(
    operation_id: str, summary: str, body: type[serializers.Serializer] | None
) -> Callable[..., Any]:
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        request=body,
        responses={200: ServiceSerializer, **ERRORS},
    )


class ServiceMoveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_move",
        "Een geplande dienst verzetten (beide kanten krijgen bericht)",
        MoveSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="move", run=services.service_move, body=MoveSerializer
        )


class ServiceCancelView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_cancel", "Een geplande dienst annuleren, met een reden", CancelSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="cancel", run=services.service_cancel, body=CancelSerializer
        )


class ServiceRegisterView(CooperativeAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_register",
        "De gewerkte uren registreren (de vrijwilliger, na de afspraak; de spelregels begrenzen)",
        RegisterSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self,
            pk,
            action="register",
            run=services.service_register_hours,
            body=RegisterSerializer,
        )


class ServiceConfirmView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_confirm",
        "De uren bevestigen (de hulpvrager of een coördinator namens hem of haar); "
        "legt vast wat de dienst oplevert",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(self, pk, action="confirm", run=services.service_confirm)


class ServiceConfirmApproveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_confirm_and_approve",
        "De uren bevestigen en de kwaliteit goedkeuren in één stap: waar de spelregels de "
        "ontvanger de kwaliteit laten goedkeuren (WIJ), worden de punten meteen geboekt",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="confirm_approve", run=services.service_confirm_and_approve
        )


class ServiceDisputeView(CooperativeAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"POST": "service.dispute"}

    @_documented(
        "services_dispute",
        "Zeggen dat de geregistreerde uren niet kloppen, met de reden (de hulpvrager of een "
        "coördinator namens hem of haar); er wordt niets verrekend tot ze zijn aangepast en "
        "opnieuw bevestigd",
        DisputeCreateSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="dispute", run=services.service_dispute, body=DisputeCreateSerializer
        )


class ServiceResolveView(CooperativeAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"POST": "service.resolve"}

    @_documented(
        "services_resolve",
        "Betwiste uren aanpassen (de vrijwilliger) of vaststellen (een coördinator); daarna "
        "bevestigt de hulpvrager opnieuw",
        ResolveSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="resolve", run=services.service_dispute_resolve, body=ResolveSerializer
        )


class ServiceApproveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_approve",
        "De kwaliteit goedkeuren van een dienst die al bevestigd is: de punten die daarop "
        "wachtten worden geboekt",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(self, pk, action="approve", run=services.service_quality_approve)


class ServiceSettleView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "service.coordinate"}

    @_documented(
        "services_settle",
        "Alsnog boeken wat een bevestigde dienst oplevert en eerder niet kon (een coördinator)",
        None,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(self, pk, action="settle", run=services.service_dues_settle)


@extend_schema_view(
    get=extend_schema(
        operation_id="services_messages",
        summary="De berichten bij een dienst (voor de hulpvrager, de vrijwilliger en de "
        "coördinatoren van de buurt)",
        responses={200: ServiceMessageSerializer(many=True), **ERRORS},
    )
)
class ServiceMessagesView(CooperativeListAPIView[Member]):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"GET": "service.message", "POST": "service.message"}
    serializer_class = ServiceMessageSerializer
    queryset = ServiceMessage.objects.none()

    def _readable(self) -> Service:
        service = _service(self, self.kwargs["pk"])
        if not selectors.service_messages_visible(viewer=self.member, service=service):
            raise PermissionDenied(NOT_ALLOWED)
        return service

    def get_queryset(self) -> QuerySet[ServiceMessage]:
        return selectors.service_messages(viewer=self.member, service=self._readable())

    @extend_schema(
        operation_id="services_message_send",
        summary="Een bericht aan de ander sturen; die krijgt een e-mail met de link (zonder "
        "e-mail: via de coördinator)",
        request=MessageCreateSerializer,
        responses={201: ServiceMessageSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        service = self._readable()
        data = _input(MessageCreateSerializer, request)
        message = services.service_message_send(actor=self.member, service=service, **data)
        return Response(ServiceMessageSerializer(message).data, status=status.HTTP_201_CREATED)


class ServiceFeedbackView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "marketplace.view"}

    @_documented(
        "services_feedback",
        "Terugkoppeling geven: waardering 1-5 en toelichting",
        FeedbackSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _service_step(
            self, pk, action="feedback", run=services.service_feedback, body=FeedbackSerializer
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="services_dues",
        summary="Wat een bevestigde dienst oplevert (tijdpunten, euro's), per soort één regel",
        responses={200: DueSerializer(many=True), **ERRORS},
    )
)
class ServiceDuesView(CooperativeListAPIView[Member]):
    permission_actions = {"GET": "marketplace.view"}
    serializer_class = DueSerializer
    queryset = CompensationDue.objects.none()

    def get_queryset(self) -> QuerySet[CompensationDue]:
        return selectors.service_dues(service=_service(self, self.kwargs["pk"]))


# --- suggested volunteers ----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="request_suggestions",
        summary="Voorgestelde vrijwilligers voor een hulpvraag, de beste eerst, met de redenen",
        parameters=[
            OpenApiParameter(
                "limit",
                int,
                description=f"Hoeveel voorstellen (1 tot {MAX_SUGGESTIONS}, standaard 10)",
            )
        ],
        responses={200: SuggestionSerializer(many=True), **ERRORS},
    )
)
class RequestSuggestionsView(CooperativeListAPIView[Member]):
    """For the requester, and for coordinators and the neighbourhood assistants of the
    requester's buurt (every member may ask; who may see these is checked below)."""

    permission_actions = {"GET": "marketplace.view"}
    serializer_class = SuggestionSerializer

    # A list, not a QuerySet: DRF pages any sequence; the stubs want a QuerySet.
    def get_queryset(self) -> list[Suggestion]:  # type: ignore[override]
        help_request = self.found(selectors.request_get(pk=self.kwargs["pk"]))
        if not selectors.may_manage_request(viewer=self.member, request=help_request):
            raise PermissionDenied
        params = SuggestionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return suggest_volunteers(request=help_request, limit=params.validated_data["limit"])
