"""The audit log's page and API: the board and the audit committee read it, members do not, and
one cooperative never sees another's log."""

import pytest

from tests.clients import client_for, logged_in_client
from tests.factories import AuditEntryFactory, MemberFactory


@pytest.fixture
def entry(alfa):
    return AuditEntryFactory(schema=alfa.schema)


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
