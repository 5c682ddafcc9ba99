"""The whole service lifecycle in a real headless Chromium: a member asks for help, a
volunteer answers, the requester accepts, the volunteer registers hours, the requester
confirms and gives feedback. Every step goes through the pages, as a person would."""

from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import CompensationDue, HelpRequest, Service
from cooperatives.setup.models import Cluster
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

SLUG = "e2e-buurt"


@pytest.mark.timeout(240)
def test_help_asked_given_registered_confirmed_and_reviewed_in_a_browser(
    coops, django_db_blocker, settings, monkeypatch
):
    assert chromium_path(), (
        "Chromium ontbreekt: installeer Debian's pakket 'chromium' (bin/test doet dat)"
    )
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made here between
    # browser steps are ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain http: cookies must not require https here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with django_db_blocker.unblock():
        try:
            coop = cooperative_sign_up(
                name="E2E Buurt",
                slug=SLUG,
                board_member_name="Bea Bestuur",
                email="bestuur@e2e.example.nl",
                password=PASSWORD,
                template="oost",
            ).cooperative
            with schema_context(coop.schema_name):
                hashed = make_password(PASSWORD)
                requester = browser_member("Riet Vraag", "riet@e2e.example.nl", hashed)
                volunteer = browser_member(
                    "Vincent Vrijwilliger", "vincent@e2e.example.nl", hashed, role="volunteer"
                )
                repairs = Cluster.objects.get(name="Reparaties")
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                base = f"http://{SLUG}.{settings.PLATFORM_DOMAIN}:{port}"
                asker = log_in(chrome.new_context(locale="nl-NL"), base, requester.email)
                helper = log_in(chrome.new_context(locale="nl-NL"), base, volunteer.email)

                # 1. The member asks for help (a paid klus: the Oost rules ask the family check).
                asker.goto(f"{base}/hulpvragen/nieuw/?cluster={repairs.pk}")
                asker.get_by_label("Waarbij zoekt u hulp?").select_option(str(repairs.pk))
                asker.locator("#id_title").fill("Lekkende kraan")
                asker.locator("#id_expected_hours").fill("1,5")
                asker.get_by_label("Familie, vrienden en buren kunnen niet helpen").check()
                asker.get_by_role("button", name="Hulpvraag plaatsen").click()
                asker.wait_for_url(f"{base}/hulpvragen/*/")
                request_url = asker.url
                assert "Lekkende kraan" in asker.content()

                # 2. The volunteer answers "ik help".
                helper.goto(request_url)
                helper.get_by_role("button", name="Ik help").click()
                helper.wait_for_load_state()

                # 3. The requester accepts and plans it for today.
                asker.goto(request_url)
                asker.get_by_label("Datum").fill(timezone.localdate().isoformat())
                asker.get_by_label("Begintijd").fill("10:00")
                asker.get_by_role("button", name="Vincent Vrijwilliger accepteren").click()
                asker.wait_for_load_state()
                with schema_context(coop.schema_name):
                    service = Service.objects.get(request__title="Lekkende kraan")
                service_url = f"{base}/diensten/{service.pk}/"

                # 4. After the appointment the volunteer registers the hours.
                helper.goto(service_url)
                helper.get_by_label("Hoeveel uur heeft u geholpen?").fill("1,5")
                helper.get_by_role("button", name="Uren registreren").click()
                helper.wait_for_load_state()

                # 5. The requester confirms and gives feedback.
                asker.goto(service_url)
                asker.get_by_role("button", name="Ja, de uren kloppen").click()
                asker.wait_for_load_state()
                asker.goto(service_url)
                asker.locator("input[name=rating][value='5']").check()
                asker.get_by_label("Toelichting (mag leeg blijven)").fill("Top, dank je!")
                asker.get_by_role("button", name="Terugkoppeling versturen").click()
                asker.wait_for_load_state()
                assert "Top, dank je!" in asker.content()
                # Inside Playwright's event loop the ORM got a connection of its own (Django's
                # connections are context-local); close it, or it outlives the test database.
                connections.close_all()

            with schema_context(coop.schema_name):
                service.refresh_from_db()
                assert service.status == Service.Status.CONFIRMED
                assert service.registered_hours == Decimal("1.5")
                assert (service.rating, service.feedback) == (5, "Top, dank je!")
                assert HelpRequest.objects.get().status == HelpRequest.Status.CLOSED
                due = CompensationDue.objects.get(service=service)
                assert (due.kind, due.amount) == ("euros", Decimal("6.75"))
                assert (due.payer_id, due.payee_id) == (requester.pk, volunteer.pk)
            # The other cooperatives saw none of it.
            for other in coops.values():
                with schema_context(other.schema):
                    assert not HelpRequest.objects.filter(title="Lekkende kraan").exists()
        finally:
            drop_cooperative(schema_name_for(SLUG))
