"""Network pages on the apex (``urlpatterns``) and the board's network page on a cooperative's
subdomain (``cooperative_urlpatterns``)."""

from django.urls import path

from tenants.networks import views

urlpatterns = [
    path("netwerk/", views.network_home, name="home"),
]
cooperative_urlpatterns: list = []
