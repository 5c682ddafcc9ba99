"""django-tenants' PostgreSQL backend, made safe behind a pooler in transaction mode.

django-tenants selects a cooperative with ``SET search_path`` sent on its own, once per
request (TENANT_LIMIT_SET_CALLS). A pooler in transaction mode (PgBouncer ``pool_mode =
transaction``) hands a server connection to a client for one transaction only, and outside
``atomic()`` every statement is a transaction of its own: the SET lands on one server
connection and the next query may run on another, in whatever schema that connection was last
set to, i.e. in another cooperative's data.

With ``DATABASE_POOL_MODE=transaction`` this backend binds the search path to each statement
instead: every statement is sent as one simple-protocol message ``SET LOCAL search_path = ...;
<statement>``. PostgreSQL runs a multi-statement message as one transaction (or inside the
transaction already open), so the pooler cannot separate the two, and ``SET LOCAL`` ends with
that transaction, so a server connection never keeps a cooperative's path for the next client.
The cost is parsing one SET per statement (microseconds, no extra round trip). Django's
client-side binding cursors (the default with psycopg 3) use the simple protocol, which allows
the two statements in one message; server-side binding and server-side (named) cursors do not,
and are refused or switched off in that mode (noaber.settings, noaber.checks).

Written here rather than taken from a library: no kept package binds django-tenants' search
path to the transaction; the one alternative, a pool per schema in the pooler, does not scale
to thousands of cooperatives.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.postgresql.base import Cursor as DjangoCursor  # type: ignore[attr-defined]
from django_tenants.postgresql_backend import base as tenant_base
from django_tenants.utils import quote_schema_name

TRANSACTION = "transaction"


def transaction_pooling() -> bool:
    return getattr(settings, "DATABASE_POOL_MODE", "session") == TRANSACTION


class SearchPathCursor(DjangoCursor):
    """A client-side binding cursor that sends the schema with every statement."""

    # Set by DatabaseWrapper.create_cursor. A cursor that Django opens on the bare connection
    # while connecting (the time zone; PgBouncer tracks that one itself) has none.
    wrapper: DatabaseWrapper | None = None

    def _prefix(self, query: Any, has_params: bool) -> Any:
        assert self.wrapper is not None
        paths = ",".join(quote_schema_name(p) for p in self.wrapper._get_cursor_search_paths())
        prefix = f"SET LOCAL search_path = {paths}; "
        if has_params:
            # The prefix goes through the same %-placeholder parsing as the query.
            prefix = prefix.replace("%", "%%")
        if isinstance(query, bytes):
            return prefix.encode() + query
        if not isinstance(query, str):  # psycopg.sql.Composable
            query = query.as_string(self)
        return prefix + query

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if self.wrapper is None:
            return super().execute(query, params, **kwargs)
        super().execute(self._prefix(query, params is not None), params, **kwargs)
        # The first result is the SET's; what the caller asked for starts at the second.
        self.nextset()
        return self

    def executemany(self, query: Any, params_seq: Any, **kwargs: Any) -> None:
        # psycopg sends executemany in pipeline mode (extended protocol), which takes one
        # statement per message: run each set of parameters as its own prefixed statement.
        for params in params_seq:
            self.execute(query, params)


class DatabaseWrapper(tenant_base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        # Decided per connection: a connection keeps the mode it was opened in.
        if transaction_pooling():
            connection.cursor_factory = SearchPathCursor
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = super().create_cursor(name)
        if isinstance(cursor, SearchPathCursor):
            cursor.wrapper = self
        return cursor

    def _handle_search_path(self, cursor: Any = None) -> None:
        # Behind a transaction pooler a SET of its own would stay on a server connection that
        # the pooler then hands to another client; each statement carries it instead.
        if self.connection is not None and self.connection.cursor_factory is SearchPathCursor:
            return
        super()._handle_search_path(cursor)
