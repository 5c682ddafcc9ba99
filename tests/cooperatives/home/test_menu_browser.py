"""The menu in a real headless Chromium: on a phone (390 px) it is one button that opens
without any script and is worked by keyboard alone; on a wide screen (1280 px) it is always
open beside the page. Nothing here types an address after logging in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django_tenants.utils import schema_context

from tenants.services import cooperative_sign_up, schema_name_for
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    live_server,
    log_in,
)

SLUG = "e2e-menu"


def focused(page) -> str:
    return page.evaluate("() => (document.activeElement.textContent || '').trim()")


def tab_to(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page) == text:
            return
    raise AssertionError(f"'{text}' is not reached by Tab")


@pytest.mark.timeout(180)
def test_on_a_phone_the_menu_opens_and_leads_to_my_data_by_keyboard(
    coops, django_db_blocker, settings, monkeypatch
):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with django_db_blocker.unblock():
        try:
            coop = cooperative_sign_up(
                name="Menu Buurt",
                slug=SLUG,
                board_member_name="Bea Bestuur",
                email="bestuur@menu.example.nl",
                password=PASSWORD,
                template="oost",
            ).cooperative
            with schema_context(coop.schema_name):
                member = browser_member("Mien Lid", "mien@menu.example.nl", make_password(PASSWORD))
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                phone = chrome.new_context(
                    locale="nl-NL", viewport={"width": 390, "height": 844}, is_mobile=True
                )
                page = log_in(phone, base, member.email)
                menu_button = page.locator("summary.menu-button")
                my_data = page.locator("nav.menu").get_by_role("link", name="Mijn gegevens")
                assert menu_button.is_visible()
                assert not my_data.is_visible()  # closed until asked for

                # Clicking opens and closes it, without any script on the page.
                assert page.locator("script").count() == 0
                menu_button.click()
                assert my_data.is_visible()
                menu_button.click()
                assert not my_data.is_visible()

                # By keyboard: Tab to the button, Enter opens, Tab to "Mijn gegevens", Enter.
                tab_to(page, "Menu")
                page.keyboard.press("Enter")
                assert my_data.is_visible()
                tab_to(page, "Mijn gegevens")
                box = my_data.bounding_box()
                assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
                page.keyboard.press("Enter")
                page.wait_for_url(f"{base}/mijn-gegevens/")
                assert page.locator("h1").first.inner_text().strip()
                page.locator("summary.menu-button").click()
                current = page.locator('nav.menu a[aria-current="page"]')
                assert current.count() == 1 and current.inner_text().strip() == "Mijn gegevens"

                # On a wide screen the menu is open beside the page, without a button.
                wide = log_in(
                    chrome.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}),
                    base,
                    member.email,
                )
                assert not wide.locator("summary.menu-button").is_visible()
                link = wide.locator("nav.menu").get_by_role("link", name="Mijn afspraken")
                assert link.is_visible()
                menu_box = wide.locator("nav.menu").bounding_box()
                main_box = wide.locator("main").bounding_box()
                assert menu_box["x"] + menu_box["width"] <= main_box["x"]  # beside, not above
                link.click()
                wide.wait_for_url(f"{base}/diensten/")
                connections.close_all()
        finally:
            drop_cooperative(schema_name_for(SLUG))
