"""Addresses of a cooperative's own subdomain, for links in emails, Stripe return pages and
tasks (no request to build them from)."""

from __future__ import annotations

from django.conf import settings


def cooperative_host(*, slug: str) -> str:
    return f"{slug}.{settings.PLATFORM_DOMAIN}"


def cooperative_url(*, slug: str, path: str = "/") -> str:
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{settings.PLATFORM_SCHEME}://{cooperative_host(slug=slug)}{port}{path}"
