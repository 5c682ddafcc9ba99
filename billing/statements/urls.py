"""Monthly statements per cooperative: page, CSV and PDF."""

from django.urls import path

from billing.statements import api as api_statements
from billing.statements import views as views_statements

app_name = "statements"
urlpatterns = [
    path("overzichten/", views_statements.statement_index, name="index"),
    path("overzichten/<int:year>/<int:month>/", views_statements.statement_detail, name="month"),
    path("overzichten/<int:year>/<int:month>.csv", views_statements.statement_csv, name="csv"),
    path(
        "overzichten/<int:year>/<int:month>.pdf",
        views_statements.statement_pdf_download,
        name="pdf",
    ),
]
api_urlpatterns = [
    path(
        "overzichten/<int:year>/<int:month>/",
        api_statements.StatementView.as_view(),
        name="month",
    ),
]
