"""The whole help loop in a real headless Chromium, by clicking as a person would: a member asks
for help, a volunteer answers, the requester accepts, the volunteer registers hours, the
requester says once that they are not right, the volunteer corrects them, the requester
confirms (on WIJ: and approves the quality, in one step) and gives feedback, and what the
service earns is settled: on `oost` a klus paid in cash, on `wij` points. After logging in,
every page is reached by clicking visible links and buttons, from the home page on."""

from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.klussen.models import KlusPayment
from cooperatives.marketplace.models import CompensationDue, HelpRequest, HoursDispute, Service
from cooperatives.points.models import Transfer
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

# template: (subdomain, cluster, confirm button, what the service earns)
FLOWS = {
    "oost": ("e2e-oost", "Reparaties", "Ja, de uren kloppen", ("euros", Decimal("6.75"))),
    "wij": (
        "e2e-wij",
        "Administratie",
        "Ja, de uren kloppen en ik ben tevreden",
        ("points", Decimal("3.00")),
    ),
}
TITLE = "Lekkende kraan"


def home(page) -> None:
    """Back to the home page through the cooperative's name in the header."""
    page.locator("a.brand").click()
    page.wait_for_load_state()


def open_service(page) -> None:
    """From the home page to the service: the menu's "Mijn afspraken", then the service."""
    home(page)
    page.get_by_role("link", name="Mijn afspraken", exact=True).first.click()
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("template", list(FLOWS))
def test_the_help_loop_from_asking_to_settled_in_a_browser(
    coops, django_db_blocker, settings, monkeypatch, template
):
    assert chromium_path(), (
        "Chromium ontbreekt: installeer Debian's pakket 'chromium' (bin/test doet dat)"
    )
    slug, cluster_name, confirm_button, (kind, amount) = FLOWS[template]
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made here between
    # browser steps are ordinary synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server speaks plain http: cookies must not require https here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with django_db_blocker.unblock():
        try:
            coop = cooperative_sign_up(
                name=f"E2E {template}",
                slug=slug,
                board_member_name="Bea Bestuur",
                email=f"bestuur@{slug}.example.nl",
                password=PASSWORD,
                template=template,
            ).cooperative
            with schema_context(coop.schema_name):
                hashed = make_password(PASSWORD)
                requester = browser_member("Riet Vraag", f"riet@{slug}.example.nl", hashed)
                volunteer = browser_member(
                    "Vincent Vrijwilliger", f"vincent@{slug}.example.nl", hashed, role="volunteer"
                )
            with live_server() as port, browser(settings.PLATFORM_DOMAIN) as chrome:
                base = f"http://{slug}.{settings.PLATFORM_DOMAIN}:{port}"
                asker = log_in(chrome.new_context(locale="nl-NL"), base, requester.email)
                helper = log_in(chrome.new_context(locale="nl-NL"), base, volunteer.email)

                # 1. The member asks for help (on Oost a paid klus: the family check first).
                asker.get_by_role("link", name="Hulp vragen").first.click()
                options = asker.locator("#id_cluster option")
                value = next(
                    options.nth(i).get_attribute("value")
                    for i in range(options.count())
                    if options.nth(i).inner_text().startswith(cluster_name)
                )
                asker.get_by_label("Waarbij zoekt u hulp?").select_option(value)
                asker.locator("#id_title").fill(TITLE)
                asker.locator("#id_expected_hours").fill("1,5")
                if template == "oost":
                    asker.get_by_label("Familie, vrienden en buren kunnen niet helpen").check()
                asker.get_by_role("button", name="Hulpvraag plaatsen").click()
                asker.wait_for_load_state()
                assert TITLE in asker.content()

                # 2. The volunteer finds it on the marketplace and answers "ik help".
                helper.get_by_role("link", name="Hulpvragen in de buurt").first.click()
                helper.get_by_role("link", name=TITLE).first.click()
                helper.get_by_role("button", name="Ik help").click()
                helper.wait_for_load_state()

                # 3. The requester accepts and plans it for today.
                home(asker)
                asker.get_by_role("link", name="Mijn hulpvragen", exact=True).first.click()
                asker.get_by_role("link", name=TITLE).first.click()
                asker.get_by_label("Datum").fill(timezone.localdate().isoformat())
                asker.get_by_label("Begintijd").fill("10:00")
                asker.get_by_role("button", name="Vincent Vrijwilliger accepteren").click()
                asker.wait_for_load_state()

                # 4. After the appointment the volunteer registers the hours: two, by mistake.
                open_service(helper)
                assert "Registreer hoeveel uur u hielp." in helper.content()
                helper.get_by_label("Hoeveel uur heeft u geholpen?").fill("2")
                helper.get_by_role("button", name="Uren registreren").click()
                helper.wait_for_load_state()

                # 5. The requester says that is not right, with the reason.
                open_service(asker)
                asker.get_by_label("Wat klopt er niet?").fill("Het was anderhalf uur.")
                asker.get_by_role("button", name="Dit klopt niet").click()
                asker.wait_for_load_state()
                with schema_context(coop.schema_name):
                    service = Service.objects.get(request__title=TITLE)
                    assert service.status == Service.Status.DISPUTED
                    assert not CompensationDue.objects.filter(service=service).exists()

                # 6. The volunteer reads why at the top of the page and corrects the hours.
                open_service(helper)
                assert "Het was anderhalf uur." in helper.locator("#volgende-stap").inner_text()
                helper.get_by_label("Hoeveel uur is er echt geholpen?").fill("1,5")
                helper.get_by_role("button", name="Uren aanpassen").click()
                helper.wait_for_load_state()

                # 7. The requester confirms (on WIJ also the quality) and gives feedback.
                open_service(asker)
                asker.get_by_role("button", name=confirm_button, exact=True).click()
                asker.wait_for_load_state()
                asker.get_by_role("link", name="Naar deze stap").click()
                asker.locator("input[name=rating][value='5']").check()
                asker.get_by_label("Toelichting (mag leeg blijven)").fill("Top, dank je!")
                asker.get_by_role("button", name="Terugkoppeling versturen").click()
                asker.wait_for_load_state()
                assert "Top, dank je!" in asker.content()

                # 8. On Oost the volunteer confirms the cash from the service page's next step.
                if template == "oost":
                    open_service(helper)
                    assert "Riet betaalt u € 6,75" in helper.content()
                    helper.get_by_role("link", name="Naar Klussen").first.click()
                    helper.get_by_role("button", name="Ik heb het geld contant ontvangen").click()
                    helper.wait_for_load_state()
                # Inside Playwright's event loop the ORM got a connection of its own (Django's
                # connections are context-local); close it, or it outlives the test database.
                connections.close_all()

            with schema_context(coop.schema_name):
                service.refresh_from_db()
                assert service.status == Service.Status.CONFIRMED
                assert service.registered_hours == Decimal("1.5")
                assert (service.rating, service.feedback) == (5, "Top, dank je!")
                assert HelpRequest.objects.get().status == HelpRequest.Status.CLOSED
                dispute = HoursDispute.objects.get(service=service)
                assert (dispute.disputed_hours, dispute.corrected_hours) == (
                    Decimal("2"),
                    Decimal("1.5"),
                )
                due = CompensationDue.objects.get(service=service)
                assert (due.kind, due.amount, due.status) == (kind, amount, "settled")
                assert (due.payer_id, due.payee_id) == (requester.pk, volunteer.pk)
                if template == "oost":
                    assert KlusPayment.objects.get(service=service).status == "paid"
                else:
                    assert Transfer.objects.get(service_id=service.pk).status == "booked"
                    assert not Transfer.objects.filter(status="pending").exists()
            # The other cooperatives saw none of it.
            for other in coops.values():
                with schema_context(other.schema):
                    assert not HelpRequest.objects.filter(title=TITLE).exists()
        finally:
            drop_cooperative(schema_name_for(slug))
