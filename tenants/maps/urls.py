"""Pages of the maps: on the apex (``urlpatterns``: the public map and a network's map) and on
a cooperative's subdomain (``cooperative_urlpatterns``: the board's point)."""

from django.urls import path

from tenants.maps import api, views

urlpatterns = [
    path("kaart/", views.public_map, name="public-map"),
    path("api/v1/map/", api.PublicMapView.as_view(), name="api-public-map"),
    path("netwerk/<slug:network>/kaart/", views.NetworkMapView.as_view(), name="network-map"),
]
cooperative_urlpatterns = [
    path("cooperatie/kaart/", views.cooperative_place, name="cooperative-place"),
]
