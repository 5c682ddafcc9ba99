"""The cooperative's set-up: buurten, clusters and partners, as pages and in the API."""

from django.urls import path

from cooperatives.setup import api, views

urlpatterns = [
    path("cooperatie/gegevens/", views.cooperative_details, name="cooperative-details"),
    path("buurten/", views.neighbourhood_list, name="neighbourhood-list"),
    path("buurten/nieuw/", views.neighbourhood_create, name="neighbourhood-create"),
    path("buurten/<int:pk>/bewerken/", views.neighbourhood_edit, name="neighbourhood-edit"),
    path("clusters/", views.cluster_list, name="cluster-list"),
    path("clusters/nieuw/", views.cluster_create, name="cluster-create"),
    path("clusters/<int:pk>/bewerken/", views.cluster_edit, name="cluster-edit"),
    path("clusters/<int:pk>/status/", views.cluster_retire, name="cluster-retire"),
    path("partners/", views.partner_list, name="partner-list"),
    path("partners/nieuw/", views.partner_create, name="partner-create"),
    path("partners/<int:pk>/bewerken/", views.partner_edit, name="partner-edit"),
]
api_urlpatterns = [
    path("neighbourhoods/", api.NeighbourhoodListView.as_view(), name="api-neighbourhood-list"),
    path(
        "neighbourhoods/<int:pk>/",
        api.NeighbourhoodDetailView.as_view(),
        name="api-neighbourhood-detail",
    ),
    path("clusters/", api.ClusterListView.as_view(), name="api-cluster-list"),
    path("clusters/<int:pk>/", api.ClusterDetailView.as_view(), name="api-cluster-detail"),
    path("clusters/<int:pk>/retire/", api.ClusterRetireView.as_view(), name="api-cluster-retire"),
    path(
        "clusters/<int:pk>/reactivate/",
        api.ClusterReactivateView.as_view(),
        name="api-cluster-reactivate",
    ),
    path("partners/", api.PartnerListView.as_view(), name="api-partner-list"),
    path("partners/<int:pk>/", api.PartnerDetailView.as_view(), name="api-partner-detail"),
]
