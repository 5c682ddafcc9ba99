"""Browser hardening read off real responses: every page without a path argument, on a
cooperative's subdomain (as its board member) and on the apex (as a visitor), carries a strict
Content-Security-Policy and the other headers, holds no inline script or style, and an answer
to a logged-in user is never cached. A write from another cooperative's origin is refused."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from cooperatives.setup.models import Neighbourhood
from tests.clients import logged_in_client

# A <script> without src runs inline (a JSON data block, as the browsable API's, does not).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.I)


def _plain_paths(urlconf: str) -> list[str]:
    """Every route of the URL conf that takes no argument, as a path."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if "<" not in route:
                    walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "^" not in route:
                found.append("/" + prefix + route)

    walk(get_resolver(urlconf).url_patterns, "")
    skip = ("/uitloggen/", "/netwerk/uitloggen/", "/i18n/setlang/", "/api/v1/billing/stripe/")
    return sorted({p for p in found if not p.startswith(skip)})


def _assert_hardened(path: str, response, *, logged_in: bool) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp, path
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, path
    assert "frame-ancestors 'none'" in csp, path
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("Referrer-Policy") == "same-origin", path
    if logged_in:
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    # The platform's own pages (DRF's browsable API draws a few inline styles, which the
    # policy then blocks: a cosmetic loss on a developers' page).
    if response.headers.get("Content-Type", "").startswith("text/html") and "/api/" not in path:
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), f"{path}: inline <script>"
        assert not STYLE_ATTRIBUTE.search(body), f"{path}: style attribute"


def test_every_page_of_a_cooperative_is_hardened(alfa, beta):
    client = logged_in_client(alfa)
    paths = _plain_paths("noaber.urls_tenant")
    assert len(paths) > 40  # the walk did find the pages
    checked = 0
    for path in paths:
        response = client.get(path, HTTP_ACCEPT="text/html")
        if response.status_code in (301, 302, 404, 405):
            continue
        _assert_hardened(path, response, logged_in=True)
        checked += 1
    assert checked > 30


def test_every_page_of_the_apex_is_hardened(apex_client, coops, db):
    checked = 0
    for path in _plain_paths("noaber.urls_public"):
        response = apex_client.get(path, HTTP_ACCEPT="text/html")
        if response.status_code in (301, 302, 404, 405):
            continue
        _assert_hardened(path, response, logged_in=False)
        checked += 1
    assert checked >= 4


def test_a_visitors_page_may_be_cached_but_a_members_may_not(apex_client, alfa):
    assert "no-store" not in apex_client.get("/").headers.get("Cache-Control", "")
    assert "no-store" in logged_in_client(alfa).get("/api/v1/me/").headers["Cache-Control"]


@pytest.mark.parametrize("origin", ["http://beta.noaber.test", "null", "https://evil.example"])
def test_a_write_from_another_origin_is_refused_and_changes_nothing(alfa, beta, origin):
    client = logged_in_client(alfa)
    with schema_context(alfa.schema):
        before = Neighbourhood.objects.count()
    response = client.post(
        "/buurten/nieuw/",
        {"name": "Buurt van buiten", "network_name": "x", "contact": "a@b.nl"},
        HTTP_ORIGIN=origin,
    )
    assert response.status_code == 403
    assert "andere website" in response.content.decode()
    with schema_context(alfa.schema):
        assert Neighbourhood.objects.count() == before


def test_a_write_from_the_own_origin_still_works(alfa, beta):
    client = logged_in_client(alfa)
    response = client.post(
        "/buurten/nieuw/",
        {"name": "Buurt van binnen", "network_name": "Binnen", "contact": "a@b.nl"},
        HTTP_ORIGIN=f"http://{alfa.host}",
    )
    assert response.status_code in (200, 302)
    with schema_context(alfa.schema):
        assert Neighbourhood.objects.filter(name="Buurt van binnen").exists()
