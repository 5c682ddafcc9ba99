"""Routes each request to the public site or to one cooperative's schema.

Unlike django-tenants' own middleware it (1) serves the apex domain without a tenant row,
(2) answers an unknown host with a 404 page, never the public site, (3) refuses suspended and
archived cooperatives with a Dutch page that shows no member data, and (4) reads the
host → cooperative mapping from a cache. With TENANT_LIMIT_SET_CALLS the connection then sends
`SET search_path` once for the request, not before every query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import set_urlconf

from shared.tenancy.current import connection
from tenants.models import Cooperative
from tenants.selectors import apex_hosts, cooperative_for_host


class RoutedRequest(HttpRequest):
    """What this middleware sets on every request (django-tenants and the views read it)."""

    tenant: Cooperative | None
    cooperative: Cooperative | None
    urlconf: str


class CooperativeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, http_request: HttpRequest) -> HttpResponse:
        request = cast(RoutedRequest, http_request)
        host, _port = split_domain_port(request.get_host())
        host = host.lower()
        connection.set_schema_to_public()
        request.tenant = None
        request.cooperative = None

        if host in apex_hosts():
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)

        cooperative = cooperative_for_host(host=host)
        if cooperative is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return render(request, "404.html", {"host": host}, status=404)
        if cooperative.status == Cooperative.Status.SUSPENDED:
            return render(
                request,
                "tenants/unavailable.html",
                {"name": cooperative.name, "suspended": True},
                status=403,
            )
        if cooperative.status == Cooperative.Status.ARCHIVED:
            return render(
                request,
                "tenants/unavailable.html",
                {
                    "name": cooperative.name,
                    "suspended": False,
                    "deletion_due": cooperative.deletion_due,
                },
                status=410,
            )

        connection.set_tenant(cooperative)
        request.tenant = cooperative
        request.cooperative = cooperative
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        try:
            return self.get_response(request)
        finally:
            # Leave no tenant behind on a reused thread/connection.
            connection.set_schema_to_public()
