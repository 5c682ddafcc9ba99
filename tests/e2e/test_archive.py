"""Issue 14, item 6, in a real headless Chromium: a board member clicks from the menu to "Alle
gegevens downloaden", has the archive made (the task runs inline here), downloads the zip; and
while an export is being made the page's progress bar follows it through our own script under
the strict Content-Security-Policy, reloading by itself when it is done. Data is committed (the
server has its own connection), so the test signs up a cooperative of its own and drops it."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connections
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from tenants.archive.models import CooperativeExport
from tenants.archive.services import progress_key
from tenants.services import cooperative_sign_up
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    live_server,
    log_in,
)

SLUG = "e2e-archief"
EMAIL = f"secretaris@{SLUG}.example.nl"


@pytest.mark.timeout(300)
def test_the_board_takes_all_data_along_in_a_browser(
    coops, django_db_blocker, settings, tmp_path, monkeypatch
):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_db_blocker.unblock():
        schema = cooperative_sign_up(
            name="Wijkcoöperatie Archief",
            slug=SLUG,
            board_member_name="Bo Bestuur",
            email=f"bestuur@{SLUG}.example.nl",
            password=PASSWORD,
            template="wij",
        ).cooperative.schema_name
        try:
            with schema_context(schema):
                browser_member(
                    "Sam Secretaris", EMAIL, make_password(PASSWORD), role="board_secretary"
                )
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                context = chrome.new_context(locale="nl-NL", accept_downloads=True)
                page = log_in(context, base, EMAIL)
                # What the Content-Security-Policy blocked (the plain-HTTP test server's own
                # warnings about Cross-Origin-Opener-Policy are not ours to judge here).
                blocked: list[str] = []
                page.on(
                    "console",
                    lambda m: (
                        blocked.append(m.text)
                        if "Content Security Policy" in m.text or "Refused to" in m.text
                        else None
                    ),
                )

                page.locator("nav.menu").get_by_role(
                    "link", name="Alle gegevens downloaden"
                ).click()
                page.get_by_role("button", name="Maak een archief van alle gegevens").click()
                page.get_by_text("Het archief wordt gemaakt.").wait_for()
                with page.expect_download() as download:
                    page.get_by_role("link", name="Download het archief").click()
                path = tmp_path / "archief.zip"
                download.value.save_as(path)
                with zipfile.ZipFile(path) as zf:
                    manifest = json.loads(zf.read("manifest.json"))
                assert manifest["cooperative"]["slug"] == SLUG
                assert {"cooperatives_member", "points_posting", "audit_auditentry"} <= {
                    t["name"] for t in manifest["tables"]
                }

                # An export the worker is making: the bar shows where it is, and the page
                # reloads by itself once it is done.
                with schema_context(schema):
                    running = CooperativeExport.objects.create(
                        requested_by=Member.objects.get(email=EMAIL),
                        status=CooperativeExport.Status.RUNNING,
                    )
                    cache.set(progress_key(running), {"done": 1, "total": 4})
                page.reload()
                bar = page.get_by_label("Voortgang")
                assert bar.get_attribute("value") == "25"
                page.get_by_role("status").filter(has_text="25% gedaan").wait_for()
                with schema_context(schema):
                    cache.set(progress_key(running), {"done": 3, "total": 4})
                page.get_by_role("status").filter(has_text="75% gedaan").wait_for(timeout=10_000)
                assert page.get_by_label("Voortgang").get_attribute("value") == "75"
                with schema_context(schema):
                    CooperativeExport.objects.filter(pk=running.pk).update(
                        status=CooperativeExport.Status.FAILED
                    )
                # Inside Playwright's loop the ORM had a connection of its own: close it, or
                # it holds the test database open at the end of the run.
                connections.close_all()
                page.get_by_text("Het maken van het archief is mislukt.").wait_for(timeout=10_000)
                assert page.get_by_label("Voortgang").count() == 0
                assert blocked == []
        finally:
            drop_cooperative(schema)
