"""An ALV from convocation to decision in a real headless Chromium, by clicking from the home
page: the secretary prepares a meeting with two items (one a change of the house rules) and
convenes it, two members vote online before the meeting, on the day the secretary signs the
attendance register and records the results from the phone-sized page, and the decision
shows on the meeting page with what it put into effect: the rules change with it.

The chair first sets the statutes by clicking: members may take part and vote electronically,
and the ALV decides the house rules. One thing is not a click: the meeting's day comes by
moving its start to a minute ago (the clock cannot be clicked forward). The decision then
stands in the register (Besluitenlijst) with what it put into effect."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.governance.models import Decision
from cooperatives.meetings.models import Meeting, OpenVote
from cooperatives.rules.selectors import rulebook_latest
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

SLUG = "e2e-alv"
RULES_ITEM = "Tarief per uur naar € 5,00"
BUDGET_ITEM = "Begroting 2027"


def home(page) -> None:
    page.locator("a.brand").click()
    page.wait_for_load_state()


def open_meeting(page, title: str) -> None:
    home(page)
    page.get_by_role("link", name="Vergaderingen", exact=True).first.click()
    page.get_by_role("link", name=title).first.click()
    page.wait_for_load_state()


def add_item(page, title: str, kind: str, *, day: str, proposal: tuple[str, str] | None = None):
    page.get_by_label("Onderwerp").fill(title)
    page.get_by_label("Toelichting").fill(f"Voorstel: {title}.")
    page.get_by_label("Soort besluit").select_option(label=kind)
    page.get_by_label("open stemming").check()
    if proposal:
        page.get_by_label("Wat brengt het besluit in werking?").select_option(proposal[0])
        page.get_by_label("Inhoud van het voorstel").fill(proposal[1])
    today = timezone.localdate().strftime("%d-%m-%Y")
    page.get_by_label("Online stemmen vanaf (datum)").fill(today)
    page.get_by_label("Online stemmen vanaf (tijd)").fill("00:00")
    page.get_by_label("Online stemmen tot (datum)").fill(day)
    page.get_by_label("Online stemmen tot (tijd)").fill("23:00")
    page.get_by_role("button", name="Agendapunt toevoegen").click()
    page.wait_for_load_state()
    assert "Het agendapunt is toegevoegd." in page.content()


def vote(page, meeting: str, item: str, choice: str) -> None:
    open_meeting(page, meeting)
    page.get_by_role("link", name=f"Stemmen over {item}").click()
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Stem uitbrengen").click()
    page.wait_for_load_state()
    assert "Uw stem is uitgebracht." in page.content()


@pytest.mark.timeout(300)
def test_an_alv_convened_voted_and_decided_in_a_browser(
    coops, django_db_blocker, settings, monkeypatch
):
    assert chromium_path(), "Chromium ontbreekt: installeer Debian's pakket 'chromium'"
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    title = "ALV najaar"
    with django_db_blocker.unblock():
        try:
            coop = cooperative_sign_up(
                name="E2E ALV",
                slug=SLUG,
                board_member_name="Bea Bestuur",
                email=f"bestuur@{SLUG}.example.nl",
                password=PASSWORD,
                template="oost",
            ).cooperative
            with schema_context(coop.schema_name):
                hashed = make_password(PASSWORD)
                anna = browser_member("Anna Akkoord", f"anna@{SLUG}.example.nl", hashed)
                bram = browser_member("Bram Buur", f"bram@{SLUG}.example.nl", hashed)
                rate_before = rulebook_latest().euro_rate_per_hour
            day = (timezone.localdate() + dt.timedelta(days=15)).strftime("%d-%m-%Y")
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                secretary = log_in(
                    chrome.new_context(locale="nl-NL"), base, f"bestuur@{SLUG}.example.nl"
                )
                first = log_in(chrome.new_context(locale="nl-NL"), base, anna.email)
                second = log_in(chrome.new_context(locale="nl-NL"), base, bram.email)

                # 0. The chair (who signed up) sets the statutes: electronic participation and
                # voting allowed, the ALV decides the house rules.
                secretary.get_by_role("link", name="Statuten instellen").first.click()
                for question in (
                    "elektronisch deelnemen toegestaan",
                    "elektronisch stemmen toegestaan",
                ):
                    secretary.get_by_role("group", name=question).get_by_label("ja").check()
                secretary.get_by_label("spelregels en tarieven vastgesteld door").select_option(
                    label="de algemene ledenvergadering"
                )
                secretary.get_by_role("button", name="Opslaan").click()
                secretary.wait_for_load_state()
                home(secretary)

                # 1. The secretary prepares the ALV and its two items, and convenes it.
                secretary.get_by_role("link", name="Vergaderingen voorbereiden").first.click()
                secretary.get_by_role("link", name="Nieuwe vergadering").click()
                secretary.get_by_label("Welk orgaan vergadert?").select_option(
                    label="Algemene ledenvergadering"
                )
                secretary.get_by_label("Naam van de vergadering").fill(title)
                secretary.get_by_label("Datum").fill(day)
                secretary.get_by_label("Begintijd").fill("19:30")
                secretary.get_by_label("Plaats").fill("Buurthuis De Linde")
                secretary.get_by_role("button", name="Vergadering aanmaken").click()
                secretary.wait_for_load_state()
                add_item(secretary, BUDGET_ITEM, "gewoon besluit", day=day)
                add_item(
                    secretary,
                    RULES_ITEM,
                    "spelregels en tarieven",
                    day=day,
                    proposal=("rulebook", '{"changes": {"euro_rate_per_hour": "5.00"}}'),
                )
                secretary.get_by_role("button", name="Uitnodigingen versturen").click()
                secretary.wait_for_load_state()
                assert "De uitnodigingen zijn verstuurd." in secretary.content()

                # 2. The members answer and vote online before the meeting.
                open_meeting(first, title)
                first.get_by_label("ik kom", exact=True).check()
                first.get_by_role("button", name="Antwoord opslaan").click()
                first.wait_for_load_state()
                assert "Dank u, uw antwoord is opgeslagen." in first.content()
                vote(first, title, RULES_ITEM, "voor")
                vote(first, title, BUDGET_ITEM, "voor")
                vote(second, title, RULES_ITEM, "voor")
                vote(second, title, BUDGET_ITEM, "tegen")

                # 3. The day of the meeting has come.
                with schema_context(coop.schema_name):
                    Meeting.objects.filter(title=title).update(
                        starts_at=timezone.now() - dt.timedelta(minutes=1)
                    )
                    assert OpenVote.objects.filter(cast_electronically=True).count() == 4

                # 4. The secretary signs herself in and records the result, on a phone.
                home(secretary)
                secretary.get_by_role("link", name="Vergaderingen voorbereiden").first.click()
                secretary.get_by_role("link", name=f"Presentielijst en uitslagen: {title}").click()
                secretary.set_viewport_size({"width": 390, "height": 844})
                secretary.get_by_role("button", name="Bea Bestuur is aanwezig").click()
                secretary.wait_for_load_state()
                secretary.get_by_role("link", name=f"Uitslag vastleggen: {RULES_ITEM}").click()
                assert "2 voor, 0 tegen, 0 onthoudingen" in secretary.content()
                secretary.get_by_label("Stemmen voor in de zaal").fill("1")
                secretary.get_by_role("button", name="Uitslag vastleggen").click()
                secretary.wait_for_load_state()
                assert "is vastgelegd: aangenomen." in secretary.content()
                width = secretary.evaluate("document.documentElement.scrollWidth")
                assert width <= 390

                # 5. A member sees the decision and what it put into effect, and the rules.
                open_meeting(second, title)
                text = second.content()
                assert "aangenomen" in text and "3 voor, 0 tegen, 0 onthoudingen" in text
                assert "In werking gezet: Spelregels versie" in text
                home(second)
                second.get_by_role("link", name="Besluitenlijst").first.click()
                second.wait_for_url("**/besluiten/")
                register = " ".join(second.locator("main").inner_text().split())
                assert RULES_ITEM in register and "Aangenomen (3 voor, 0 tegen)" in register
                second.locator("h2", has_text=RULES_ITEM).get_by_role("link").first.click()
                second.wait_for_url("**/besluiten/*/")
                assert "3 voor" in second.content()
                home(second)
                second.get_by_role("link", name="Spelregels en tarieven").first.click()
                assert "€ 5,00 per uur" in second.content()
                connections.close_all()

            with schema_context(coop.schema_name):
                decision = Decision.objects.get(title=RULES_ITEM)
                assert (decision.outcome, decision.votes_for, decision.kind) == (
                    "adopted",
                    3,
                    "rules",
                )
                assert decision.effects[0]["kind"] == "rulebook"
                assert rate_before != Decimal("5.00")
                assert rulebook_latest().euro_rate_per_hour == Decimal("5.00")
            for other in coops.values():
                with schema_context(other.schema):
                    assert not Meeting.objects.filter(title=title).exists()
        finally:
            drop_cooperative(schema_name_for(SLUG))
