"""A whole cooperative as one zip: every table of its schema as CSV (PostgreSQL's COPY, which is
exact and fast), the public-schema rows that belong to it as JSON, and a manifest.

Why COPY and not dumpdata: dumpdata goes through the models, so it misses tables without a
model (many-to-many tables are fine, but triggers' bookkeeping and future raw tables are not)
and rounds nothing back exactly for types it renders itself; COPY writes each column in
PostgreSQL's own text form, which COPY FROM reads back to the same value, and it reads a
table in one pass. The files are CSV with a header, so a cooperative that leaves can open them
in a spreadsheet too.

What is left out, and why (listed in the manifest, so nothing is silently missing):

- tables that hold live credentials of the platform (sessions, the second factor's secret keys
  and recovery codes): whoever holds them could act as a member without knowing a password;
- the exports themselves (this table: its row changes while the export is written);
- in columns, password hashes and the secret calendar-feed addresses are replaced (a hash
  can be cracked offline; the feed address gives a member's appointments to whoever has it):
  after a restore members set a new password through "wachtwoord vergeten" and subscribe to
  their calendar again.

The manifest (``manifest.json``) holds the format version, the cooperative, when it was made,
the migrations applied per app, every table with its file, columns, row count and the SHA-256
of its file, the sequences' positions, and the excluded tables and replaced columns.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any

from django.core import serializers
from django.db import transaction
from django.utils import timezone
from psycopg import sql

from shared.tenancy.current import connection, current_cooperative

FORMAT_VERSION = 1
MANIFEST = "manifest.json"

EXCLUDED_TABLES: dict[str, str] = {
    "django_session": "sessies: wie de sessiesleutel heeft, is ingelogd",
    "otp_totp_totpdevice": "geheime sleutels van de tweede stap (authenticator-app)",
    "otp_static_staticdevice": "herstelcodes van de tweede stap",
    "otp_static_statictoken": "herstelcodes van de tweede stap",
    "archive_cooperativeexport": "de exports zelf",
}
# Column → the SQL expression written instead, and why.
REPLACED_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    ("accounts_user", "password"): (
        "'!' || md5(random()::text)",
        "wachtwoord-hash: leden kiezen na het terugzetten een nieuw wachtwoord",
    ),
    ("cooperatives_application", "password_hash"): (
        "'!' || md5(random()::text)",
        "wachtwoord-hash van een aanmelding",
    ),
    ("marketplace_membersettings", "calendar_token"): (
        "md5(random()::text || id::text)",
        "geheim adres van de agenda-koppeling: leden koppelen hun agenda opnieuw",
    ),
}


class ArchiveError(Exception):
    """An archive that cannot be restored (damaged, another format, another schema)."""


@dataclass
class Progress:
    """Where the export is: ``report(done, total)`` after each table."""

    report: Callable[[int, int], None] = field(default=lambda done, total: None)


@contextmanager
def consistent_snapshot(*, read_only: bool = True) -> Iterator[None]:
    """One consistent picture of every table while members go on working: a REPEATABLE READ
    transaction, so a transfer and its postings are either both in the archive or neither.
    Inside a caller's transaction (tests) it reads what that one sees."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                    + (", READ ONLY" if read_only else "")
                )
        yield


def schema_tables(schema: str) -> list[str]:
    """The ordinary tables of ``schema``, by name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema],
        )
        return [row[0] for row in cursor.fetchall()]


def table_columns(schema: str, table: str) -> list[str]:
    """The columns COPY can write back (generated columns are computed, not stored)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 "
            "AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
            [schema, table],
        )
        return [row[0] for row in cursor.fetchall()]


def schema_sequences(schema: str) -> list[dict[str, Any]]:
    """Each column fed by a sequence (identity or serial) with the sequence's position."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname, pg_get_serial_sequence("
            "quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname) "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attname",
            [schema],
        )
        found = [(t, c, s) for t, c, s in cursor.fetchall() if s]
        out = []
        for table, column, sequence in found:
            # The name comes from the catalog (already quoted by pg_get_serial_sequence).
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
            last_value, is_called = cursor.fetchone()
            out.append(
                {"table": table, "column": column, "last_value": last_value, "called": is_called}
            )
        return out


def schema_migrations(schema: str) -> dict[str, list[str]]:
    """The migrations applied in ``schema``, per app."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT app, name FROM {}.django_migrations ORDER BY app, name").format(
                sql.Identifier(schema)
            )
        )
        applied: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
        return applied


class _Hashing:
    """A writable that counts and hashes what passes through it into a zip entry."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()

    def write(self, data: bytes | memoryview) -> None:
        self.digest.update(data)
        self.target.write(data)


def _select_list(table: str, columns: list[str]) -> sql.Composable:
    parts: list[sql.Composable] = []
    for column in columns:
        replaced = REPLACED_COLUMNS.get((table, column))
        if replaced is None:
            parts.append(sql.Identifier(column))
        else:
            parts.append(sql.SQL(replaced[0] + " AS {}").format(sql.Identifier(column)))
    return sql.SQL(", ").join(parts)


def _dump_table(
    cursor: Any, zf: zipfile.ZipFile, schema: str, table: str, columns: list[str]
) -> dict[str, Any]:
    name = f"tables/{table}.csv"
    # Rows in the order of the first column (the id): the ledger's chain check reads each
    # posting's predecessor by id, so a restore must insert them in that order.
    query = sql.SQL(
        "COPY (SELECT {cols} FROM {schema}.{table} ORDER BY 1) TO STDOUT "
        "WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
    ).format(
        cols=_select_list(table, columns),
        schema=sql.Identifier(schema),
        table=sql.Identifier(table),
    )
    with zf.open(name, "w", force_zip64=True) as entry:
        out = _Hashing(entry)
        with cursor.copy(query) as copy:
            for chunk in copy:
                out.write(chunk)
    return {
        "name": table,
        "file": name,
        "columns": columns,
        "rows": cursor.rowcount,
        "sha256": out.digest.hexdigest(),
    }


def _public_rows(cooperative: Any) -> Iterator[tuple[str, list[Any]]]:
    """The cooperative's own row and the public-schema rows that point at it (domains,
    network memberships, subscription, aggregate figures), per model."""
    yield "tenants.cooperative", [cooperative]
    for relation in type(cooperative)._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.related_model
        rows = list(model._default_manager.filter(**{relation.field.name: cooperative}))
        yield model._meta.label_lower, rows


def _write_json(zf: zipfile.ZipFile, name: str, payload: bytes) -> dict[str, Any]:
    zf.writestr(name, payload)
    return {"file": name, "sha256": hashlib.sha256(payload).hexdigest()}


README = """Alle gegevens van {name} ({slug}), gemaakt op {created}.

- tables/: elke tabel van de coöperatie als CSV-bestand (UTF-8, met kopregel), te openen in
  een spreadsheet;
- public/: de gegevens die het platform buiten de coöperatie over haar bijhoudt (de
  coöperatie zelf, haar domein, netwerken, abonnement, kengetallen), als JSON;
- manifest.json: wat erin zit, met het aantal rijen en een SHA-256-controlegetal per bestand.

Niet meegenomen: sessies, de geheime sleutels en herstelcodes van de tweede stap, en
wachtwoord-hashes (leden kiezen na het terugzetten een nieuw wachtwoord). Zie manifest.json.
"""


def cooperative_dump(*, target: IO[bytes], progress: Progress | None = None) -> dict[str, Any]:
    """Write the current cooperative's schema as a zip to ``target``; return the manifest.

    Call it inside ``consistent_snapshot()``, in the cooperative's schema."""
    progress = progress or Progress()
    cooperative = current_cooperative()
    if cooperative is None:
        raise RuntimeError("cooperative_dump needs a cooperative's schema")
    schema = cooperative.schema_name
    tables = [t for t in schema_tables(schema) if t not in EXCLUDED_TABLES]
    created = timezone.now()
    manifest: dict[str, Any] = {
        "format": "noaber-cooperative-archive",
        "format_version": FORMAT_VERSION,
        "cooperative": {"slug": cooperative.slug, "name": cooperative.name, "schema": schema},
        "created_at": created.isoformat(),
        "migrations": schema_migrations(schema),
        "tables": [],
        "sequences": schema_sequences(schema),
        "excluded_tables": {
            t: reason for t, reason in EXCLUDED_TABLES.items() if t in schema_tables(schema)
        },
        "replaced_columns": {
            f"{t}.{c}": reason for (t, c), (_expr, reason) in REPLACED_COLUMNS.items()
        },
        "public": [],
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "LEESMIJ.txt",
            README.format(name=cooperative.name, slug=cooperative.slug, created=created.date()),
        )
        with connection.cursor() as cursor:
            for done, table in enumerate(tables):
                progress.report(done, len(tables) + 1)
                manifest["tables"].append(
                    _dump_table(cursor, zf, schema, table, table_columns(schema, table))
                )
        for label, rows in _public_rows(cooperative):
            payload = serializers.serialize("json", rows, indent=1).encode()
            entry = _write_json(zf, f"public/{label}.json", payload)
            manifest["public"].append({"model": label, "rows": len(rows), **entry})
        progress.report(len(tables), len(tables) + 1)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    progress.report(len(tables) + 1, len(tables) + 1)
    return manifest


def archive_read(zf: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest of an archive, after checking its format and every file's SHA-256."""
    try:
        manifest: dict[str, Any] = json.loads(zf.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise ArchiveError(
            f"Geen geldig archief: {MANIFEST} ontbreekt of is onleesbaar."
        ) from error
    if manifest.get("format") != "noaber-cooperative-archive":
        raise ArchiveError("Dit is geen archief van een Noaber-coöperatie.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            f"Archiefversie {manifest.get('format_version')} wordt niet ondersteund "
            f"(deze versie leest versie {FORMAT_VERSION})."
        )
    for entry in [*manifest.get("tables", []), *manifest.get("public", [])]:
        digest = hashlib.sha256()
        try:
            with zf.open(entry["file"]) as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except KeyError as error:
            raise ArchiveError(f"Het archief mist {entry['file']}.") from error
        if digest.hexdigest() != entry["sha256"]:
            raise ArchiveError(f"{entry['file']} is beschadigd (controlegetal klopt niet).")
    return manifest
