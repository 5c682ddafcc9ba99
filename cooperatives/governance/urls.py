"""Bestuur en organen, and the statutes' settings: pages and API."""

from django.urls import path

from cooperatives.governance import api, views

urlpatterns = [
    path("bestuur/", views.bodies, name="governance-bodies"),
    path("bestuur/organen/<int:pk>/", views.body_history, name="governance-body-history"),
    path("bestuur/zetels/nieuw/", views.seat_assign, name="governance-seat-assign"),
    path("bestuur/zetels/<int:pk>/beeindigen/", views.seat_end, name="governance-seat-end"),
    path(
        "bestuur/projectgroepen/nieuw/",
        views.project_group_create,
        name="governance-project-group-create",
    ),
    path("bestuur/statuten/", views.statutes, name="governance-statutes"),
    path("bestuur/statuten/wijzigen/", views.statutes_edit, name="governance-statutes-edit"),
]
api_urlpatterns = [
    path("governance/bodies/", api.BodyListView.as_view(), name="api-body-list"),
    path("governance/seats/", api.SeatCreateView.as_view(), name="api-seat-create"),
    path("governance/seats/<int:pk>/", api.SeatDetailView.as_view(), name="api-seat-detail"),
    path("governance/statutes/", api.StatutesView.as_view(), name="api-statutes"),
]
