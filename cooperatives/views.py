"""Pages on a cooperative's own subdomain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperatives import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperatives/home.html",
        {
            "clusters": list(selectors.cluster_list()),
            "rulebook": selectors.rulebook_current(),
            "is_board": request.user.groups.filter(name="Bestuur").exists(),
        },
    )


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()
    cooperative = serializers.CharField()


class MeView(APIView):
    """The member who is logged in, in this cooperative."""

    @extend_schema(operation_id="me", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "id": user.pk,
            "full_name": user.full_name,
            "email": user.email,
            "cooperative": request.tenant.name,
        }
        return Response(MeSerializer(data).data)
