"""Restore a cooperative's archive (tenants.archive.dump) as a NEW cooperative: a new registry
row and host, and a new schema made the way sign-up makes one (tenants.provisioning: a spare or
a clone of the migrated template), into which every table of the archive is copied back with
COPY, the sequences set where they were, and the cooperative's own details (place, postcode
areas, contact address, location, retention period) taken over.

All of it is one transaction: a refusal or a failure half-way leaves no schema, no host and no
registry row (and, should the schema have escaped the transaction, it is dropped).

Not restored: the relations with the platform outside the cooperative (subscription, Stripe
accounts, network memberships, the aggregate figures): the new cooperative starts without a
subscription and asks networks anew; the archive keeps those rows for the record. An archive
made under other migrations than the code's is refused: restore it with the version of the
platform that made it, then migrate.
"""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django_tenants.utils import schema_exists
from psycopg import sql

from shared.tenancy.current import connection
from shared.tenancy.urls import cooperative_host
from tenants import provisioning, validators
from tenants.archive.dump import (
    ArchiveError,
    archive_read,
    schema_migrations,
    schema_tables,
    table_columns,
)
from tenants.models import (
    RETENTION_MONTHS_MAX,
    RETENTION_MONTHS_MIN,
    Cooperative,
    Domain,
)

logger = logging.getLogger(__name__)

# The cooperative's own details that come back with it (its status and relations do not).
DETAIL_FIELDS = (
    "place",
    "postcode_areas",
    "contact_email",
    "latitude",
    "longitude",
    "rules_template",
    "retention_months",
)


def _details(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        rows = json.loads(zf.read("public/tenants.cooperative.json"))
        fields: dict[str, Any] = rows[0]["fields"]
    except (KeyError, IndexError, ValueError):
        return {}
    details = {k: fields[k] for k in DETAIL_FIELDS if k in fields}
    months = details.get("retention_months")
    if not isinstance(months, int) or not RETENTION_MONTHS_MIN <= months <= RETENTION_MONTHS_MAX:
        details.pop("retention_months", None)
    return details


def _check_slug(slug: str) -> str:
    slug = validators.normalize_subdomain(slug)
    validators.validate_subdomain_format(slug)
    if Cooperative.objects.filter(slug__iexact=slug).exists():
        raise validators.taken_message(slug)
    return slug


def _check_migrations(manifest: dict[str, Any]) -> None:
    template = provisioning.template_schema_name()
    here = {app: sorted(names) for app, names in schema_migrations(template).items()}
    there = {app: sorted(names) for app, names in manifest.get("migrations", {}).items()}
    if here != there:
        missing = sorted(
            f"{app}.{name}"
            for app in set(here) | set(there)
            for name in set(here.get(app, [])) ^ set(there.get(app, []))
        )
        raise ArchiveError(
            "Het archief is gemaakt onder andere migraties dan deze versie van het platform "
            f"({len(missing)} verschillen, bijvoorbeeld {', '.join(missing[:3])}). Zet het "
            "terug met de versie die het maakte en migreer daarna."
        )


def _load_tables(zf: zipfile.ZipFile, manifest: dict[str, Any], schema: str) -> None:
    present = set(schema_tables(schema))
    with connection.cursor() as cursor:
        # Foreign keys and the ledger's checks wait for the end of the transaction, so tables
        # may be filled in any order.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # What the new schema holds of its own (content types, permissions, the migrations,
        # standing bodies) makes way for the archive's rows, ids and all.
        for entry in manifest["tables"]:
            table = entry["name"]
            if table not in present:
                raise ArchiveError(f"Tabel {table} bestaat niet in deze versie van het platform.")
            if table_columns(schema, table) != entry["columns"]:
                raise ArchiveError(f"De kolommen van tabel {table} passen niet bij dit platform.")
            cursor.execute(
                sql.SQL("SELECT EXISTS (SELECT 1 FROM {}.{})").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
            )
            if cursor.fetchone()[0]:
                cursor.execute(
                    sql.SQL("DELETE FROM {}.{}").format(
                        sql.Identifier(schema), sql.Identifier(table)
                    )
                )
        for entry in manifest["tables"]:
            query = sql.SQL("COPY {}.{} ({}) FROM STDIN WITH (FORMAT csv, HEADER true)").format(
                sql.Identifier(schema),
                sql.Identifier(entry["name"]),
                sql.SQL(", ").join(sql.Identifier(c) for c in entry["columns"]),
            )
            try:
                with zf.open(entry["file"]) as handle, cursor.copy(query) as copy:
                    while chunk := handle.read(1 << 20):
                        copy.write(chunk)
            except (psycopg.Error, DatabaseError) as error:
                raise ArchiveError(
                    f"Tabel {entry['name']} kon niet worden teruggezet: {error}"
                ) from error
        for seq in manifest.get("sequences", []):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                [
                    f"{sql.Identifier(schema).as_string(connection.connection)}."
                    f"{sql.Identifier(seq['table']).as_string(connection.connection)}",
                    seq["column"],
                    seq["last_value"],
                    seq["called"],
                ],
            )


@contextmanager
def _as_archive_error() -> Iterator[None]:
    """The database's refusal at the commit (a foreign key, the ledger's balance) as an
    ArchiveError that says so."""
    try:
        yield
    except (IntegrityError, DataError) as error:
        raise ArchiveError(f"De gegevens in het archief kloppen niet: {error}") from error


def cooperative_restore(*, archive: str | Path, slug: str, name: str = "") -> Cooperative:
    """Restore ``archive`` as a new cooperative at ``slug`` (which must be free); returns it.
    Raises ArchiveError or ValidationError, leaving nothing behind."""
    from tenants.services import schema_name_for

    connection.set_schema_to_public()
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"Het archief kan niet worden geopend: {error}") from error
    schema = ""
    try:
        with zf:
            manifest = archive_read(zf)
            slug = _check_slug(slug)
            _check_migrations(manifest)
            schema = schema_name_for(slug)
            if schema_exists(schema):
                raise ArchiveError(f"Het schema {schema} bestaat al.")
            with _as_archive_error(), transaction.atomic():
                cooperative = Cooperative(
                    name=(name or manifest["cooperative"]["name"])[:120],
                    slug=slug,
                    schema_name=schema,
                    status=Cooperative.Status.ACTIVE,
                    **_details(zf),
                )
                cooperative.full_clean(exclude=["schema_name"], validate_unique=False)
                cooperative.save()
                Domain.objects.create(
                    domain=cooperative_host(slug=slug), tenant=cooperative, is_primary=True
                )
                provisioning.provide_schema(schema_name=schema)
                _load_tables(zf, manifest, schema)
                connection.set_schema_to_public()
    except BaseException:
        connection.set_schema_to_public()
        if schema and schema_exists(schema) and not connection.in_atomic_block:
            # The transaction took the schema with it; this is for one that escaped it.
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
        raise
    logger.info(
        "Archive of %s restored as %s (schema %s)", manifest["cooperative"]["slug"], slug, schema
    )
    return cooperative


__all__ = ["ArchiveError", "ValidationError", "cooperative_restore"]
