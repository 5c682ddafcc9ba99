"""The annual report (jaarverslag): pages and API."""

from django.urls import path

from cooperatives.annual_report import api, views

urlpatterns = [
    path("jaarverslag/", views.report_list, name="annual-report-list"),
    path("jaarverslag/<int:year>/", views.report_detail, name="annual-report-detail"),
    path("jaarverslag/<int:year>/bewerken/", views.report_edit, name="annual-report-edit"),
    path("jaarverslag/<int:year>/kascommissie/", views.report_review, name="annual-report-review"),
    path("jaarverslag/<int:year>/vaststellen/", views.report_approve, name="annual-report-approve"),
    path("jaarverslag/<int:year>.pdf", views.report_pdf_download, name="annual-report-pdf"),
]
api_urlpatterns = [
    path("annual-reports/", api.ReportListCreateView.as_view(), name="api-annual-report-list"),
    path(
        "annual-reports/<int:year>/",
        api.ReportDetailView.as_view(),
        name="api-annual-report-detail",
    ),
    path(
        "annual-reports/<int:year>/review/",
        api.ReportReviewView.as_view(),
        name="api-annual-report-review",
    ),
    path(
        "annual-reports/<int:year>/approve/",
        api.ReportApproveView.as_view(),
        name="api-annual-report-approve",
    ),
]
