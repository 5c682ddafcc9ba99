"""Klussen in euros: paying, confirming cash, letting one lapse, marking a double payment
refunded, the allowance limits, Stripe Connect."""

from django.urls import path

from billing.klussen import api, views

app_name = "klussen"
urlpatterns = [
    path("klussen/", views.klus_list, name="list"),
    path("klussen/<int:pk>/", views.klus_detail, name="detail"),
    path("klussen/<int:pk>/contant-ontvangen/", views.klus_cash, name="cash"),
    path("klussen/<int:pk>/online-betalen/", views.klus_pay_online, name="pay-online"),
    path("klussen/<int:pk>/laten-vervallen/", views.klus_waive, name="waive"),
    path("klussen/<int:pk>/terugbetaald/", views.klus_refunded, name="refunded"),
    path("klussen/stripe-account/", views.stripe_account, name="stripe-account"),
    path("klussen/vrijwilligersvergoeding/", views.allowance_overview, name="allowance"),
    path(
        "klussen/vrijwilligersvergoeding/grenzen/",
        views.allowance_limits,
        name="allowance-limits",
    ),
    path(
        "klussen/vrijwilligersvergoeding/uitzondering/",
        views.allowance_override,
        name="allowance-override",
    ),
]
api_urlpatterns = [
    path("klussen/", api.KlusListView.as_view(), name="list"),
    path("klussen/<int:pk>/contant-ontvangen/", api.KlusCashView.as_view(), name="cash"),
    path("klussen/<int:pk>/online-betalen/", api.KlusPayOnlineView.as_view(), name="pay-online"),
    path("klussen/<int:pk>/laten-vervallen/", api.KlusWaiveView.as_view(), name="waive"),
    path("klussen/<int:pk>/terugbetaald/", api.KlusRefundedView.as_view(), name="refunded"),
]
