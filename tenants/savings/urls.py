"""Pages of this feature: on the apex (``urlpatterns``) and on a cooperative's subdomain
(``cooperative_urlpatterns``: none; the board's side is the Positieve Gezondheid survey in
``cooperatives.surveys``)."""

from django.urls import path

from tenants.savings import api, views

urlpatterns = [
    path(
        "netwerk/<slug:network>/besparing/",
        views.SavingsView.as_view(),
        name="network-savings",
    ),
    path(
        "netwerk/<slug:network>/triple-aim/",
        views.TripleAimView.as_view(),
        name="network-triple-aim",
    ),
    path(
        "api/v1/networks/<slug:network>/savings/",
        api.SavingsEstimateView.as_view(),
        name="api-network-savings",
    ),
    path(
        "api/v1/networks/<slug:network>/savings/parameters/",
        api.SavingsParametersView.as_view(),
        name="api-network-savings-parameters",
    ),
]
cooperative_urlpatterns: list = []
