"""The cooperative's own pages and API, one module per area so each stays readable."""

from importlib import import_module

from django.urls import include, path

AREAS = ("members", "joining", "setup", "rules", "audit")

urlpatterns = [path("", include(f"cooperatives.urls_{area}")) for area in AREAS]
api_urlpatterns = [
    path("", include((import_module(f"cooperatives.urls_{area}").api_urlpatterns, area)))
    for area in AREAS
]
