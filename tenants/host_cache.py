"""The cache of host → cooperative, read by the tenant middleware on every request.

It lives in its own cache alias whose keys do not depend on the current schema: the same host
must hit the same entry whether it is looked up from the middleware (public schema) or forgotten
from inside a cooperative's schema.

It knows nothing of the tenant models (they forget their hosts through it when they change):
what it keeps is a cooperative, or MISSING, and ``tenants.selectors.cooperative_for_host`` is
the one reader that knows which.
"""

from __future__ import annotations

from django.core.cache import caches
from django.db import transaction

MISSING = "missing"


def _key(host: str) -> str:
    return f"host:{host.lower()}"


def get(host: str) -> object:
    """The cached cooperative, MISSING for a host known to be unknown, or None if not cached."""
    value: object = caches["tenancy"].get(_key(host))
    return value


def put(host: str, value: object) -> None:
    caches["tenancy"].set(_key(host), value)


def forget_hosts(hosts: list[str]) -> None:
    keys = [_key(h) for h in hosts]
    if not keys:
        return
    caches["tenancy"].delete_many(keys)
    # Forget again once the change is committed: a request between now and the commit could
    # have cached the old row.
    transaction.on_commit(lambda: caches["tenancy"].delete_many(keys))
