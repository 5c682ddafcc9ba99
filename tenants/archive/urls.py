"""The board's page for the whole cooperative's data, on the cooperative's subdomain."""

from django.urls import path

from tenants.archive import views

cooperative_urlpatterns = [
    path("gegevens-cooperatie/", views.archive_page, name="archive-page"),
    path("gegevens-cooperatie/export/", views.export_start, name="archive-export"),
    path("gegevens-cooperatie/bewaartermijn/", views.retention_edit, name="archive-retention"),
    path(
        "gegevens-cooperatie/export/<str:token>/voortgang/",
        views.export_status,
        name="archive-export-status",
    ),
    path(
        "gegevens-cooperatie/export/<str:token>/download/",
        views.export_download_view,
        name="archive-export-download",
    ),
]
