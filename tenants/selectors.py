"""Reads of the tenant registry."""

from __future__ import annotations

import re
import unicodedata

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


# At most this many cooperatives are listed for one search.
SEARCH_LIMIT = 20
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})?$")


def _fold(text: str) -> str:
    """Lower case without accents: "Coöperatie" is found by "cooperatie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cooperative_search(*, query: str) -> list[Cooperative]:
    """Open cooperatives (trial or active) for "Bij welke coöperatie bent u lid?": by postcode
    (its 4 digits among the postcode areas the board set), or by words that each occur in the
    name, the place or the subdomain. Suspended and archived cooperatives are not found.

    The registry holds hundreds of rows at most, and only names and places are compared, so
    the words are matched here, accents folded, rather than in SQL (which would need the
    unaccent extension in the public schema)."""
    query = " ".join((query or "").split())
    if not query:
        return []
    open_ones = Cooperative.objects.filter(
        status__in=[Cooperative.Status.TRIAL, Cooperative.Status.ACTIVE]
    ).order_by("name")
    postcode = _POSTCODE.match(query)
    if postcode:
        return list(open_ones.filter(postcode_areas__contains=[postcode.group(1)])[:SEARCH_LIMIT])
    words = _fold(query).split()
    found = []
    for cooperative in open_ones.only("name", "slug", "place", "status"):
        haystack = _fold(f"{cooperative.name} {cooperative.place} {cooperative.slug}")
        if all(word in haystack for word in words):
            found.append(cooperative)
            if len(found) == SEARCH_LIMIT:
                break
    return found
