"""Pages of this feature: on the apex (``urlpatterns``) and on a cooperative's subdomain
(``cooperative_urlpatterns``: none; the board's side is the Positieve Gezondheid survey in
``cooperatives.surveys``)."""

from django.urls import path

from tenants.savings import views

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
]
cooperative_urlpatterns: list = []
