"""URLs on a cooperative's own subdomain."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from billing import urls_subscription as subscription_urls
from billing.klussen import urls as klussen_urls
from billing.klussen import urls_statements as statements_urls
from cooperatives import urls as cooperatives_urls
from cooperatives.marketplace import urls as marketplace_urls
from cooperatives.points import urls as points_urls
from cooperatives.views import home as views
from noaber.views import healthz
from shared.accounts.views import LoginView, LogoutView

urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", LoginView.as_view(), name="login"),
    path("uitloggen/", LogoutView.as_view(), name="logout"),
    path("api/v1/me/", views.MeView.as_view(), name="api-me"),
    path("api/v1/", include(cooperatives_urls.api_urlpatterns)),
    path("api/v1/", include(marketplace_urls.api_urlpatterns)),
    path("api/v1/", include((points_urls.api_urlpatterns, "points"))),
    path("api/v1/", include((subscription_urls.api_urlpatterns, "billing-api"))),
    path("api/v1/", include((klussen_urls.api_urlpatterns, "klussen-api"))),
    path("api/v1/", include((statements_urls.api_urlpatterns, "statements-api"))),
    path("api/v1/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("", include(cooperatives_urls.urlpatterns)),
    path("", include(marketplace_urls.urlpatterns)),
    path("", include(points_urls.urlpatterns)),
    path("", include(subscription_urls)),
    path("", include(klussen_urls)),
    path("", include(statements_urls)),
]
