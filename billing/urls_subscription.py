"""The cooperative's subscription on its own subdomain: status, Checkout, customer portal."""

from django.urls import path  # noqa: F401

app_name = "billing"
urlpatterns: list = []
api_urlpatterns: list = []
