"""The request id, and what every log line says about where it came from.

Each request gets an id: the X-Request-ID its proxy sent when REQUEST_ID_TRUSTED says our own
proxy (the ingress) sets that header, otherwise a new one. It is returned in the response's
X-Request-ID header, so a person reporting a problem can quote it, and every log line written
while the request runs carries it together with the cooperative's schema (never a member's
name or address). Celery tasks log their schema the same way (tenant-schemas-celery sets it
on the connection before the task runs).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# What a proxy's id may look like: a uuid, a hex string, letters, digits and . _ : -; anything
# else (too long, spaces, line breaks) could forge a log line and is replaced.
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,64}\Z")

request_id: ContextVar[str] = ContextVar("request_id", default="-")
# The schema of the request once it has been answered: Django logs a 4xx/5xx response only
# after every middleware has returned, when the connection is back in the public schema.
request_schema: ContextVar[str | None] = ContextVar("request_schema", default=None)


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    if getattr(settings, "REQUEST_ID_TRUSTED", False) and _VALID.match(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Set, not reset afterwards: Django writes its line about a 4xx/5xx response after
        # this middleware has returned. The next request on this thread sets both anew.
        request_id.set(request_id_for(request))
        request_schema.set(None)
        response = self.get_response(request)
        tenant = getattr(request, "tenant", None)
        request_schema.set(getattr(tenant, "schema_name", None) or "public")
        response[HEADER] = request_id.get()
        return response


class ContextFilter(logging.Filter):
    """Adds ``schema`` (the cooperative's, or public) and ``request_id`` to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.schema = request_schema.get() or _current_schema()
        return True


def _current_schema() -> str:
    try:
        from django.db import connection

        return str(getattr(connection, "schema_name", None) or "-")
    except Exception:  # logging must never fail: before set-up, or while the database is away
        return "-"
