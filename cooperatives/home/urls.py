"""The member's home page, and who is logged in (API)."""

from django.urls import path

from cooperatives.home import api, views

urlpatterns = [path("", views.home, name="home")]
api_urlpatterns = [path("me/", api.MeView.as_view(), name="api-me")]
