"""The cooperative's subscription on its own subdomain: status, Checkout, customer portal."""

from django.urls import path

from billing.subscriptions import api, views

app_name = "billing"
urlpatterns = [
    path("abonnement/", views.subscription_page, name="subscription"),
    path("abonnement/kiezen/", views.subscription_choose_view, name="subscription-choose"),
    path("abonnement/beheren/", views.subscription_portal, name="subscription-portal"),
]
api_urlpatterns = [
    path("billing/subscription/", api.SubscriptionView.as_view(), name="subscription"),
    path("billing/checkout/", api.CheckoutView.as_view(), name="checkout"),
    path("billing/portal/", api.PortalView.as_view(), name="portal"),
]
