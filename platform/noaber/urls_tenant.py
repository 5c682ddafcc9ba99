"""URLs on a cooperative's own subdomain: every feature's pages, and its API under /api/v1/.

Each feature package has one ``urls.py`` with ``urlpatterns`` (pages) and ``api_urlpatterns``;
they are listed here by name, so grep finds where a URL comes from."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from billing.klussen import urls as klussen_urls
from billing.statements import urls as statements_urls
from billing.subscriptions import urls as subscriptions_urls
from cooperatives.annual_report import urls as annual_report_urls
from cooperatives.audit import urls as audit_urls
from cooperatives.carelog import urls as carelog_urls
from cooperatives.decisions import urls as decisions_urls
from cooperatives.governance import urls as governance_urls
from cooperatives.home import urls as home_urls
from cooperatives.joining import urls as joining_urls
from cooperatives.marketplace import urls as marketplace_urls
from cooperatives.meetings import urls as meetings_urls
from cooperatives.members import urls as members_urls
from cooperatives.points import urls as points_urls
from cooperatives.proposals import urls as proposals_urls
from cooperatives.rules import urls as rules_urls
from cooperatives.setup import urls as setup_urls
from cooperatives.surveys import urls as surveys_urls
from shared.accounts import urls as accounts_urls
from shared.accounts.views import LoginView, LogoutView
from tenants import views as tenant_views
from tenants.archive import urls as archive_urls
from tenants.knowledge import urls as knowledge_urls
from tenants.maps import urls as maps_urls
from tenants.networks import urls as networks_urls
from tenants.savings import urls as savings_urls

urlpatterns = [
    path("inloggen/", LoginView.as_view(), name="login"),
    path("uitloggen/", LogoutView.as_view(), name="logout"),
    path("bevestigen/<str:token>/", tenant_views.founder_confirm, name="founder-confirm"),
    path("", include(accounts_urls.urlpatterns)),
    path("api/v1/", include(home_urls.api_urlpatterns)),
    path("api/v1/", include((members_urls.api_urlpatterns, "members"))),
    path("api/v1/", include((joining_urls.api_urlpatterns, "joining"))),
    path("api/v1/", include((setup_urls.api_urlpatterns, "setup"))),
    path("api/v1/", include((rules_urls.api_urlpatterns, "rules"))),
    path("api/v1/", include((governance_urls.api_urlpatterns, "governance"))),
    path("api/v1/", include((audit_urls.api_urlpatterns, "audit"))),
    path("api/v1/", include((decisions_urls.api_urlpatterns, "decisions"))),
    path("api/v1/", include((marketplace_urls.api_urlpatterns, "marketplace"))),
    path("api/v1/", include((points_urls.api_urlpatterns, "points"))),
    path("api/v1/", include((surveys_urls.api_urlpatterns, "surveys"))),
    path("api/v1/", include((proposals_urls.api_urlpatterns, "proposals"))),
    path("api/v1/", include((meetings_urls.api_urlpatterns, "meetings"))),
    path("api/v1/", include((subscriptions_urls.api_urlpatterns, "billing-api"))),
    path("api/v1/", include((klussen_urls.api_urlpatterns, "klussen-api"))),
    path("api/v1/", include((statements_urls.api_urlpatterns, "statements-api"))),
    path("api/v1/", include((annual_report_urls.api_urlpatterns, "annual-report"))),
    path("api/v1/schema/", SpectacularAPIView.as_view(urlconf=__name__), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # The language switch ("set_language") is the members feature's: it also remembers a
    # logged-in member's choice, for their emails.
    path("", include(home_urls.urlpatterns)),
    path("", include(members_urls.urlpatterns)),
    path("", include(carelog_urls.urlpatterns)),
    path("", include(joining_urls.urlpatterns)),
    path("", include(setup_urls.urlpatterns)),
    path("", include(rules_urls.urlpatterns)),
    path("", include(governance_urls.urlpatterns)),
    path("", include(audit_urls.urlpatterns)),
    path("", include(decisions_urls.urlpatterns)),
    path("", include(marketplace_urls.urlpatterns)),
    path("", include(points_urls.urlpatterns)),
    path("", include(surveys_urls.urlpatterns)),
    path("", include(proposals_urls.urlpatterns)),
    path("", include(meetings_urls.urlpatterns)),
    path("", include(subscriptions_urls)),
    path("", include(klussen_urls)),
    path("", include(statements_urls)),
    path("", include(annual_report_urls.urlpatterns)),
    # The board's side of the network level (joining, what is shared, the knowledge network).
    path("", include(networks_urls.cooperative_urlpatterns)),
    path("", include(knowledge_urls.cooperative_urlpatterns)),
    path("", include(maps_urls.cooperative_urlpatterns)),
    path("", include(savings_urls.cooperative_urlpatterns)),
    # The board's archive of all the cooperative's data, and how long it is kept.
    path("", include(archive_urls.cooperative_urlpatterns)),
]

# Under /api/ a 404 or 500 is the API's structured error (shared.api.exceptions), not a page.
handler404 = "shared.api.exceptions.not_found"
handler500 = "shared.api.exceptions.server_error"
