"""What the subscription means for each request on a cooperative's subdomain.

Read-only (unpaid, cancelled, grace run out): members still read and export, but nothing new is
created until the cooperative pays; billing never deletes data. Grace (past due): everything
works and the board sees a banner. The access level is cached briefly per cooperative so it
costs no query on most requests.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from billing.access.selectors import cooperative_access

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Leaving, logging in or out, changing language and taking one's data out stay possible.
ALWAYS_ALLOWED = (
    "/inloggen/",
    "/uitloggen/",
    "/i18n/",
    "/mijn-gegevens/export/",
    "/api/v1/me/export/",
    # Paying is how a read-only cooperative gets out of it.
    "/abonnement/",
    "/api/v1/billing/",
)
CACHE_SECONDS = 60


def access_cache_key(cooperative_pk: int) -> str:
    return f"billing-access:{cooperative_pk}"


class BillingAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cooperative = getattr(request, "cooperative", None)
        # Read by the context processor for the board's banner (shared.tenancy).
        request.billing_access = "full"  # type: ignore[attr-defined]
        if cooperative is None:
            return self.get_response(request)
        cache = caches["tenancy"]
        access = cache.get(access_cache_key(cooperative.pk))
        if access is None:
            access = cooperative_access(cooperative=cooperative)
            cache.set(access_cache_key(cooperative.pk), access, CACHE_SECONDS)
        request.billing_access = access  # type: ignore[attr-defined]
        if (
            access == "read_only"
            and request.method not in SAFE_METHODS
            and not request.path.startswith(ALWAYS_ALLOWED)
        ):
            message = _(
                "Uw coöperatie kan nu alleen lezen en gegevens downloaden, tot het abonnement "
                "betaald is. Er gaat niets verloren."
            )
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "client_error",
                        "errors": [{"attr": None, "code": "read_only", "detail": message}],
                    },
                    status=403,
                )
            return render(request, "access/read_only.html", {"message": message}, status=403)
        return self.get_response(request)
