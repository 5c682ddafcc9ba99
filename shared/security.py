"""Headers and checks every response gets that Django's SecurityMiddleware does not give.

- ``Permissions-Policy``: the platform uses no camera, microphone, location or payment API
  of the browser, so a page (or anything injected into it) may not ask for them.
- ``Cache-Control: no-store`` on every answer to a logged-in user (pages and API): a shared
  computer in a community centre must not show the previous member's data from its cache.
- Writes only from the cooperative's own origin. Every subdomain is a trusted CSRF origin (so
  the apex and the cooperatives share one setting), which means Django alone would accept a
  form posted from another cooperative's page with a valid token. A write (any method but
  GET, HEAD, OPTIONS, TRACE) that names an ``Origin`` must name this very host.

Django's own settings give the rest (X-Content-Type-Options, Referrer-Policy, framing refused),
and django-csp the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "bluetooth=(), accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _foreign_origin(request: HttpRequest) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if request.method in SAFE_METHODS or not origin:
        return False
    if origin == "null":
        return True
    return bool(urlsplit(origin).netloc.lower() != request.get_host().lower())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _foreign_origin(request):
            response: HttpResponseBase = render(
                request,
                "403.html",
                {"reason": _("Dit formulier kwam van een andere website en is niet verwerkt.")},
                status=403,
            )
        else:
            response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
