"""The monthly statement through the API: the same selector and the same permission
(``statement.view``) as the page, so the figures are the same. Amounts are decimal strings
("6.75"), never floats."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from billing.statements import selectors as statements
from billing.statements.serializers import StatementSerializer
from cooperatives.settlement import Member
from shared.api.exceptions import ERROR_RESPONSES
from shared.api.views import CooperativeAPIView


@extend_schema_view(
    get=extend_schema(
        operation_id="statement_month",
        summary="Maandoverzicht van de klussen in euro's en het abonnement (bestuur, kascommissie)",
        responses={200: StatementSerializer, **ERROR_RESPONSES},
    )
)
class StatementView(CooperativeAPIView[Member]):
    permission_actions = {"GET": "statement.view"}

    def get(self, request: Request, year: int, month: int) -> Response:
        if not statements.statement_month_exists(year=year, month=month):
            raise NotFound(_("Voor deze maand bestaat geen overzicht."))
        statement = statements.statement_month(year=year, month=month)
        return Response(StatementSerializer(statement).data)
