"""The audit log: append-only in PostgreSQL itself, readable by the board, free of personal
values, and per cooperative."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_tenants.utils import schema_context

from cooperatives.members.services import member_update
from shared.audit.models import AuditEntry
from tests.clients import client_for, logged_in_client
from tests.factories import AuditEntryFactory, MemberFactory


@pytest.fixture
def entry(alfa):
    return AuditEntryFactory(schema=alfa.schema)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET summary = 'vervalst'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
    ],
)
def test_database_refuses_to_change_the_log(alfa, entry, statement):
    with schema_context(alfa.schema):
        with (
            pytest.raises(DatabaseError, match="logboek kan niet"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
        assert AuditEntry.objects.get(pk=entry.pk).summary == "proef"


def test_changes_by_a_coordinator_are_logged_without_personal_values(alfa):
    coordinator = MemberFactory(schema=alfa.schema, name="Coco Coördinator", roles=["coordinator"])
    member = MemberFactory(schema=alfa.schema, name="Piet Puk", phone="0301234567")
    with schema_context(alfa.schema):
        member_update(actor=coordinator, member=member, phone="0307654321", uses_internet=False)
        entry = AuditEntry.objects.filter(action="member.update").latest("id")
    assert entry.actor_id == coordinator.pk
    assert entry.target_type == "cooperatives.member" and entry.target_id == str(member.pk)
    assert entry.changes == {"phone": "(gewijzigd)", "uses_internet": [True, False]}
    assert "0307654321" not in str(entry.changes) and "Piet" not in entry.summary


def test_board_and_audit_committee_read_the_log_members_do_not(alfa, entry):
    auditor = MemberFactory(schema=alfa.schema, name="Kas Commissie", roles=["audit_committee"])
    plain = MemberFactory(schema=alfa.schema, name="Gewoon Lid")
    board_page = logged_in_client(alfa).get("/logboek/")
    assert board_page.status_code == 200 and "proef" in board_page.content.decode()
    assert logged_in_client(alfa, member=auditor).get("/logboek/").status_code == 200
    refused = logged_in_client(alfa, member=plain).get("/logboek/")
    assert refused.status_code == 403 and "proef" not in refused.content.decode()
    api = logged_in_client(alfa).get("/api/v1/audit/").json()
    assert api["count"] >= 1 and api["results"][0]["action"] == "test.entry"
    assert logged_in_client(alfa, member=plain).get("/api/v1/audit/").status_code == 403
    assert client_for(alfa.host).get("/api/v1/audit/").status_code == 403


def test_log_of_a_is_not_visible_on_b(alfa, beta, entry):
    page = logged_in_client(beta).get("/logboek/").content.decode()
    assert "proef" not in page
    data = logged_in_client(beta).get("/api/v1/audit/").json()
    assert all(e["action"] != "test.entry" for e in data["results"])
