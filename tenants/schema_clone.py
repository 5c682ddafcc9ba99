"""Copy the template schema into a new cooperative's schema.

django-tenants ships a general-purpose clone_schema() SQL function, but it joins
information_schema.columns over the whole database for every column it copies: with 200
cooperatives a clone took 0.7 s and grew by ~3 ms per cooperative (bench/signup.py). This
cloner reads only the template's own catalog entries, builds one DDL script and sends it in a
single round trip. The catalog has no index on the namespace alone, so every catalog query
here is written to read each catalog once (never once per object: a correlated lookup on
pg_constraint per index made clones grow with the number of cooperatives); and the template's
script is read once per process and template version (tenants.provisioning), so a sign-up's
clone sends the script and reads no catalog at all.

What it copies, keeping every name so later migrations find their constraints and indexes:
tables (columns, defaults, identity, generated columns, comments), their rows, identity
sequence positions, primary/unique/check/exclusion/foreign-key constraints, other indexes,
functions and triggers. Anything else in the template (views, free-standing sequences,
partitioned tables) is refused loudly instead of being copied half.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from shared.tenancy.current import connection


class UnsupportedTemplateObject(RuntimeError):
    pass


def _fetch(cursor: Any, query: str | sql.Composable, params: list[Any]) -> list[tuple[Any, ...]]:
    cursor.execute(query, params)
    rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def clone_schema(*, source: str, target: str, script: str | None = None) -> None:
    """Create schema ``target`` as a copy of ``source``. Runs in the caller's transaction.
    ``script`` is what clone_script(source=source) returned earlier (reading the catalog is
    most of a clone's cost; the template's script is kept by tenants.provisioning)."""
    script = clone_script(source=source) if script is None else script
    with connection.cursor() as cursor:
        # One round trip for the whole script; it runs without parameters, so a '%' inside a
        # function body is sent as it is.
        target_sql = sql.Identifier(target).as_string(connection.connection)
        cursor.execute(script.replace(_TARGET, target_sql))


# Stands for the target schema in a script: the script is built once per source and
# re-pointed per clone. Quoted as an identifier, so it cannot occur in a definition by chance.
_TARGET = '"noaber clone target"'


def clone_script(*, source: str) -> str:
    """The DDL that copies ``source`` into a new schema, with _TARGET for its name.

    The connection must not have ``source`` on its search path: pg_get_*def then write the
    source's objects out with their schema name, which is what gets re-pointed to the target.
    """
    target = _TARGET[1:-1]
    if source in (connection.schema_name, *connection._get_cursor_search_paths()):
        raise ValueError("clone_schema needs a search path without the source schema")
    with connection.cursor() as cursor:
        (ns,) = _fetch(cursor, "SELECT oid FROM pg_namespace WHERE nspname = %s", [source])[0]
        unsupported = _fetch(
            cursor,
            """
            SELECT c.relname, c.relkind FROM pg_class c
            WHERE c.relnamespace = %s AND (
                c.relkind NOT IN ('r', 'i', 'S')
                OR (c.relkind = 'S' AND NOT EXISTS (
                    SELECT 1 FROM pg_depend d
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'i')))
            """,
            [ns],
        )
        if unsupported:
            raise UnsupportedTemplateObject(
                f"The template schema holds objects the cloner does not copy: {unsupported}"
            )
        tables = [
            r[0]
            for r in _fetch(
                cursor,
                "SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' "
                "ORDER BY relname",
                [ns],
            )
        ]
        # Definitions are rendered with the source's name written out, then re-pointed.
        identities = _fetch(
            cursor,
            """
            SELECT c.relname, a.attname, s.relname
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass
                AND d.refobjid = c.oid AND d.refobjsubid = a.attnum
                AND d.deptype = 'i' AND d.classid = 'pg_class'::regclass
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' AND s.relnamespace = %s
            WHERE c.relnamespace = %s AND a.attidentity <> ''
            """,
            [ns, ns],
        )
        constraints = _fetch(
            cursor,
            """
            SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            WHERE k.connamespace = %s AND k.contype IN ('p', 'u', 'c', 'x', 'f')
            ORDER BY k.contype = 'f', c.relname, k.conname
            """,
            [ns],
        )
        indexes = _fetch(
            cursor,
            """
            SELECT pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relnamespace = %s AND i.indexrelid NOT IN (
                SELECT k.conindid FROM pg_constraint k
                WHERE k.connamespace = %s AND k.contype IN ('p', 'u', 'x'))
            ORDER BY c.relname
            """,
            # Not a correlated NOT EXISTS: pg_constraint has no index on conindid, so that
            # read all of pg_constraint once per index (3.6 s with 47 schemas, growing with
            # every cooperative). This reads the template's constraints once.
            [ns, ns],
        )
        functions = _fetch(
            cursor,
            "SELECT pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = %s ORDER BY proname",
            [ns],
        )
        triggers = _fetch(
            cursor,
            """
            SELECT pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %s AND NOT t.tgisinternal ORDER BY t.tgname
            """,
            [ns],
        )
        sequence_positions = {
            seq: _fetch(
                cursor,
                sql.SQL("SELECT last_value, is_called FROM {}.{}").format(
                    sql.Identifier(source), sql.Identifier(seq)
                ),
                [],
            )[0]
            for _table, _column, seq in identities
        }

        src, dst = sql.Identifier(source), sql.Identifier(target)

        def repoint(definition: str) -> sql.Composable:
            # pg_get_*def qualify objects of the source schema by name; point them at the target.
            for prefix in (f'"{source}".', f"{source}."):
                definition = definition.replace(prefix, f'"{target}".')
            return sql.SQL(definition)

        script: list[sql.Composable] = [sql.SQL("CREATE SCHEMA {}").format(dst)]
        script += [repoint(f[0]) for f in functions]
        for table in tables:
            t = sql.Identifier(table)
            script.append(
                sql.SQL(
                    "CREATE TABLE {dst}.{t} (LIKE {src}.{t} INCLUDING DEFAULTS INCLUDING IDENTITY "
                    "INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS)"
                ).format(dst=dst, src=src, t=t)
            )
            script.append(
                sql.SQL(
                    "INSERT INTO {dst}.{t} OVERRIDING SYSTEM VALUE SELECT * FROM {src}.{t}"
                ).format(dst=dst, src=src, t=t)
            )
        for table, column, seq in identities:
            last_value, is_called = sequence_positions[seq]
            script.append(
                sql.SQL("SELECT setval(pg_get_serial_sequence({rel}, {col}), {v}, {c})").format(
                    rel=sql.Literal(f'"{target}"."{table}"'),
                    col=sql.Literal(column),
                    v=sql.Literal(last_value),
                    c=sql.Literal(is_called),
                )
            )
        for table, name, definition in constraints:
            script.append(
                sql.SQL("ALTER TABLE {dst}.{t} ADD CONSTRAINT {n} ").format(
                    dst=dst, t=sql.Identifier(table), n=sql.Identifier(name)
                )
                + repoint(definition)
            )
        script += [repoint(i[0]) for i in indexes]
        script += [repoint(t[0]) for t in triggers]

        return sql.SQL(";\n").join(script).as_string(connection.connection)
