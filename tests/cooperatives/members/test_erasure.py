"""Erasure (AVG art. 17): after a member is erased, no table of the cooperative's schema holds
their name, email, phone, street, postcode or any free text they wrote or that was written
about them in their services; their open request is withdrawn and their offer ended; the
points ledger still balances under the pseudonym; the other cooperative is untouched."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import schema_context

from cooperatives.marketplace.models import HelpRequest, Offer, Service
from cooperatives.members.models import Member
from tests.clients import logged_in_client
from tests.cooperatives.members.conftest import FREE, TINEKE
from tests.state import books, table_snapshot

# The member's own values: the surname stands for the name (the first name is common).
PERSONAL = {
    "name": TINEKE["name"].split()[-1],
    "email": TINEKE["email"],
    "phone": TINEKE["phone"],
    "street": TINEKE["street"],
    "postcode": TINEKE["postcode"],
}
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY")


def _text_columns(schema: str) -> list[tuple[str, str]]:
    """Every column of every table in ``schema`` that can hold text (also arrays and JSON),
    read from PostgreSQL's catalogue: a table added later is scanned without changing this."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' AND c.data_type = ANY(%s)
            ORDER BY c.table_name, c.column_name
            """,
            [schema, list(TEXT_TYPES)],
        )
        return list(cursor.fetchall())


def _where_found(schema: str, values: dict[str, str]) -> dict[str, list[str]]:
    """For each value, the table.column places in ``schema`` that hold it (case-insensitive,
    anywhere in the text)."""
    found: dict[str, list[str]] = {key: [] for key in values}
    patterns = [f"%{v.lower()}%" for v in values.values()]
    with connection.cursor() as cursor:
        for table, column in _text_columns(schema):
            cursor.execute(
                f'SELECT DISTINCT lower("{column}"::text) FROM "{schema}"."{table}" '
                f'WHERE lower("{column}"::text) LIKE ANY(%s)',
                [patterns],
            )
            for (text,) in cursor.fetchall():
                for key, value in values.items():
                    if value.lower() in text:
                        found[key].append(f"{table}.{column}")
    return found


def test_erasure_leaves_no_personal_value_in_any_table(alfa, beta, full_member):
    tineke = full_member.member
    # Tineke logged in once (the login attempts are kept under her address).
    assert logged_in_client(alfa, member=tineke).get("/mijn-gegevens/").status_code == 200
    values = {**PERSONAL, **FREE}
    before = _where_found(alfa.schema, values)
    # The scan sees every value where the services put it: it would see one left behind.
    assert [key for key, places in before.items() if not places] == []
    assert "cooperatives_member.name" in before["name"]
    assert "marketplace_helprequest.street" in before["street"]
    balances = books(alfa.schema)
    beta_members = table_snapshot(beta.schema, Member)

    response = logged_in_client(alfa).post(f"/leden/{tineke.pk}/wissen/")
    assert response.status_code == 302

    after = _where_found(alfa.schema, values)
    assert {key: places for key, places in after.items() if places} == {}
    # The ledger still adds up, every balance as it was, the pseudonym's included.
    assert books(alfa.schema) == balances
    with schema_context(alfa.schema):
        erased = Member.objects.get(pk=tineke.pk)
        assert erased.status == "erased" and erased.name.startswith("Oud-lid ")
        request = HelpRequest.objects.get(pk=full_member.open_request.pk)
        assert request.status == "cancelled" and request.closed_at is not None
        assert (request.street, request.house_number, request.postcode) == ("", "", "")
        assert Offer.objects.get(pk=full_member.offer.pk).status == "withdrawn"
        # The walk she was to give does not take place; Lars's request is open again.
        planned = Service.objects.select_related("request").get(pk=full_member.planned.pk)
        assert planned.status == "cancelled" and planned.request.status == "open"
        # Olga's disputed hours are still settled as usual.
        assert Service.objects.get(pk=full_member.disputed.pk).status == "disputed"
        # What the cooperative keeps: the services, their hours and ratings.
        assert HelpRequest.objects.filter(requester=tineke).count() == 2
    assert table_snapshot(beta.schema, Member) == beta_members
