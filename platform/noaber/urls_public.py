"""URLs of the public site on the apex domain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing.webhooks.views import stripe_webhook
from noaber.views import healthz
from shared.accounts.views import LogoutView, NetworkLoginView
from tenants import api, views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("aanmelden/", views.sign_up, name="sign-up"),
    path("aanmelden/klaar/<slug:slug>/", views.sign_up_done, name="sign-up-done"),
    path("netwerk/", views.network_overview, name="home"),
    path("netwerk/inloggen/", NetworkLoginView.as_view(), name="login"),
    path("netwerk/uitloggen/", LogoutView.as_view(), name="logout"),
    path("api/v1/cooperatives/", api.CooperativeSignUpView.as_view(), name="api-cooperatives"),
    path("api/v1/billing/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("api/v1/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]
