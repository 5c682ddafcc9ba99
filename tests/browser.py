"""End-to-end support: the real platform served on a local port, and headless Chromium
(Debian's package, /usr/bin/chromium) driven by Playwright. Nothing is downloaded: Playwright
only drives the Chromium that is installed.

Data for a browser test must be committed (the server runs in its own thread with its own
database connection), so a browser test signs up a cooperative of its own and drops it at the
end; the session's cooperatives `alfa` and `beta` stay as they are.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

CHROMIUM = os.environ.get("NOABER_CHROMIUM", "/usr/bin/chromium")


def chromium_path() -> str | None:
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


class SingleThreadLiveServer(LiveServerThread):
    """Requests are served one at a time in this thread, so its single database connection is
    closed when the server stops (a threaded server can leave a request thread holding one
    while the test database is dropped)."""

    def _create_server(self, connections_override=None):
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@contextmanager
def live_server() -> Iterator[int]:
    """Serve the platform on 127.0.0.1 (a free port) for the length of the block."""
    thread = SingleThreadLiveServer("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield thread.port
    finally:
        thread.terminate()


@contextmanager
def browser(platform_domain: str) -> Iterator[object]:
    """A headless Chromium in which every host under the platform domain reaches 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chrome = p.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--host-resolver-rules="
                f"MAP {platform_domain} 127.0.0.1, MAP *.{platform_domain} 127.0.0.1",
            ],
        )
        try:
            yield chrome
        finally:
            chrome.close()


def drop_cooperative(schema_name: str) -> None:
    """Remove a cooperative a browser test made: its schema and its registry rows."""
    from tenants.models import Cooperative

    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
    Cooperative.objects.filter(schema_name=schema_name).delete()


def drop_public_user(email: str) -> None:
    """Remove a network administrator a browser test made. Django's delete would look for the
    user's rows in every app, the cooperatives' tables included, which the public schema does
    not have: the public rows that point at the user go first, then the user itself."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shared.accounts.models import User
    from tenants.network_accounts.models import NetworkAccountAct
    from tenants.networks.models import NetworkRole

    connection.set_schema_to_public()
    users = User.objects.filter(email=email)
    NetworkRole.objects.filter(user__in=users).delete()
    TOTPDevice.objects.filter(user__in=users).delete()
    for device in StaticDevice.objects.filter(user__in=users):
        device.token_set.all().delete()
        device.delete()
    NetworkAccountAct.objects.filter(actor__in=users).update(actor=None)
    NetworkAccountAct.objects.filter(subject__in=users).update(subject=None)
    ids = list(users.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for table in ("accounts_user_groups", "accounts_user_user_permissions"):
            cursor.execute(f"DELETE FROM {table} WHERE user_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM accounts_user WHERE id = ANY(%s)", [ids])


# The password of every member a browser test makes (hashed once per test, then reused).
PASSWORD = "Zonnebloem-42!"


def browser_member(name: str, email: str, password_hash: str, *, role: str | None = None):
    """A member with a login in the current schema, living in Oudwijk."""
    from django.utils import timezone

    from cooperatives.governance.models import Seat
    from cooperatives.governance.selectors import body_standing, seat_for_role
    from cooperatives.members.models import SEAT_ROLES, Member, RoleAssignment
    from shared.accounts.models import User

    user = User.objects.create(email=email, full_name=name, password=password_hash)
    member = Member.objects.create(
        user=user,
        name=name,
        email=email,
        postcode="3581AB",
        street="Oudwijkerdwarsstraat",
        house_number="5",
    )
    if role in SEAT_ROLES:
        kind, position = seat_for_role(role=role)
        Seat.objects.create(
            body=body_standing(kind), member=member, position=position, start=timezone.localdate()
        )
    elif role:
        RoleAssignment.objects.create(member=member, role=role)
    return member


# The authenticator keys of the people a browser test set up a phone for, by email: what
# their app would hold, so a later login of theirs types the right code.
PHONE_KEYS: dict[str, bytes] = {}


def current_code(key: bytes) -> str:
    from django_otp.oath import totp

    return f"{totp(key):06d}"


def pass_second_factor(page, email: str, key: bytes | None = None) -> None:
    """On the second-factor page: set up a phone as a person would (read the key the page
    shows into the "app", type its code, go on past the recovery codes), or type the code of
    the phone set up before (``key``, else the one remembered for ``email``). django-otp takes
    each code once: when the same person logged in within the same 30 seconds, wait for the
    next code."""
    import time
    from base64 import b32decode

    shown = page.locator(".totp-key code")
    enrolling = shown.count() > 0
    if enrolling:
        typed = shown.inner_text().replace(" ", "")
        key = b32decode(typed + "=" * (-len(typed) % 8))
        PHONE_KEYS[email] = key
    key = key or PHONE_KEYS[email]
    for attempt in range(2):
        page.get_by_label("Code", exact=True).fill(current_code(key))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        if "/tweestaps/" not in page.url or "/tweestaps/herstelcodes/" in page.url:
            break
        assert attempt == 0, f"{email}: tweestapscode geweigerd"
        time.sleep(31 - time.time() % 30)
    if enrolling:
        page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
        page.wait_for_load_state()


def log_in(context, base: str, email: str, *, key: bytes | None = None):
    """A new page in ``context``, logged in through the real login page: the password, then
    (the board, the kascommissie, an administrator, or anyone with a phone) the second factor,
    setting up the phone the first time."""
    page = context.new_page()
    page.goto(f"{base}/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/tweestaps/" in page.url:
        pass_second_factor(page, email, key)
    page.wait_for_url(f"{base}/")
    return page
