"""The database backend in transaction mode: each statement carries its cooperative's search
path, and nothing of it stays on the server connection for whoever gets it next."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from shared.accounts.models import User


def _in_a_new_connection(mode: str, schema: str, email: str) -> dict:
    """One member lookup in the schema, on a connection of its own (a new thread's)."""
    seen: dict = {}

    def run():
        try:
            connection.set_schema(schema)
            with CaptureQueriesContext(connection) as queries:
                seen["found"] = User.objects.filter(email=email).exists()
            seen["statements"] = [q["sql"] for q in queries.captured_queries]
            # Straight on the server session, around Django's cursors: what a next client of
            # this server connection would start with.
            seen["left_behind"] = connection.connection.execute("SHOW search_path").fetchone()[0]
        finally:
            connection.close()

    with override_settings(DATABASE_POOL_MODE=mode):
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=30)
    return seen


def test_transaction_mode_binds_the_schema_to_the_statement(coops, django_db_blocker):
    alfa = coops["alfa"]
    with django_db_blocker.unblock():
        pooled = _in_a_new_connection("transaction", alfa.schema, alfa.board_email)
        other = _in_a_new_connection("transaction", coops["beta"].schema, alfa.board_email)
        direct = _in_a_new_connection("session", alfa.schema, alfa.board_email)
    assert pooled["found"] is True and other["found"] is False
    # No SET of its own: the one statement carries it (SET LOCAL, gone with its transaction).
    (statement,) = pooled["statements"]
    assert statement.startswith(f'SET LOCAL search_path = "{alfa.schema}","public"; SELECT')
    assert pooled["left_behind"] == '"$user", public'
    # django-tenants' own way, for a direct connection: the SET stays on the session.
    assert direct["found"] is True
    assert direct["left_behind"] == f"{alfa.schema}, public"
