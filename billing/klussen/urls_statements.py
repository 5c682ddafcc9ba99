"""Monthly statements per cooperative: page, CSV and PDF."""

from django.urls import path  # noqa: F401

app_name = "statements"
urlpatterns: list = []
api_urlpatterns: list = []
