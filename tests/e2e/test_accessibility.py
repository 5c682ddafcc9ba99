"""axe-core (the npm package, pinned by package-lock.json) inside the real headless Chromium on
every page the member, volunteer, coordinator and board journeys of both template cooperatives
reach by clicking, at a phone's width (390 px) and a desktop's (1280 px). Any violation of
impact "serious" or "critical" fails the test, with its rule, page, width and element; so do
two checks axe does not make: a page that scrolls sideways (reflow) and an element whose
keyboard focus does not show. A <details> (the menu on a phone) is checked open, as a keyboard
user opens it. Milder findings (impact moderate or minor) are printed in pytest's closing summary.

The pages are found, not listed: as each role the crawl starts at the home page and follows
the visible links on the cooperative's own subdomain (breadth first, bounded), so a page added
later is checked as soon as something links to it. Logging out, the language switch,
downloads, Stripe and the API are left alone. The apex is crawled too: as a visitor from the
landing page and as a network administrator from the network overview.

What keeps it quick: pages that differ only by an id (``/hulpvragen/12/`` and
``/hulpvragen/13/``) are one page to the crawl; axe runs once per page *structure* (its
elements with their class, role and type, repeated siblings folded): `oost`'s and `wij`'s
markets come from one template, and a list of three rows is drawn as a list of five; axe is
an init script of the browser context, compiled once rather than parsed again on every page;
and each page is checked first at the width it was loaded at.

The data is the demo's (``noaber.demo``, committed, since the live server runs in its own
thread) plus a member without a role in each cooperative; all of it is removed at the end.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.staticfiles import finders
from django.db import connection, connections
from django_tenants.utils import schema_context

from noaber import demo
from tenants.services import schema_name_for
from tests.browser import (
    PASSWORD,
    browser,
    browser_member,
    chromium_path,
    drop_cooperative,
    drop_public_user,
)
from tests.browser import live_server as serve

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
VIEWPORT_HEIGHT = 900
FAILING = ("serious", "critical")
# The crawl's bounds per journey: how many clicks from its start, how many distinct pages.
MAX_DEPTH = 3
MAX_PAGES = 80
SKIP = re.compile(
    r"/uitloggen/|/i18n/|/api/|\.(csv|pdf|ics|json)$|/export/|/agenda/"
    r"|/abonnement/(kiezen|beheren)/|/online-betalen/"
)
# Every WCAG 2.x A and AA rule, and axe's best practices (landmarks, heading order, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
RUN_AXE = """async (options) => (await axe.run(document, options)).violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(" ")),
}))"""
VISIBLE_LINKS = """() => Array.from(document.querySelectorAll("a[href]"))
  .filter(a => !a.hasAttribute("download") && a.getClientRects().length > 0
               && getComputedStyle(a).visibility !== "hidden")
  // An <a> inside an SVG (a place on the map) holds its address as an SVGAnimatedString.
  .map(a => typeof a.href === "string" ? a.href : new URL(a.href.baseVal, document.baseURI).href)"""
# Keyboard focus must show: after one Tab (so the browser knows the keyboard is in use), every
# element that can take focus is focused in turn and must draw an outline or a shadow.
FOCUS_HIDDEN = """() => {
  const focusable = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]";
  const hidden = [];
  for (const el of document.querySelectorAll(focusable)) {
    if (el.tabIndex < 0 || el.disabled || el.getClientRects().length === 0) continue;
    el.focus();
    // Not focused: out of the keyboard's reach too (inside a closed <details>, say), so it
    // has no focus to show.
    if (document.activeElement !== el) continue;
    const style = getComputedStyle(el);
    if (style.outlineStyle === "none" && style.boxShadow === "none") {
      const text = (el.textContent || el.name || "").trim().slice(0, 40);
      hidden.push(el.id ? "#" + el.id : el.tagName.toLowerCase() + ": " + text);
    }
  }
  return hidden;
}"""
# Nothing may make the page itself scroll sideways (WCAG 1.4.10, reflow): the elements that
# stick out past the right edge, outermost first.
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right > width + 1 && !out.some(o => o.contains(el))) {
      out.push(el);
    }
  }
  return out.slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
}"""
# What a keyboard user can open is checked open: the menu on a phone (a <details>) and any
# other <details> on the page, so the links inside are checked too.
OPEN_DETAILS = (
    """() => document.querySelectorAll("details:not([open])").forEach(d => { d.open = true; })"""
)
STRUCTURE = """() => {
  const kept = ["class", "role", "type", "scope", "tabindex", "hidden", "open", "aria-live"];
  const shape = (el) => {
    const own = el.tagName + "[" + kept.map(a => el.getAttribute(a) || "").join("|") + "]";
    const children = [];
    for (const child of el.children) {
      const s = shape(child);
      if (children[children.length - 1] !== s) children.push(s);
    }
    return children.length ? own + "(" + children.join(",") + ")" : own;
  };
  return shape(document.body);
}"""


@dataclass(frozen=True)
class Journey:
    label: str  # "oost/vrijwilliger"
    base: str  # "http://oost.noaber.test:1234"
    email: str | None = None  # None: a visitor who is not logged in
    login: str = "/inloggen/"
    start: str = "/"
    # False: a board member without a phone yet, whose pages all lead to setting one up
    # (the crawl checks that page instead of typing a code).
    has_phone: bool = True


@dataclass
class Findings:
    visited: int = 0
    checked: int = 0
    structures: set[str] = field(default_factory=set)
    violations: dict[tuple[str, str, str], str] = field(default_factory=dict)
    minor: dict[str, set[str]] = field(default_factory=dict)


def _pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|\.|$)", "/<id>", path)


def _check(page, journey: Journey, findings: Findings) -> None:
    """Run axe at both widths on the page, unless a page of the same structure was checked
    (axe is in the page already: an init script of the context)."""
    structure = page.evaluate(STRUCTURE)
    if structure in findings.structures:
        return
    findings.structures.add(structure)
    findings.checked += 1
    page.evaluate(OPEN_DETAILS)
    where = f"{journey.label} {urlsplit(page.url).path}"
    # The width the page was loaded at first, so each page is laid out once less.
    for width in sorted(WIDTHS, key=lambda w: w != page.viewport_size["width"]):
        if page.viewport_size["width"] != width:
            page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
        for target in page.evaluate(STICKING_OUT):
            findings.violations.setdefault(
                ("reflow", _pattern(urlsplit(page.url).path), target),
                f"serious: reflow (pagina schuift opzij) op {where} bij {width} px: {target}",
            )
        page.keyboard.press("Tab")
        for target in page.evaluate(FOCUS_HIDDEN):
            findings.violations.setdefault(
                ("focus-visible", _pattern(urlsplit(page.url).path), target),
                f"serious: focus-visible (toetsenbordfocus niet te zien) op {where} "
                f"bij {width} px: {target}",
            )
        for v in page.evaluate(RUN_AXE, AXE_OPTIONS):
            if v["impact"] not in FAILING:
                findings.minor.setdefault(f"{v['id']} ({v['impact']})", set()).add(where)
                continue
            for target in v["targets"]:
                findings.violations.setdefault(
                    (v["id"], _pattern(urlsplit(page.url).path), target),
                    f"{v['impact']}: {v['id']} ({v['help']}) op {where} bij {width} px: {target}",
                )


def _links(page, host: str, seen: set[str]) -> list[str]:
    found = []
    for href in page.evaluate(VISIBLE_LINKS):
        parts = urlsplit(href)
        if (
            parts.scheme in ("http", "https")
            and parts.netloc == host
            and not SKIP.search(parts.path)
            and _pattern(parts.path) not in seen
        ):
            found.append(f"{parts.scheme}://{parts.netloc}{parts.path}")
    return found


def _static_from_disk(route) -> None:
    """The stylesheet straight from its file: the live server serves one request at a time,
    and a page checked is the same page with its styles either way."""
    found = finders.find(urlsplit(route.request.url).path.removeprefix(settings.STATIC_URL))
    if found:
        route.fulfill(path=found)
    else:
        route.continue_()


def _crawl(context, journey: Journey, findings: Findings) -> None:
    context.route(f"**{settings.STATIC_URL}**", _static_from_disk)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    if journey.email:
        page.goto(urljoin(journey.base, journey.login))
        page.get_by_label("E-mailadres").fill(journey.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert journey.login not in page.url, f"{journey.label}: inloggen mislukt"
        if "/tweestaps/" in page.url and journey.has_phone:  # the second factor
            from django_otp.oath import totp

            network = journey.login.startswith("/netwerk/")
            key = demo.NETWORK_ADMIN_TOTP_KEY if network else demo.BOARD_TOTP_KEY
            code = f"{totp(bytes.fromhex(key)):06d}"
            page.get_by_label("Code", exact=True).fill(code)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert "/tweestaps/" not in page.url, f"{journey.label}: tweestapscode geweigerd"
    host = urlsplit(journey.base).netloc
    queue = deque([(urljoin(journey.base, journey.start), 0)])
    seen: set[str] = set()
    while queue and len(seen) < MAX_PAGES:
        url, depth = queue.popleft()
        if _pattern(urlsplit(url).path) in seen:
            continue
        seen.add(_pattern(urlsplit(url).path))
        response = page.goto(url)
        assert response is not None and response.status < 500, f"{journey.label}: {url}"
        # A redirect (to the login page, say) lands on a page of its own.
        seen.add(_pattern(urlsplit(page.url).path))
        findings.visited += 1
        _check(page, journey, findings)
        if depth < MAX_DEPTH:
            queue.extend((link, depth + 1) for link in _links(page, host, seen))
    page.close()


_KEPT: dict[str, str | None] = {}
# One cooperative gets a board member without a phone (the pages to set one up, to confirm
# the password again).
DEMO_COOPERATIVES_WITH_NEW_BOARD_MEMBER = "oost"
NEW_BOARD_MEMBER = "axe-bestuur@oost.example.nl"


def _seed() -> dict[str, dict[str, str]]:
    """The demo cooperatives with every login's password set to the tests' one, and a member
    without a role in each; the email to log in with, per cooperative and role."""
    from cooperatives.members.models import Member, Role
    from shared.accounts.models import User

    # The sessions' network administrator (tests/conftest.py) is the demo's: keep its password
    # to put back, as this test hashes with MD5, which no other test's settings can read.
    _KEPT["admin_password"] = (
        User.objects.filter(email=demo.NETWORK_ADMIN[1]).values_list("password", flat=True).first()
    )
    demo.demo_seed()
    hashed = make_password(PASSWORD)
    logins: dict[str, dict[str, str]] = {}
    for spec in demo.DEMO_COOPERATIVES:
        slug = spec["slug"]
        with schema_context(f"coop_{slug}"):
            User.objects.update(password=hashed)
            plain = f"axe-lid@{slug}.example.nl"
            browser_member("Lotte Lid", plain, hashed)
            with_role = Member.objects.exclude(user=None).order_by("pk")
            logins[slug] = {
                "lid": plain,
                "vrijwilliger": with_role.filter(role_assignments__role=Role.VOLUNTEER)[0].email,
                "coordinator": with_role.filter(role_assignments__role=Role.COORDINATOR)[0].email,
                "bestuur": spec["board"][1],
            }
            if slug == DEMO_COOPERATIVES_WITH_NEW_BOARD_MEMBER:
                browser_member("Bas Nieuwbestuur", NEW_BOARD_MEMBER, hashed, role="board_general")
    User.objects.filter(email=demo.NETWORK_ADMIN[1]).update(password=hashed)
    connection.set_schema_to_public()
    return logins


def _clean_up() -> None:
    from noaber.demo_networks import EXTRA_COOPERATIVES
    from tenants.knowledge.models import Document
    from tenants.models import Network
    from tenants.networks.models import Membership
    from tenants.savings.models import SavingsParameters

    connection.set_schema_to_public()
    networks = Network.objects.filter(slug__in=[slug for slug, _name in demo.DEMO_NETWORKS])
    Membership.objects.filter(network__in=networks).delete()
    Document.objects.filter(network__in=networks).delete()
    SavingsParameters.objects.filter(network__in=networks).delete()
    networks.filter(parent__isnull=False).delete()
    networks.delete()
    drop_public_user(demo.NATIONAL_ADMIN[1])
    # The session's network administrator as it was: its password, and no phone of the demo's.
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from shared.accounts.models import User

    admin = User.objects.filter(email=demo.NETWORK_ADMIN[1])
    TOTPDevice.objects.filter(user__in=admin).delete()
    for device in StaticDevice.objects.filter(user__in=admin):
        device.token_set.all().delete()
        device.delete()
    if _KEPT.get("admin_password"):
        admin.update(password=_KEPT["admin_password"])
    for spec in demo.DEMO_COOPERATIVES:
        drop_cooperative(f"coop_{spec['slug']}")
    for slug, *_rest in EXTRA_COOPERATIVES:
        drop_cooperative(schema_name_for(slug))


def _journeys(logins: dict[str, dict[str, str]], domain: str, port: int) -> list[Journey]:
    apex = f"http://{domain}:{port}"
    journeys = [
        Journey("hoofddomein/bezoeker", apex),
        Journey(
            "hoofddomein/netwerkbeheer",
            apex,
            demo.NETWORK_ADMIN[1],
            login="/netwerk/inloggen/",
            start="/netwerk/",
        ),
    ]
    for slug, roles in logins.items():
        base = f"http://{slug}.{domain}:{port}"
        journeys.append(Journey(f"{slug}/bezoeker", base))
        journeys += [Journey(f"{slug}/{role}", base, email) for role, email in roles.items()]
        if slug == DEMO_COOPERATIVES_WITH_NEW_BOARD_MEMBER:
            # A new board member without a phone: the page that asks for the password again
            # before a sensitive action, then (every other page) setting up the phone.
            journeys.append(
                Journey(
                    f"{slug}/nieuw-bestuurslid",
                    base,
                    NEW_BOARD_MEMBER,
                    start="/bevestigen/?next=/",
                    has_phone=False,
                )
            )
    return journeys


# The crawl takes about 100 s of CPU (Chromium, axe and the server); on two cores shared with
# other work that is 4 to 8 minutes. The bound is there to stop a hang, not to time it (each
# page load has its own 30 s limit).
@pytest.mark.timeout(900)
def test_no_serious_accessibility_violation_on_any_page_of_the_journeys(
    coops, django_db_blocker, settings, monkeypatch, summary
):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    assert AXE.exists(), "axe-core ontbreekt: draai 'npm ci' (bin/test doet dat)"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    # Twelve logins need not cost a second of key stretching each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    findings = Findings()
    started = time.monotonic()
    with django_db_blocker.unblock():
        try:
            logins = _seed()
            with serve() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                for journey in _journeys(logins, settings.PLATFORM_DOMAIN, port):
                    context = chrome.new_context(
                        locale="nl-NL",
                        viewport={"width": WIDTHS[-1], "height": VIEWPORT_HEIGHT},
                    )
                    try:
                        _crawl(context, journey, findings)
                    finally:
                        context.close()
                # The ORM calls made inside Playwright's event loop got their own connection.
                connections.close_all()
        finally:
            _clean_up()
    summary(
        f"axe: {findings.visited} pagina's bezocht, {findings.checked} verschillende "
        f"bekeken op {' en '.join(map(str, WIDTHS))} px, "
        f"{time.monotonic() - started:.0f} s"
    )
    for rule, pages in sorted(findings.minor.items()):
        summary(f"axe, niet ernstig: {rule} op {', '.join(sorted(pages))}")
    assert not findings.violations, "\n" + "\n".join(sorted(findings.violations.values()))
