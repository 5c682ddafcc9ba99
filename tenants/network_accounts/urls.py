"""The accounts page of a network on the apex (``urlpatterns``); nothing on a subdomain."""

from django.urls import path

from tenants.network_accounts import views

_base = "netwerk/<slug:network>/accounts/"

urlpatterns = [
    path(_base, views.NetworkAccountsView.as_view(), name="network-accounts"),
    path(f"{_base}<int:user_id>/rol/", views.RoleChangeView.as_view(), name="network-account-role"),
    path(
        f"{_base}<int:user_id>/opnieuw-uitnodigen/",
        views.ReinviteView.as_view(),
        name="network-account-reinvite",
    ),
    path(
        f"{_base}<int:user_id>/verwijderen/",
        views.RemoveView.as_view(),
        name="network-account-remove",
    ),
    path(
        f"{_base}<int:user_id>/telefoon-opnieuw/",
        views.TwoFactorResetView.as_view(),
        name="network-account-two-factor-reset",
    ),
]
cooperative_urlpatterns: list = []
