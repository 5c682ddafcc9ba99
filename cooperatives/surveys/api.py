"""Surveys through the API: members list and answer the surveys open for them; the board makes,
opens and closes surveys and reads their results (the same rule as the page: nothing before
the survey is closed, no group of fewer than five answers, never who answered what); the
coordinator enters answers given on paper. The survey service does all checking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cooperatives.members.models import Member
from cooperatives.surveys import selectors, services
from cooperatives.surveys.models import Survey
from cooperatives.surveys.serializers import (
    AnswersSerializer,
    PaperAnswersSerializer,
    QuestionCreateSerializer,
    QuestionSerializer,
    SurveyCreateSerializer,
    SurveyOpenSerializer,
    SurveyResultsSerializer,
    SurveySerializer,
)
from shared import permissions
from shared.api.exceptions import ERROR_RESPONSES, ErrorResponseSerializer
from shared.api.throttles import MAIL_THROTTLES
from shared.api.views import CooperativeAPIView, CooperativeListAPIView

ERRORS = ERROR_RESPONSES
NOT_FOUND = {404: ErrorResponseSerializer}


class _SurveyView(CooperativeAPIView[Member]):
    def survey(self, pk: int) -> Survey:
        """For the board any survey; for a member one meant for them that is not a draft."""
        if permissions.can(self.member, "survey.manage"):
            return self.found(selectors.survey_get(pk=pk))
        return self.found(selectors.survey_for_member(member=self.member, pk=pk))

    def data(self, survey: Survey) -> Any:
        answered = selectors.survey_answered_by(survey=survey, member=self.member)
        return SurveySerializer(
            survey, context={"answered_ids": {survey.pk} if answered else set()}
        ).data


@extend_schema_view(
    get=extend_schema(
        operation_id="survey_list",
        summary="De peilingen die nu voor u open staan",
        parameters=[
            OpenApiParameter(
                "all",
                str,
                description="1: alle peilingen, ook concepten en gesloten (alleen het bestuur)",
            )
        ],
    )
)
class SurveyListCreateView(CooperativeListAPIView[Member]):
    serializer_class = SurveySerializer
    permission_actions = {"GET": "survey.answer", "POST": "survey.manage"}

    def get_queryset(self) -> QuerySet[Survey]:
        if self.request.query_params.get("all") == "1" and permissions.can(
            self.member, "survey.manage"
        ):
            return selectors.surveys_all().prefetch_related("questions")
        return selectors.surveys_for_member(member=self.member).prefetch_related("questions")

    @extend_schema(
        operation_id="survey_create",
        summary="Een nieuwe peiling (concept)",
        request=SurveyCreateSerializer,
        responses={201: SurveySerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = SurveyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.survey_create(actor=self.member, **serializer.validated_data)
        return Response(SurveySerializer(survey).data, status=status.HTTP_201_CREATED)


class SurveyDetailView(_SurveyView):
    permission_actions = {"GET": "survey.answer"}

    @extend_schema(
        operation_id="survey_retrieve",
        summary="Eén peiling met haar vragen",
        responses={200: SurveySerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.data(self.survey(pk)))


class QuestionCreateView(_SurveyView):
    permission_actions = {"POST": "survey.manage"}

    @extend_schema(
        operation_id="survey_question_add",
        summary="Een vraag toevoegen aan een concept",
        request=QuestionCreateSerializer,
        responses={201: QuestionSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = self.survey(pk)
        serializer = QuestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        question = services.survey_question_add(
            actor=self.member, survey=survey, **serializer.validated_data
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class SurveyOpenView(_SurveyView):
    throttle_classes = MAIL_THROTTLES  # it sends mail
    permission_actions = {"POST": "survey.manage"}

    @extend_schema(
        operation_id="survey_open",
        summary="De peiling openen (de leden krijgen een e-mail met de link)",
        request=SurveyOpenSerializer,
        responses={200: SurveySerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = self.survey(pk)
        serializer = SurveyOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.survey_open(
            actor=self.member, survey=survey, closes_on=serializer.validated_data["closes_on"]
        )
        return Response(self.data(survey))


class SurveyCloseView(_SurveyView):
    permission_actions = {"POST": "survey.manage"}

    @extend_schema(
        operation_id="survey_close",
        summary="De peiling sluiten",
        request=None,
        responses={200: SurveySerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = services.survey_close(actor=self.member, survey=self.survey(pk))
        return Response(self.data(survey))


class SurveyAnswerView(_SurveyView):
    permission_actions = {"POST": "survey.answer"}

    @extend_schema(
        operation_id="survey_answer",
        summary="Uw antwoorden (één keer; anoniem opgeslagen)",
        request=AnswersSerializer,
        responses={204: None, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = self.found(selectors.survey_for_member(member=self.member, pk=pk))
        serializer = AnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        questions = selectors.survey_questions(survey=survey)
        services.survey_answer(
            member=self.member, survey=survey, answers=serializer.mapping(questions)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurveyPaperAnswerView(CooperativeAPIView[Member]):
    permission_actions = {"POST": "survey.paper"}

    @extend_schema(
        operation_id="survey_answer_paper",
        summary="De antwoorden van een lid op het papieren formulier invoeren",
        request=PaperAnswersSerializer,
        responses={204: None, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        survey = self.found(selectors.survey_get(pk=pk))
        serializer = PaperAnswersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = self.found(
            selectors.survey_asked(survey=survey)
            .filter(pk=serializer.validated_data["member"])
            .first()
        )
        questions = selectors.survey_questions(survey=survey)
        services.survey_answer_paper(
            actor=self.member, member=member, survey=survey, answers=serializer.mapping(questions)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurveyResultsView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "survey.results"}

    @extend_schema(
        operation_id="survey_results",
        summary="De uitslag, alleen in groepen van ten minste 5 antwoorden",
        responses={200: SurveyResultsSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        survey = self.found(selectors.survey_get(pk=pk))
        return Response(SurveyResultsSerializer(selectors.survey_results(survey=survey)).data)
