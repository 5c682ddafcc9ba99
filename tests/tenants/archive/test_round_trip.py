"""Export a cooperative, restore it under a new subdomain, and find every table equal: the
same ids, the same values, the sequences where they were, beta untouched. And a restore that
cannot be done leaves nothing behind."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context, schema_exists
from psycopg import sql

from shared.accounts.models import User
from shared.tenancy.current import connection
from tenants.archive import services
from tenants.archive.dump import EXCLUDED_TABLES, REPLACED_COLUMNS, schema_sequences
from tenants.archive.models import CooperativeExport
from tenants.archive.restore import ArchiveError, cooperative_restore
from tenants.models import Cooperative, Domain
from tests.state import board_member

# Tables a filled alfa must have rows in: members, rules, services, the ledger, klussen,
# governance and the log (so "equal" is not said of empty tables).
MUST_HOLD = {
    "accounts_user",
    "cooperatives_member",
    "cooperatives_neighbourhood",
    "cooperatives_cluster",
    "cooperatives_rulebook",
    "cooperatives_roleassignment",
    "marketplace_helprequest",
    "marketplace_service",
    "points_transfer",
    "points_posting",
    "points_account",
    "klussen_kluspayment",
    "governance_body",
    "governance_seat",
    "governance_decision",
    "audit_auditentry",
    "django_migrations",
}


def _rows(schema: str, table: str, columns: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT {} FROM {}.{} ORDER BY 1").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                sql.Identifier(schema),
                sql.Identifier(table),
            )
        )
        return cursor.fetchall()


def _export(coop, django_capture_on_commit_callbacks) -> tuple[CooperativeExport, Path]:
    with schema_context(coop.schema):
        with django_capture_on_commit_callbacks(execute=True):
            export = services.export_request(actor=board_member(coop))
        export.refresh_from_db()
    assert export.status == CooperativeExport.Status.DONE, export.error
    return export, Path(default_storage.path(export.file))


def _schema_fingerprint(schema: str) -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1",
            [schema],
        )
        tables = [r[0] for r in cursor.fetchall()]
        out = {}
        for table in tables:
            cursor.execute(
                sql.SQL(
                    "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {}.{} t"
                ).format(sql.Identifier(schema), sql.Identifier(table))
            )
            out[table] = cursor.fetchall()
        return out


@pytest.mark.timeout(300)
def test_export_then_restore_gives_every_table_back_equal(
    alfa, beta, filled, django_capture_on_commit_callbacks
):
    """Every table of alfa's archive comes back in the new cooperative with the same ids and
    values (the replaced credentials aside), sequences where they were; beta is untouched."""
    beta_before = _schema_fingerprint(beta.schema)
    _, path = _export(alfa, django_capture_on_commit_callbacks)

    call_command("restore_cooperative", str(path), slug="gamma")
    restored = Cooperative.objects.get(slug="gamma")

    assert restored.schema_name == "coop_gamma"
    assert Domain.objects.filter(tenant=restored, domain="gamma.noaber.test").exists()
    assert restored.status == Cooperative.Status.ACTIVE
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    tables = {t["name"]: t for t in manifest["tables"]}
    # Every table of the schema is in the archive, or left out for a stated reason.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND relkind = 'r'",
            [alfa.schema],
        )
        in_schema = {r[0] for r in cursor.fetchall()}
    assert in_schema == set(tables) | set(manifest["excluded_tables"])
    assert set(manifest["excluded_tables"]) <= set(EXCLUDED_TABLES)
    held = {name for name, t in tables.items() if t["rows"] > 0}
    assert held >= MUST_HOLD, MUST_HOLD - held

    replaced = {(t, c) for (t, c) in REPLACED_COLUMNS}
    for name, entry in tables.items():
        columns = [c for c in entry["columns"] if (name, c) not in replaced]
        original = _rows(alfa.schema, name, columns)
        assert len(original) == entry["rows"], name
        assert _rows(restored.schema_name, name, columns) == original, name
    assert schema_sequences(restored.schema_name) == schema_sequences(alfa.schema)

    # Credentials did not travel: no password works, and the export's own table is empty.
    with schema_context(restored.schema_name):
        assert User.objects.count() == len(_rows(alfa.schema, "accounts_user", ["id"]))
        assert not any(u.has_usable_password() for u in User.objects.all())
        assert not CooperativeExport.objects.exists()
    # The restored cooperative works: its board member is there with the founder's seat.
    with schema_context(restored.schema_name):
        assert board_member(alfa).name == "Anna Alfa"
    assert _schema_fingerprint(beta.schema) == beta_before


def test_restore_refuses_a_subdomain_in_use_and_writes_nothing(
    alfa, beta, django_capture_on_commit_callbacks
):
    _, path = _export(alfa, django_capture_on_commit_callbacks)
    before = (Cooperative.objects.count(), Domain.objects.count())

    with pytest.raises(ValidationError):
        cooperative_restore(archive=path, slug="beta")
    with pytest.raises(CommandError, match=r"al in gebruik|bezet|gekozen"):
        call_command("restore_cooperative", str(path), slug="BETA")

    assert (Cooperative.objects.count(), Domain.objects.count()) == before


def _rewritten(path: Path, target: Path, change) -> Path:
    """A copy of the archive with one file changed by ``change(name, data)``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, change(item.filename, src.read(item.filename)))
    return target


def test_a_damaged_archive_is_refused_before_anything_is_made(
    alfa, beta, tmp_path, django_capture_on_commit_callbacks
):
    _, path = _export(alfa, django_capture_on_commit_callbacks)
    damaged = _rewritten(
        path,
        tmp_path / "damaged.zip",
        lambda name, data: (
            data.replace(b"Anna Alfa", b"Anna Beta")
            if name == "tables/cooperatives_member.csv"
            else data
        ),
    )
    with pytest.raises(ArchiveError, match="beschadigd"):
        cooperative_restore(archive=damaged, slug="delta")
    assert not Cooperative.objects.filter(slug="delta").exists()
    assert not schema_exists("coop_delta")


def test_a_restore_that_fails_half_way_leaves_no_schema_no_host_no_row(
    alfa, beta, tmp_path, django_capture_on_commit_callbacks
):
    """Rows that break a constraint of the new schema (one member twice) fail the copy after
    the schema was made: all of it is gone again."""
    _, path = _export(alfa, django_capture_on_commit_callbacks)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))

    def change(name, data):
        if name == "tables/cooperatives_member.csv":
            lines = data.decode().splitlines()
            # A second copy of the first member: the same id twice.
            data = "\n".join([*lines, lines[1]]).encode() + b"\n"
            for entry in manifest["tables"]:
                if entry["file"] == name:
                    entry["sha256"] = hashlib.sha256(data).hexdigest()
        if name == "manifest.json":
            return json.dumps(manifest).encode()
        return data

    # Members come before the manifest in the zip, so the manifest is written with the new sum.
    broken = _rewritten(path, tmp_path / "broken.zip", change)
    with pytest.raises(ArchiveError, match=r"cooperatives_member kon niet.*duplicate key"):
        cooperative_restore(archive=broken, slug="epsilon")
    assert not Cooperative.objects.filter(slug="epsilon").exists()
    assert not Domain.objects.filter(domain__startswith="epsilon.").exists()
    assert not schema_exists("coop_epsilon")


def test_the_platform_exports_a_cooperative_whose_board_cannot_log_in(alfa, beta, tmp_path):
    """export_cooperative writes the same archive for an archived cooperative; it refuses an
    unknown subdomain and an existing file."""
    from tenants.archive.dump import archive_read
    from tenants.services import cooperative_set_status

    cooperative_set_status(
        cooperative=Cooperative.objects.get(pk=beta.cooperative.pk),
        status=Cooperative.Status.ARCHIVED,
    )
    target = tmp_path / "beta.zip"
    call_command("export_cooperative", "beta", str(target))
    with zipfile.ZipFile(target) as zf:
        manifest = archive_read(zf)
    assert manifest["cooperative"] == {
        "slug": "beta",
        "name": "WIJ-coöperatie Beta",
        "schema": beta.schema,
    }
    assert any(t["name"] == "cooperatives_member" and t["rows"] >= 1 for t in manifest["tables"])
    with pytest.raises(CommandError, match="bestaat al"):
        call_command("export_cooperative", "beta", str(target))
    with pytest.raises(CommandError, match="geen coöperatie"):
        call_command("export_cooperative", "omega", str(tmp_path / "omega.zip"))
    assert not (tmp_path / "omega.zip").exists()
