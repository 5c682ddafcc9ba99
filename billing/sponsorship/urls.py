"""The network's sponsorship pages on the apex (included by noaber.urls_public)."""

from django.urls import path

from billing.sponsorship import views

urlpatterns = [
    path(
        "netwerk/<slug:network>/sponsoring/",
        views.SponsorshipView.as_view(),
        name="network-sponsorship",
    ),
    path(
        "netwerk/<slug:network>/sponsoring/<int:pk>/beeindigen/",
        views.SponsorshipEndView.as_view(),
        name="network-sponsorship-end",
    ),
]
