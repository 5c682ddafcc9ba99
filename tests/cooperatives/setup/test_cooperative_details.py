"""The board's "Gegevens van de coöperatie": the contact address (Reply-To of the emails to the
members), the place and the postcode areas by which people find the cooperative from the apex.
They are kept on the cooperative's registry row; only the board (and an administrator) changes
them, every field is checked at once, and it is audited. Another cooperative is not touched."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from shared.audit.models import AuditEntry
from tenants.models import Cooperative
from tests.clients import client_for, logged_in_client
from tests.factories import MemberFactory

PATH = "/cooperatie/gegevens/"
VALID = {
    "contact_email": " Info@Alfa.example.nl ",
    "place": "Utrecht",
    "postcode_areas": "3582, 3581 AB 3581",
}


def row(coop) -> tuple[str, str, list[str]]:
    fresh = Cooperative.objects.get(pk=coop.cooperative.pk)
    return fresh.contact_email, fresh.place, fresh.postcode_areas


def test_the_board_sets_the_details_and_people_find_the_cooperative_by_them(alfa, beta):
    beta_before = row(beta)
    client = logged_in_client(alfa)  # the founding chair
    home = client.get("/").content.decode()
    assert f'href="{PATH}"' in home and "Gegevens van de coöperatie" in home
    page = client.get(PATH)
    assert page.status_code == 200 and 'for="id_contact_email"' in page.content.decode()

    response = client.post(PATH, VALID)
    assert response.status_code == 302 and response["Location"] == PATH
    assert row(alfa) == ("info@alfa.example.nl", "Utrecht", ["3581", "3582"])
    assert row(beta) == beta_before
    with schema_context(alfa.schema):
        entry = AuditEntry.objects.get(action="cooperative.details")
    assert entry.changes["place"] == ["", "Utrecht"]
    assert entry.changes["postcode_areas"] == [[], ["3581", "3582"]]

    shown = client.get(PATH).content.decode()
    assert 'value="info@alfa.example.nl"' in shown and 'value="3581, 3582"' in shown
    found = client_for("noaber.test").get("/", {"q": "3582"}).content.decode()
    assert "https://alfa.noaber.test/" in found


def test_every_mistake_is_shown_at_once_and_nothing_is_saved(alfa):
    before = row(alfa)
    response = logged_in_client(alfa).post(
        PATH, {"contact_email": "geen-adres", "place": "x" * 81, "postcode_areas": "3581, 12, abc"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("contact_email", "place", "postcode_areas"):
        assert f'id="id_{field}_error"' in html
    assert "12, ABC" in html
    assert row(alfa) == before
    with schema_context(alfa.schema):
        assert not AuditEntry.objects.filter(action="cooperative.details").exists()


@pytest.mark.parametrize("roles", [[], ["coordinator"], ["audit_committee"]])
def test_only_the_board_changes_them(alfa, roles):
    before = row(alfa)
    client = logged_in_client(alfa, member=MemberFactory(schema=alfa.schema, roles=roles))
    assert client.get(PATH).status_code == 403
    assert client.post(PATH, VALID).status_code == 403
    assert f'href="{PATH}"' not in client.get("/").content.decode()
    assert row(alfa) == before
