"""URLs of the public site on the apex domain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from billing.sponsorship import urls as sponsorship_urls
from billing.webhooks.views import stripe_webhook
from shared.accounts import urls as accounts_urls
from shared.accounts.views import LogoutView, NetworkLoginView
from tenants import api, views
from tenants.dashboards import urls as dashboards_urls
from tenants.knowledge import urls as knowledge_urls
from tenants.maps import urls as maps_urls
from tenants.network_accounts import urls as network_accounts_urls
from tenants.networks import urls as networks_urls
from tenants.savings import urls as savings_urls

urlpatterns = [
    path("", views.landing, name="landing"),
    path("aanmelden/", views.sign_up, name="sign-up"),
    path("aanmelden/klaar/<slug:slug>/", views.sign_up_done, name="sign-up-done"),
    path("netwerk/inloggen/", NetworkLoginView.as_view(), name="login"),
    path("netwerk/uitloggen/", LogoutView.as_view(), name="logout"),
    path("", include(accounts_urls.network_urlpatterns)),
    path("", include(networks_urls.urlpatterns)),
    path("", include(dashboards_urls.urlpatterns)),
    path("", include(maps_urls.urlpatterns)),
    path("", include(knowledge_urls.urlpatterns)),
    path("", include(savings_urls.urlpatterns)),
    path("", include(sponsorship_urls.urlpatterns)),
    path("", include(network_accounts_urls.urlpatterns)),
    path("api/v1/cooperatives/", api.CooperativeSignUpView.as_view(), name="api-cooperatives"),
    path("api/v1/billing/stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("api/v1/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Under /api/ a 404 or 500 is the API's structured error (shared.api.exceptions), not a page.
handler404 = "shared.api.exceptions.not_found"
handler500 = "shared.api.exceptions.server_error"
