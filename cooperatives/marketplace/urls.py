"""The marketplace's pages and API, one module per part."""

from importlib import import_module

from django.urls import include, path

PARTS = ("requests", "services", "matching")

urlpatterns = [path("", include(f"cooperatives.marketplace.urls_{part}")) for part in PARTS]
api_urlpatterns = [
    path(
        "",
        include(
            (import_module(f"cooperatives.marketplace.urls_{part}").api_urlpatterns, f"mp_{part}")
        ),
    )
    for part in PARTS
]
