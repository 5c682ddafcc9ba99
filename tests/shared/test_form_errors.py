"""Forms that forgive: every error of a form at once, each next to its field (aria-invalid, and
aria-describedby pointing at the message) and summarised at the top with a link to the field;
what was typed stays (a password aside); nothing is saved."""

import datetime as dt
import html
import re
from pathlib import Path

from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import HelpRequest, Service
from cooperatives.members.models import Role
from cooperatives.setup.models import Cluster
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory, with_password

REPO_ROOT = Path(__file__).resolve().parents[2]


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*id="fouten">(.*?)</div>', page, re.S)
    assert found, "geen foutenoverzicht bovenaan"
    return found.group(1)


def _input(page: str, field_id: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    assert found, f"geen veld {field_id}"
    return found.group(0)


def _assert_marked(page: str, field_id: str) -> None:
    """The field says it is wrong, and where the message is; the summary links to it."""
    field = _input(page, field_id)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert f"{field_id}_error" in described
    assert f'id="{field_id}_error"' in page
    assert f'<a href="#{field_id}">' in _summary(page)


def test_a_request_with_two_mistakes_shows_both_and_keeps_what_was_typed(alfa):
    member = MemberFactory(
        schema=alfa.schema, name="Rita Vraag", street="Kerkstraat", house_number="1"
    )
    response = logged_in_client(alfa, member=member).post(
        "/hulpvragen/nieuw/",
        {
            "cluster": "",
            "title": "Lekkende kraan",
            "description": "Hij drupt al een week.",
            "preferred_dates": "3-12-2026, 31-02-2027",
            "expected_hours": "1,5",
            "street": "Oudwijkerlaan",
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    _assert_marked(page, "id_cluster")
    _assert_marked(page, "id_preferred_dates")
    summary = _summary(page)
    assert "Kies waarbij u hulp zoekt." in summary
    assert "Niet begrepen: 31-02-2027" in summary
    assert 'value="Lekkende kraan"' in page and "Hij drupt al een week.</textarea>" in page
    assert 'value="3-12-2026, 31-02-2027"' in page and 'value="Oudwijkerlaan"' in page
    with schema_context(alfa.schema):
        assert not HelpRequest.objects.exists()


def test_accepting_a_volunteer_with_a_wrong_date_and_time_links_both_from_the_top(alfa):
    requester = MemberFactory(
        schema=alfa.schema, name="Rita Vraag", street="Kerkstraat", house_number="1"
    )
    volunteer = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=[Role.VOLUNTEER])
    with schema_context(alfa.schema):
        made = services.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name="Wandelen"),
            title="Samen wandelen",
            expected_hours="1",
        )
        answer = services.response_create(volunteer=volunteer, request=made)
    prefix = f"r{answer.pk}"
    response = logged_in_client(alfa, member=requester).post(
        f"/reacties/{answer.pk}/accepteren/",
        {f"{prefix}-date": "31-13-2026", f"{prefix}-start_time": "25:00"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    _assert_marked(page, f"id_{prefix}-date")
    _assert_marked(page, f"id_{prefix}-start_time")
    assert 'value="31-13-2026"' in page and 'value="25:00"' in page
    assert "Die datum bestaat niet." in _summary(page)
    with schema_context(alfa.schema):
        assert not Service.objects.exists()


def test_the_same_form_with_a_dutch_date_plans_the_service(alfa):
    requester = MemberFactory(
        schema=alfa.schema, name="Rita Vraag", street="Kerkstraat", house_number="1"
    )
    volunteer = MemberFactory(schema=alfa.schema, name="Vera Vrijwilliger", roles=[Role.VOLUNTEER])
    with schema_context(alfa.schema):
        made = services.request_create(
            actor=requester,
            requester=requester,
            cluster=Cluster.objects.get(name="Wandelen"),
            title="Samen wandelen",
            expected_hours="1",
        )
        answer = services.response_create(volunteer=volunteer, request=made)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = logged_in_client(alfa, member=requester).post(
        f"/reacties/{answer.pk}/accepteren/",
        {
            f"r{answer.pk}-date": f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year}",
            f"r{answer.pk}-start_time": "1430",
        },
    )
    assert response.status_code == 302
    with schema_context(alfa.schema):
        service = Service.objects.get()
    assert (service.date, f"{service.start_time:%H:%M}") == (tomorrow, "14:30")


def test_a_wrong_password_keeps_the_email_address_but_not_the_password(alfa):
    member = with_password(alfa.schema, MemberFactory(schema=alfa.schema, name="Lotte Lid"))
    response = client_for(alfa.host).post(
        "/inloggen/", {"username": member.email, "password": "niet-mijn-wachtwoord"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{member.email}"' in _input(page, "id_username")
    assert "value=" not in _input(page, "id_password")
    assert "niet-mijn-wachtwoord" not in page
    assert _summary(page)


def _templates():
    for folder in ("billing", "cooperatives", "shared", "tenants", "platform"):
        for path in (REPO_ROOT / folder).rglob("templates/**/*.html"):
            if not path.name.startswith("_"):
                yield path


def test_every_page_with_form_fields_summarises_their_errors_at_the_top():
    """A page that draws fields through _field.html (message next to the field) also includes
    _form_errors.html (the summary with links)."""
    missing = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if "_field.html" in text and "_form_errors.html" not in text:
            missing.append(str(path.relative_to(REPO_ROOT)))
    assert missing == []
