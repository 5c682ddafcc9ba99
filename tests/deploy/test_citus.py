"""Every cooperative's schema stays fit for Citus schema-based sharding (deploy/citus/README.md).

A distributed schema is a unit that Citus places on one worker node and moves as a whole
(``citus_schema_move``); what it may hold and reference is limited. These tests read the
catalog of real cooperative schemas (alfa, beta, made by the sign-up service) and of the
template they are cloned from, and check each documented requirement (R1-R7 in the README).
The lists the README keeps by hand (the public tables that must become reference tables, the
triggers reviewed as safe on a distributed table) are compared with what the catalog holds,
so a new foreign key to the public schema or a new trigger fails here until it is reviewed
and written down. The last test breaks each rule in a rolled-back transaction and checks that
the rule notices, so none of them passes by reading nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from tenants.provisioning import template_schema_name

CITUS_DIR = Path(__file__).resolve().parents[2] / "deploy" / "citus"


def listed(name: str) -> set[str]:
    """The entries of deploy/citus/<name>: one a line, '#' starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in (CITUS_DIR / name).read_text().splitlines())
    return {line for line in lines if line}


def rows(sql: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


# --------------------------------------------------------------------------- the rules


def foreign_keys_leaving(schema: str) -> set[str]:
    """R1: tables the schema's foreign keys point to outside the schema (schema.table)."""
    return {
        f"{target_schema}.{target}"
        for (target_schema, target) in rows(
            """
            SELECT tn.nspname, t.relname
            FROM pg_constraint c
            JOIN pg_class r ON r.oid = c.conrelid
            JOIN pg_class t ON t.oid = c.confrelid
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE c.contype = 'f' AND r.relnamespace = %s::regnamespace
              AND t.relnamespace <> r.relnamespace
            """,
            [schema],
        )
    }


def foreign_keys_entering(schema: str) -> set[str]:
    """R2: constraints elsewhere that point into the schema."""
    return {
        f"{name} on {source_schema}.{source}"
        for (name, source_schema, source) in rows(
            """
            SELECT c.conname, sn.nspname, s.relname
            FROM pg_constraint c
            JOIN pg_class s ON s.oid = c.conrelid
            JOIN pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_class t ON t.oid = c.confrelid
            WHERE c.contype = 'f' AND t.relnamespace = %s::regnamespace
              AND s.relnamespace <> t.relnamespace
            """,
            [schema],
        )
    }


def reference_table_leaks(tables: set[str]) -> set[str]:
    """R3: foreign keys from the listed reference tables to tables not listed."""
    found = set()
    for qualified in tables:
        schema, table = qualified.split(".", 1)
        for target_schema, target in rows(
            """
            SELECT tn.nspname, t.relname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.confrelid
            JOIN pg_namespace tn ON tn.oid = t.relnamespace
            WHERE c.contype = 'f'
              AND c.conrelid = (quote_ident(%s) || '.' || quote_ident(%s))::regclass
            """,
            [schema, table],
        ):
            if f"{target_schema}.{target}" not in tables:
                found.add(f"{qualified} -> {target_schema}.{target}")
    return found


def unsupported_relations(schema: str) -> set[str]:
    """R4: anything but plain tables, their indexes and their own sequences; tables that
    inherit or are inherited."""
    found = {
        f"{name} (relkind {kind})"
        for name, kind in rows(
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = %s::regnamespace "
            "AND relkind NOT IN ('r', 'i', 'S')",
            [schema],
        )
    }
    found |= {
        f"{child} inherits {parent}"
        for child, parent in rows(
            """
            SELECT i.inhrelid::regclass::text, i.inhparent::regclass::text
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE c.relnamespace = %s::regnamespace OR p.relnamespace = %s::regnamespace
            """,
            [schema, schema],
        )
    }
    found |= {
        f"{name} (a sequence no column owns)"
        for (name,) in rows(
            """
            SELECT s.relname FROM pg_class s
            WHERE s.relnamespace = %s::regnamespace AND s.relkind = 'S'
              AND NOT EXISTS (
                SELECT 1 FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
                WHERE d.objid = s.oid AND d.classid = 'pg_class'::regclass
                  AND d.deptype IN ('a', 'i') AND t.relnamespace = s.relnamespace)
            """,
            [schema],
        )
    }
    return found


def extension_objects(schema: str) -> set[str]:
    """R5: extensions installed in the schema, and objects in it that an extension owns."""
    found = {
        f"extension {name}"
        for (name,) in rows(
            "SELECT extname FROM pg_extension WHERE extnamespace = %s::regnamespace", [schema]
        )
    }
    found |= {
        f"{name} belongs to an extension"
        for (name,) in rows(
            """
            SELECT c.relname FROM pg_depend d JOIN pg_class c ON c.oid = d.objid
            WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'e'
              AND c.relnamespace = %s::regnamespace
            UNION ALL
            SELECT p.proname FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
            WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
              AND p.pronamespace = %s::regnamespace
            """,
            [schema, schema],
        )
    }
    return found


def tables_without_identity(schema: str) -> set[str]:
    """R6: tables without a primary key (or another replica identity) to move online."""
    return {
        name
        for (name,) in rows(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = %s::regnamespace AND c.relkind = 'r'
              AND NOT (c.relreplident IN ('f', 'i') OR (c.relreplident = 'd' AND EXISTS (
                SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')))
            """,
            [schema],
        )
    }


def triggers(schema: str) -> set[str]:
    """R7: the schema's own triggers, as table.trigger."""
    return {
        f"{table}.{name}"
        for table, name in rows(
            """
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal
            """,
            [schema],
        )
    }


def functions_reaching_out(schema: str) -> set[str]:
    """R7: functions of the schema's triggers that live elsewhere or name another schema."""
    names = [name for (name,) in rows("SELECT nspname FROM pg_namespace")]
    found = set()
    for function, home, source in rows(
        """
        SELECT DISTINCT p.proname, pn.nspname, p.prosrc
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
        WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal
        UNION
        SELECT p.proname, pn.nspname, p.prosrc FROM pg_proc p
        JOIN pg_namespace pn ON pn.oid = p.pronamespace WHERE pn.oid = %s::regnamespace
        """,
        [schema, schema],
    ):
        if home != schema:
            found.add(f"{function} lives in {home}")
        body = source.lower()
        found |= {
            f"{function} names schema {other}"
            for other in names
            if other != schema and f"{other.lower()}." in body
        }
    return found


# --------------------------------------------------------------------------- the tests


@pytest.fixture
def schemas(alfa, beta) -> list[str]:
    """Two cooperatives (two templates of rules) and the template every new one is cloned
    from."""
    return [alfa.schema, beta.schema, template_schema_name()]


def test_the_reference_tables_listed_are_exactly_those_the_schemas_point_to(schemas):
    """R1: a table in a distributed schema may reference only its own schema or reference
    tables; the README's list of public tables to make reference tables is complete and has
    nothing extra."""
    found = set().union(*(foreign_keys_leaving(schema) for schema in schemas))
    assert found == listed("reference_tables.txt")
    assert all(table.startswith("public.") for table in found)


def test_no_table_outside_a_cooperative_points_into_it(schemas):
    """R2: no foreign key from another schema (public included) into a distributed schema."""
    for schema in schemas:
        assert foreign_keys_entering(schema) == set(), schema


def test_the_reference_tables_point_only_to_reference_tables():
    """R3: a reference table is copied to every node; it may reference other reference tables
    only."""
    assert reference_table_leaks(listed("reference_tables.txt")) == set()


def test_the_reference_rule_notices_a_reference_table_pointing_elsewhere(coops, db):
    """R3, checked on a public table that would not do: the domains point to the registry."""
    assert reference_table_leaks({"public.tenants_domain"}) == {
        "public.tenants_domain -> public.tenants_cooperative"
    }
    assert reference_table_leaks({"public.tenants_domain", "public.tenants_cooperative"}) == set()


def test_a_cooperative_holds_plain_tables_and_their_own_sequences(schemas):
    """R4: no partitioned, foreign or inheriting tables, no views, no free-standing sequences
    (an identity column's sequence moves with its table)."""
    for schema in schemas:
        assert unsupported_relations(schema) == set(), schema


def test_no_extension_lives_in_or_owns_anything_in_a_cooperative(schemas):
    """R5: Citus refuses to distribute a schema that is an extension's or holds its objects."""
    for schema in schemas:
        assert extension_objects(schema) == set(), schema


def test_every_table_can_be_moved_while_it_is_written(schemas):
    """R6: citus_schema_move (logical replication by default) needs a replica identity on
    every table, or it blocks writes while it copies."""
    for schema in schemas:
        assert tables_without_identity(schema) == set(), schema


def test_the_triggers_are_the_reviewed_ones_and_stay_in_their_schema(schemas):
    """R7: triggers on distributed tables need citus.enable_unsafe_triggers, which is safe
    only while every trigger function works on its own row and schema: the triggers are those
    the README lists as reviewed, and their functions live in the schema and name no other."""
    for schema in schemas:
        assert triggers(schema) == listed("triggers.txt"), schema
        assert functions_reaching_out(schema) == set(), schema


BREAKS = {
    "R1": (
        "ALTER TABLE {s}.cooperatives_member ADD COLUMN network_id bigint "
        "REFERENCES public.tenants_network (id)",
        lambda s: foreign_keys_leaving(s) == {"public.tenants_network"},
    ),
    "R2": (
        "ALTER TABLE public.tenants_network ADD COLUMN member_id bigint "
        "REFERENCES {s}.cooperatives_member (id)",
        lambda s: len(foreign_keys_entering(s)) == 1,
    ),
    "R4": (
        "CREATE TABLE {s}.extra () INHERITS ({s}.cooperatives_cluster); "
        "CREATE SEQUENCE {s}.loose_numbers",
        lambda s: (
            unsupported_relations(s)
            == {
                f"{s}.extra inherits {s}.cooperatives_cluster",
                "loose_numbers (a sequence no column owns)",
            }
        ),
    ),
    "R5": (
        "CREATE EXTENSION pg_trgm SCHEMA {s}",
        lambda s: (
            "extension pg_trgm" in extension_objects(s)
            and "similarity belongs to an extension" in extension_objects(s)
        ),
    ),
    "R6": (
        "CREATE TABLE {s}.no_key (note text)",
        lambda s: tables_without_identity(s) == {"no_key"},
    ),
    "R7": (
        "CREATE FUNCTION {s}.peek() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN PERFORM 1 FROM public.tenants_cooperative; RETURN NEW; END $$; "
        "CREATE TRIGGER peeking BEFORE INSERT ON {s}.cooperatives_cluster "
        "FOR EACH ROW EXECUTE FUNCTION {s}.peek()",
        lambda s: (
            "cooperatives_cluster.peeking" in triggers(s)
            and functions_reaching_out(s) == {"peek names schema public"}
        ),
    ),
}


@pytest.mark.parametrize("rule", sorted(BREAKS))
def test_each_rule_notices_when_it_is_broken(alfa, beta, rule):
    """Each check finds a violation made on purpose (rolled back with the test), and only in
    the schema where it was made."""
    ddl, noticed = BREAKS[rule]
    with connection.cursor() as cursor:
        cursor.execute(ddl.format(s=alfa.schema))
    assert noticed(alfa.schema)
    if rule == "R1":
        assert foreign_keys_leaving(beta.schema) == set()
    if rule == "R6":
        assert tables_without_identity(beta.schema) == set()
