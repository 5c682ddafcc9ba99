"""House rules and rates (spelregels en tarieven): pages and API."""

from django.urls import path

from cooperatives.rules import api, views

urlpatterns = [
    path("spelregels/", views.rulebook, name="rulebook"),
    path("spelregels/versies/", views.rulebook_versions, name="rulebook-history"),
    path("spelregels/versies/<int:version>/", views.rulebook_version, name="rulebook-version"),
    path("spelregels/wijzigen/", views.rulebook_edit, name="rulebook-edit"),
]
api_urlpatterns = [
    path("rulebooks/", api.RulebookListCreateView.as_view(), name="api-rulebook-list"),
    path("rulebooks/current/", api.RulebookCurrentView.as_view(), name="api-rulebook-current"),
    path("rulebooks/preview/", api.RulebookPreviewView.as_view(), name="api-rulebook-preview"),
    path("rulebooks/<int:version>/", api.RulebookDetailView.as_view(), name="api-rulebook-detail"),
]
