"""Project proposals and projects through the API: members read, submit and support proposals;
the board moves them on; projects with their group, updates and spending. The proposals
services do all checking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members.models import Member
from cooperatives.proposals import selectors, services
from cooperatives.proposals.models import Project, Proposal
from cooperatives.proposals.serializers import (
    ProjectDetailSerializer,
    ProjectSerializer,
    ProjectSpendingCreateSerializer,
    ProjectSpendingSerializer,
    ProjectUpdateCreateSerializer,
    ProjectUpdateSerializer,
    ProposalDetailSerializer,
    ProposalSerializer,
    ProposalStatusSerializer,
    ProposalSubmitSerializer,
    SupportSerializer,
    project_detail_data,
)
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView
from shared.validation import field_error

ERRORS = ERROR_RESPONSES
NOT_FOUND = {404: ErrorResponseSerializer}


def _proposal_data(view: CooperativeAPIView[Member], pk: int) -> dict[str, Any]:
    proposal = view.found(selectors.proposal_get(viewer=view.member, pk=pk))
    return dict(ProposalDetailSerializer(proposal).data)


@extend_schema_view(
    get=extend_schema(
        operation_id="proposal_list",
        summary="Projectvoorstellen, nieuwste eerst (?status=<stand> of ?status=open om te "
        "filteren)",
    )
)
class ProposalListCreateView(CooperativeListAPIView[Member]):
    serializer_class = ProposalSerializer
    permission_actions = {"GET": "proposal.view", "POST": "proposal.submit"}

    def get_queryset(self) -> QuerySet[Proposal]:
        wanted = self.request.query_params.get("status", "")
        wanted = wanted if wanted in (*Proposal.Status.values, selectors.OPEN) else ""
        return selectors.proposals_list(viewer=self.member, status=wanted)

    @extend_schema(
        operation_id="proposal_submit",
        summary="Een projectvoorstel indienen (ook namens een wijkpartner)",
        request=ProposalSubmitSerializer,
        responses={201: ProposalDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ProposalSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        partner_id = data.pop("partner_id", None)
        partner = None
        if partner_id is not None:
            partner = selectors.partners_choosable().filter(pk=partner_id).first()
            if partner is None:
                raise field_error("partner_id", _("Deze partner bestaat niet."), "not_found")
        proposal = services.proposal_submit(actor=self.member, partner=partner, **data)
        return Response(_proposal_data(self, proposal.pk), status=status.HTTP_201_CREATED)


class ProposalDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "proposal.view"}

    @extend_schema(
        operation_id="proposal_retrieve",
        summary="Eén voorstel met zijn geschiedenis",
        responses={200: ProposalDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_proposal_data(self, pk))


class ProposalSupportView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "proposal.support", "DELETE": "proposal.support"}

    def _answer(self, pk: int) -> Response:
        proposal = self.found(selectors.proposal_get(viewer=self.member, pk=pk))
        return Response(
            SupportSerializer(
                {"supporters": proposal.supporters, "supported": proposal.supported}  # type: ignore[attr-defined]
            ).data
        )

    @extend_schema(
        operation_id="proposal_support",
        summary="Het voorstel steunen (één keer per lid)",
        request=None,
        responses={200: SupportSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = self.found(selectors.proposal_get(viewer=self.member, pk=pk))
        services.proposal_support(actor=self.member, proposal=proposal)
        return self._answer(pk)

    @extend_schema(
        operation_id="proposal_support_withdraw",
        summary="De steun intrekken",
        request=None,
        responses={200: SupportSerializer, **ERRORS},
    )
    def delete(self, request: Request, pk: int) -> Response:
        proposal = self.found(selectors.proposal_get(viewer=self.member, pk=pk))
        services.proposal_support_withdraw(actor=self.member, proposal=proposal)
        return self._answer(pk)


class ProposalStatusView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "proposal.handle"}

    @extend_schema(
        operation_id="proposal_handle",
        summary="Het voorstel een stap verder brengen (bestuur); de indiener krijgt bericht",
        request=ProposalStatusSerializer,
        responses={200: ProposalDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = self.found(selectors.proposal_get(viewer=self.member, pk=pk))
        serializer = ProposalStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.proposal_handle(actor=self.member, proposal=proposal, **serializer.validated_data)
        return Response(_proposal_data(self, pk))


@extend_schema_view(get=extend_schema(operation_id="project_list", summary="Projecten"))
class ProjectListView(CooperativeListAPIView[Member]):
    serializer_class = ProjectSerializer
    permission_actions = {"GET": "project.view"}

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.projects_list()


def _project_data(view: CooperativeAPIView[Member], pk: int) -> dict[str, Any]:
    project = view.found(selectors.project_get(pk=pk))
    return project_detail_data(
        project,
        members=list(selectors.project_group(project=project)),
        updates=list(selectors.project_updates(project=project)),
        spending=list(selectors.project_spending(project=project)),
    )


class ProjectDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "project.view"}

    @extend_schema(
        operation_id="project_retrieve",
        summary="Eén project met projectgroep, berichten en uitgaven",
        responses={200: ProjectDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_project_data(self, pk))


class ProjectUpdateCreateView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "project.post"}

    @extend_schema(
        operation_id="project_update_create",
        summary="Een bericht bij het project (projectgroep of bestuur)",
        request=ProjectUpdateCreateSerializer,
        responses={201: ProjectUpdateSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = self.found(selectors.project_get(pk=pk))
        serializer = ProjectUpdateCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        update = services.project_update_post(
            actor=self.member, project=project, **serializer.validated_data
        )
        return Response(ProjectUpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class ProjectSpendingCreateView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "project.manage"}

    @extend_schema(
        operation_id="project_spending_create",
        summary="Een uitgave van het project boeken (bestuur)",
        request=ProjectSpendingCreateSerializer,
        responses={201: ProjectSpendingSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = self.found(selectors.project_get(pk=pk))
        serializer = ProjectSpendingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        line = services.project_spending_add(
            actor=self.member, project=project, **serializer.validated_data
        )
        return Response(ProjectSpendingSerializer(line).data, status=status.HTTP_201_CREATED)
