"""Reads of the tenant registry."""

from __future__ import annotations

from django.conf import settings

from shared.tenancy.current import connection
from tenants import host_cache
from tenants.models import Cooperative, Domain


def apex_hosts() -> frozenset[str]:
    domain = settings.PLATFORM_DOMAIN
    return frozenset({domain, f"www.{domain}"})


def cooperative_for_host(*, host: str) -> Cooperative | None:
    """The cooperative that answers on ``host``, or None. Cached (tenants.host_cache), so a
    request to a cooperative costs no query on the public schema."""
    host = host.lower()
    cached = host_cache.get(host)
    if cached == host_cache.MISSING:
        return None
    if isinstance(cached, Cooperative):
        return cached
    # The lookup must read the public registry whatever schema the connection was left in.
    connection.set_schema_to_public()
    domain = Domain.objects.select_related("tenant").filter(domain=host).first()
    cooperative: Cooperative | None = domain.tenant if domain else None
    host_cache.put(host, cooperative if cooperative else host_cache.MISSING)
    return cooperative


def cooperative_get(*, slug: str) -> Cooperative | None:
    cooperative: Cooperative | None = Cooperative.objects.filter(slug=slug).first()
    return cooperative


def cooperative_list() -> list[Cooperative]:
    return list(Cooperative.objects.order_by("name"))
