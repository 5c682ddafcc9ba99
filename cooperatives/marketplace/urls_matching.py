"""Matching: suggested volunteers for a request (API; the request page shows them too)."""

from django.urls import path

from cooperatives.marketplace import api_matching as api

urlpatterns: list = []
api_urlpatterns = [
    path(
        "requests/<int:pk>/suggestions/",
        api.RequestSuggestionsView.as_view(),
        name="api-request-suggestions",
    ),
]
