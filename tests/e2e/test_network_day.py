"""A network administrator's day in a real headless Chromium, by clicking from the apex's home
page: log in with the password and the code from the phone, read the network's figures side
by side, open one cooperative's trend, look at the map and publish a document in the
knowledge network. The cooperative outside the network appears nowhere.

Set-up (committed, since the live server runs in its own thread): two cooperatives signed up
through the real service, one a member of a city network under a national one and one of a
third network; seven members in the first, so its member count (7) is above the privacy
threshold and shown; the nightly figures computed once. All of it is removed at the end."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection, connections
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from cooperatives.figures.catalog import GROUP_KEYS
from shared.accounts.models import User
from tenants.figures.services import figures_run
from tenants.knowledge.models import Document
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership, NetworkRole
from tenants.services import cooperative_sign_up, schema_name_for
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    drop_public_user,
    live_server,
)

INSIDE, OUTSIDE = "e2e-netwerk-in", "e2e-netwerk-uit"
ADMIN = "beheer@e2e-stad.example.nl"


def _set_up() -> TOTPDevice:
    made = {}
    for slug, name in ((INSIDE, "Buurtkracht Binnen"), (OUTSIDE, "Buurtkracht Buiten")):
        made[slug] = cooperative_sign_up(
            name=name,
            slug=slug,
            board_member_name=f"Bestuur {name}",
            email=f"bestuur@{slug}.example.nl",
            password=PASSWORD,
            template="oost",
            place="Utrecht",
        ).cooperative
    Cooperative.objects.filter(slug=INSIDE).update(
        latitude=Decimal("52.09"), longitude=Decimal("5.12")
    )
    with schema_context(made[INSIDE].schema_name):
        hashed = make_password(PASSWORD)
        for first in ("Anna", "Bram", "Cor", "Dina", "Eef", "Fien"):
            browser_member(f"{first} Binnen", f"lid{first.lower()}@{INSIDE}.example.nl", hashed)
    land = Network.objects.create(name="E2E Land", slug="e2e-land", tier=Network.Tier.NATIONAL)
    stad = Network.objects.create(
        name="E2E Stad", slug="e2e-stad", tier=Network.Tier.CITY, parent=land
    )
    ander = Network.objects.create(name="E2E Ander", slug="e2e-ander")
    for network, slug in ((stad, INSIDE), (ander, OUTSIDE)):
        Membership.objects.create(
            network=network,
            cooperative=made[slug],
            status=Membership.Status.ACTIVE,
            initiated_by=Membership.Side.COOPERATIVE,
            share_groups=list(GROUP_KEYS),
            on_map=True,
            started_at=timezone.now(),
        )
    for cooperative in made.values():
        figures_run(cooperative=cooperative)
    connection.set_schema_to_public()
    admin = User.objects.create_user(ADMIN, PASSWORD, full_name="Stella Stad")
    NetworkRole.objects.create(user=admin, network=stad, role=NetworkRole.Role.MANAGER)
    return TOTPDevice.objects.create(user=admin, name="telefoon", confirmed=True)


def _clean_up() -> None:
    connection.set_schema_to_public()
    networks = Network.objects.filter(slug__in=["e2e-land", "e2e-stad", "e2e-ander"])
    Membership.objects.filter(network__in=networks).delete()
    Document.objects.filter(network__in=networks).delete()
    networks.filter(parent__isnull=False).delete()
    networks.delete()
    drop_public_user(ADMIN)
    for slug in (INSIDE, OUTSIDE):
        drop_cooperative(schema_name_for(slug))


@pytest.mark.timeout(300)
def test_a_network_administrators_day(coops, django_db_blocker, settings, monkeypatch, tmp_path):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    plan = tmp_path / "buurtplan.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with django_db_blocker.unblock():
        try:
            device = _set_up()
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                page = chrome.new_context(locale="nl-NL").new_page()
                page.goto(f"http://{settings.PLATFORM_DOMAIN}:{port}/")

                # 1. From the home page to the network login, password, then the phone's code.
                page.get_by_role("link", name="Inloggen voor netwerkbeheerders").first.click()
                page.get_by_label("E-mailadres").fill(ADMIN)
                page.get_by_label("Wachtwoord").fill(PASSWORD)
                page.locator("main form button[type=submit]").click()
                page.wait_for_url("**/tweestaps/**")
                page.get_by_label("Code", exact=True).fill(f"{totp(device.bin_key):06d}")
                page.locator("main form button[type=submit]").click()
                page.wait_for_url("**/netwerk/e2e-stad/")

                # 2. The figures side by side: the member cooperative, never the other one.
                main = page.locator("main")
                assert "Cijfers van E2E Stad" in main.inner_text()
                assert "Buurtkracht Binnen" in main.inner_text()
                assert "Buurtkracht Buiten" not in page.content()
                assert "Laatst berekend" in main.inner_text()

                # 3. One cooperative's trend: charts that are also tables.
                main.get_by_role("link", name="Buurtkracht Binnen").first.click()
                page.wait_for_url("**/cooperaties/e2e-netwerk-in/")
                assert page.locator("main svg[role=img]").count() >= 1
                assert page.locator("main table").count() >= 1
                members_table = " ".join(page.locator("main").inner_text().split())
                assert "7" in members_table
                for name in ("Anna Binnen", "lidanna@"):
                    assert name not in page.content()

                # 4. The map, from the menu: one place, the member cooperative.
                page.get_by_role("link", name="Kaart", exact=True).first.click()
                page.wait_for_url("**/netwerk/e2e-stad/kaart/")
                assert "Buurtkracht Binnen" in page.locator("main").inner_text()
                assert "Buurtkracht Buiten" not in page.content()

                # 5. The knowledge network: publish a project plan.
                page.get_by_role("link", name="Kennisnetwerk", exact=True).first.click()
                page.get_by_role("link", name="Document publiceren").click()
                page.get_by_label("Soort").select_option(label="projectplan")
                page.get_by_label("Titel").fill("Buurtplan Binnen 2027")
                page.get_by_label("Samenvatting").fill("Hoe wij de boodschappenhulp opzetten.")
                page.get_by_label("Bestand").set_input_files(str(plan))
                page.get_by_role("button", name="Publiceren").click()
                page.wait_for_url("**/netwerk/e2e-stad/kennis/")
                assert "Buurtplan Binnen 2027" in page.locator("main").inner_text()
                connections.close_all()
            assert Document.objects.filter(
                network__slug="e2e-stad", title="Buurtplan Binnen 2027", status="published"
            ).exists()
        finally:
            _clean_up()
