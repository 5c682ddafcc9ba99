"""Pages of this feature: on the apex (``urlpatterns``) and on a cooperative's subdomain
(``cooperative_urlpatterns``)."""

from django.urls import path

from tenants.dashboards import api, views

urlpatterns = [
    path("netwerk/<slug:network>/", views.NetworkDashboardView.as_view(), name="network-dashboard"),
    path(
        "netwerk/<slug:network>/cijfers.csv",
        views.NetworkFiguresCsvView.as_view(),
        name="network-figures-csv",
    ),
    path(
        "netwerk/<slug:network>/cooperaties/<slug:slug>/",
        views.NetworkCooperativeView.as_view(),
        name="network-cooperative",
    ),
    path(
        "api/v1/networks/<slug:network>/cooperatives/",
        api.NetworkCooperativeListView.as_view(),
        name="api-network-cooperatives",
    ),
    path(
        "api/v1/networks/<slug:network>/figures/",
        api.NetworkFigureListView.as_view(),
        name="api-network-figures",
    ),
]
cooperative_urlpatterns: list = []
