"""Network pages on the apex (``urlpatterns``) and the board's network page on a cooperative's
subdomain (``cooperative_urlpatterns``)."""

from django.urls import path

from tenants.networks import views

urlpatterns = [
    path("netwerk/", views.network_home, name="home"),
    path(
        "netwerk/<slug:network>/leden/",
        views.MembershipsView.as_view(),
        name="network-memberships",
    ),
    path(
        "netwerk/<slug:network>/leden/uitnodigen/",
        views.MembershipInviteView.as_view(),
        name="network-membership-invite",
    ),
    path(
        "netwerk/<slug:network>/leden/<int:pk>/aanvaarden/",
        views.MembershipActView.as_view(act="accept"),
        name="network-membership-accept",
    ),
    path(
        "netwerk/<slug:network>/leden/<int:pk>/afwijzen/",
        views.MembershipActView.as_view(act="decline"),
        name="network-membership-decline",
    ),
    path(
        "netwerk/<slug:network>/leden/<int:pk>/beeindigen/",
        views.MembershipActView.as_view(act="end"),
        name="network-membership-end",
    ),
]
cooperative_urlpatterns = [
    path("netwerken/", views.cooperative_networks, name="networks-cooperative"),
    path("netwerken/aanvragen/", views.cooperative_request, name="networks-request"),
    path("netwerken/<int:pk>/delen/", views.cooperative_sharing, name="networks-sharing"),
    path("netwerken/<int:pk>/afwijzen/", views.cooperative_decline, name="networks-decline"),
    path("netwerken/<int:pk>/beeindigen/", views.cooperative_end, name="networks-end"),
]
