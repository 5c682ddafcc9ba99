"""Wachtwoord vergeten in a real headless Chromium, by clicking only: from the cooperative's
login page click "Wachtwoord vergeten?", ask for the mail, open the link from the sent mail,
choose a new password, and log in with it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connections
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.services import cooperative_sign_up, schema_name_for
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    live_server,
)

SLUG = "e2e-wachtwoord"
NEW_PASSWORD = "Lentebloesem-77!"


@pytest.mark.timeout(240)
def test_a_member_resets_a_forgotten_password_by_clicking(
    coops, django_db_blocker, settings, monkeypatch
):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with django_db_blocker.unblock():
        try:
            coop = cooperative_sign_up(
                name="E2E Wachtwoord",
                slug=SLUG,
                board_member_name="Bea Bestuur",
                email="bestuur@e2e-wachtwoord.example.nl",
                password=PASSWORD,
                template="wij",
            ).cooperative
            with schema_context(coop.schema_name):
                member = browser_member(
                    "Greet Vergeet", "greet@e2e-wachtwoord.example.nl", make_password(PASSWORD)
                )
            mail.outbox.clear()
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                # The links in emails point at this live server.
                settings.PLATFORM_SCHEME, settings.PLATFORM_PORT = "http", str(port)
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                page = chrome.new_context(locale="nl-NL").new_page()
                page.goto(f"{base}/inloggen/")

                page.get_by_role("link", name="Wachtwoord vergeten?").click()
                page.get_by_label("E-mailadres").fill(member.email)
                page.get_by_role("button", name="Stuur mij een link").click()
                page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()

                (sent,) = mail.outbox
                assert sent.to == [member.email]
                link = re.search(r"http://\S+/wachtwoord-kiezen/\S+/", sent.body).group(0)
                assert link.startswith(base)
                page.goto(link)  # as if clicked in the mail program

                page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
                page.get_by_label("Nieuw wachtwoord nog een keer").fill(NEW_PASSWORD)
                page.get_by_role("button", name="Wachtwoord opslaan").click()
                page.get_by_role("heading", name="Uw nieuwe wachtwoord is opgeslagen").wait_for()

                page.locator("main").get_by_role("link", name="Inloggen").click()
                page.get_by_label("E-mailadres").fill(member.email)
                page.get_by_label("Wachtwoord").fill(NEW_PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_url(f"{base}/")
                assert "Welkom, Greet" in page.content()
                connections.close_all()

            with schema_context(coop.schema_name):
                user = User.objects.get(email=member.email)
                assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
        finally:
            drop_cooperative(schema_name_for(SLUG))
