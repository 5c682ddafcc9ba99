"""Sentry set-up: off without a DSN; every event carries the cooperative's schema as a tag, and
none carries personal data.

Members' personal data (names, addresses, phone numbers, care needs) must not leave the
cooperative's schema, so Sentry is told to collect none (no user identity, no request bodies at
all, no cookies, no local variables), and ``before_send`` scrubs what may still slip in: a
request's body, cookies, query string and headers beyond a few harmless ones, the user, local
variables of stack frames, and email addresses, phone numbers, postcodes and IBANs in messages,
exception texts, source lines, breadcrumbs and extras. Written here rather than taken from a
library: the SDK's own ``EventScrubber`` removes values under a list of key names only, not an
address inside an exception's message."""

from __future__ import annotations

import re
from typing import Any

# Request headers that say nothing about who someone is; every other header is dropped.
KEPT_HEADERS = frozenset({"Host", "Content-Type", "Content-Length", "Accept", "Accept-Language"})

# What personal data looks like in free text, and what it is replaced with.
_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{10}\b"), "[iban]"),
    (re.compile(r"(?:\+31|0031|\b0)[\s-]?\d(?:[\s-]?\d){8}\b"), "[telefoon]"),
    (re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}\b"), "[postcode]"),
]
# A long opaque path segment (a password reset token, a signed link) is a secret.
_TOKEN = re.compile(r"[A-Za-z0-9_:-]{20,}")


def scrub_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _scrub_values(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_values(item) for item in value]
    return value


def _scrub_request(request: dict[str, Any]) -> None:
    for key in ("data", "cookies", "env", "query_string"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    request["headers"] = {k: v for k, v in headers.items() if k in KEPT_HEADERS}
    if isinstance(request.get("url"), str):
        request["url"] = _TOKEN.sub("[token]", request["url"].split("?", 1)[0])


def scrub_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event without personal data (see the module's docstring)."""
    event.pop("user", None)
    if isinstance(event.get("request"), dict):
        _scrub_request(event["request"])
    for key in ("message", "logentry", "extra"):
        if key in event:
            event[key] = _scrub_values(event[key])
    for exception in (event.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
            for key in ("pre_context", "context_line", "post_context"):
                if key in frame:
                    frame[key] = _scrub_values(frame[key])
    breadcrumbs = event.get("breadcrumbs")
    crumbs = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in crumbs or []:
        for key in ("message", "data"):
            if key in crumb:
                crumb[key] = _scrub_values(crumb[key])
    return event


def _before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    # Read the schema when the event is made, not when the request started: a Celery task or a
    # management command switches schemas without any middleware.
    from django.db import connection

    schema = getattr(connection, "schema_name", None) or "public"
    event.setdefault("tags", {})
    event["tags"]["cooperative"] = schema
    return scrub_event(event)


def init_sentry(*, dsn: str, environment: str, transport: Any = None) -> bool:
    """Start sentry-sdk when a DSN is given. Returns whether it was started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    options: dict[str, Any] = {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "before_send": _before_send,
        # data_collection is how this SDK says it (it supersedes send_default_pii, which it
        # deprecates and ignores when both are set: left at its default, False); the two below
        # say the same in the older words, for any integration that reads them.
        "data_collection": {"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        "max_request_body_size": "never",
        "include_local_variables": False,
        "traces_sample_rate": 0.0,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True
