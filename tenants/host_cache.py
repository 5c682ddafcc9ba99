"""The cache of host → cooperative, read by the tenant middleware on every request.

It lives in its own cache alias whose keys do not depend on the current schema: the same host
must hit the same entry whether it is looked up from the middleware (public schema) or forgotten
from inside a cooperative's schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from django.db import transaction

if TYPE_CHECKING:
    from tenants.models import Cooperative

MISSING = "missing"


def _key(host: str) -> str:
    return f"host:{host.lower()}"


def get(host: str) -> Cooperative | str | None:
    """The cached cooperative, MISSING for a host known to be unknown, or None if not cached."""
    return caches["tenancy"].get(_key(host))


def put(host: str, value: Cooperative | str) -> None:
    caches["tenancy"].set(_key(host), value)


def forget_hosts(hosts: list[str]) -> None:
    keys = [_key(h) for h in hosts]
    if not keys:
        return
    caches["tenancy"].delete_many(keys)
    # Forget again once the change is committed: a request between now and the commit could
    # have cached the old row.
    transaction.on_commit(lambda: caches["tenancy"].delete_many(keys))
