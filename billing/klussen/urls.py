"""Klussen in euros: paying, confirming cash, the allowance limits, Stripe Connect."""

from django.urls import path  # noqa: F401

app_name = "klussen"
urlpatterns: list = []
api_urlpatterns: list = []
