"""Sentry set-up: off without a DSN; every event carries the cooperative's schema as a tag."""

from __future__ import annotations

from typing import Any


def _tag_with_schema(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    # Read the schema when the event is made, not when the request started: a Celery task or a
    # management command switches schemas without any middleware.
    from django.db import connection

    schema = getattr(connection, "schema_name", None) or "public"
    event.setdefault("tags", {})
    event["tags"]["cooperative"] = schema
    return event


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
        "before_send": _tag_with_schema,
        # Members' personal data (names, addresses, care needs) must not leave the cooperative's
        # schema: no user identity, no request bodies, no local variables of stack frames.
        "data_collection": {"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        "traces_sample_rate": 0.0,
    }
    if transport is not None:
        options["transport"] = transport
    sentry_sdk.init(**options)
    return True
