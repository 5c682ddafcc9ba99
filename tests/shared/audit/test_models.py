"""The audit log is append-only in PostgreSQL itself: the database refuses to change,
delete or truncate an entry."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_tenants.utils import schema_context

from shared.audit.models import AuditEntry
from tests.factories import AuditEntryFactory


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
