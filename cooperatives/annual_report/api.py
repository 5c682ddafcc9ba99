"""The annual report through the API: the same reports a member sees on the pages (drafts
only for the board and the kascommissie), and each step as the services take it."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.annual_report import selectors, services
from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.serializers import (
    AnnualReportDetailSerializer,
    AnnualReportSerializer,
    ReportApproveSerializer,
    ReportCreateSerializer,
    ReportReviewSerializer,
    ReportTextsSerializer,
)
from cooperatives.members.models import Member
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = {**ERROR_RESPONSES, 404: ErrorResponseSerializer}


def _detail(report: AnnualReport) -> dict[str, object]:
    figures = selectors.report_figures(report=report)
    return AnnualReportDetailSerializer(report, context={"figures": figures}).data


@extend_schema_view(
    get=extend_schema(operation_id="annual_report_list", summary="De jaarverslagen")
)
class ReportListCreateView(CooperativeListAPIView[Member]):
    serializer_class = AnnualReportSerializer
    permission_actions = {"GET": "report.read", "POST": "report.edit"}

    def get_queryset(self) -> QuerySet[AnnualReport]:
        return selectors.reports_visible(viewer=self.member)

    @extend_schema(
        operation_id="annual_report_create",
        summary="Een concept-jaarverslag beginnen",
        request=ReportCreateSerializer,
        responses={201: AnnualReportDetailSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_create(actor=self.member, year=serializer.validated_data["year"])
        return Response(_detail(report), status=status.HTTP_201_CREATED)


class ReportDetailView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "report.read", "PATCH": "report.edit"}

    @extend_schema(
        operation_id="annual_report_detail",
        summary="Een jaarverslag met zijn cijfers",
        responses={200: AnnualReportDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, year: int) -> Response:
        report = self.found(selectors.report_get(viewer=self.member, year=year))
        return Response(_detail(report))

    @extend_schema(
        operation_id="annual_report_texts",
        summary="De teksten van het bestuur bijwerken",
        request=ReportTextsSerializer,
        responses={200: AnnualReportDetailSerializer, **ERRORS},
    )
    def patch(self, request: Request, year: int) -> Response:
        report = self.found(selectors.report_get(viewer=self.member, year=year))
        serializer = ReportTextsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        texts = {name: getattr(report, name) for name in services.TEXT_FIELDS}
        texts.update(serializer.validated_data)
        report = services.report_texts_save(actor=self.member, report=report, **texts)
        return Response(_detail(report))


class ReportReviewView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "report.review"}

    @extend_schema(
        operation_id="annual_report_review",
        summary="De bevindingen van de kascommissie vastleggen",
        request=ReportReviewSerializer,
        responses={200: AnnualReportDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, year: int) -> Response:
        report = self.found(selectors.report_get(viewer=self.member, year=year))
        serializer = ReportReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_review(
            actor=self.member, report=report, **serializer.validated_data
        )
        return Response(_detail(report))


class ReportApproveView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "report.approve"}

    @extend_schema(
        operation_id="annual_report_approve",
        summary="De besluiten van de ALV vastleggen: vaststelling en decharge",
        request=ReportApproveSerializer,
        responses={200: AnnualReportDetailSerializer, **ERRORS},
    )
    def post(self, request: Request, year: int) -> Response:
        report = self.found(selectors.report_get(viewer=self.member, year=year))
        serializer = ReportApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_approve(
            actor=self.member, report=report, **serializer.validated_data
        )
        return Response(_detail(report))
