"""The template schema that new cooperatives are cloned from."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context, schema_exists

from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from tenants import provisioning, schema_clone, services
from tenants.models import Cooperative, SpareSchema
from tests.factories import SIGN_UP
from tests.state import registry_snapshot


@pytest.fixture
def fresh_template_check():
    # These tests change the template by hand (no migration): its kept clone script must be
    # read again, as after a deploy.
    provisioning._template_state.cache_clear()
    provisioning._template_script.cache_clear()
    yield
    provisioning._template_state.cache_clear()
    provisioning._template_script.cache_clear()


def test_clone_copies_tables_and_migration_records_but_no_member_data(alfa, fresh_template_check):
    result = services.cooperative_sign_up(**SIGN_UP)
    schema = result.cooperative.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
            [provisioning.template_schema_name()],
        )
        template_tables = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        assert cursor.fetchone()[0] == template_tables
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')
        cloned_migrations = cursor.fetchone()[0]
        cursor.execute('SELECT count(*) FROM "noaber_template".django_migrations')
        assert cloned_migrations == cursor.fetchone()[0] > 0
    with schema_context(schema):
        assert list(User.objects.values_list("email", flat=True)) == [SIGN_UP["email"]]
        # Sequences start where the template's do: the first board member is user 1 here too.
        assert User.objects.get().pk == 1
    with schema_context(provisioning.template_schema_name()):
        assert User.objects.count() == 0 and Cluster.objects.count() == 0


def test_sign_up_refuses_a_stale_template_and_creates_nothing(coops, db, fresh_template_check):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM noaber_template.django_migrations WHERE app = 'cooperatives'")
    before = registry_snapshot()
    with pytest.raises(provisioning.TemplateSchemaError, match="loopt achter"):
        services.cooperative_sign_up(**SIGN_UP)
    assert registry_snapshot() == before


def test_refresh_template_schema_rebuilds_it_and_sign_up_works_after(
    coops, db, fresh_template_check
):
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA noaber_template CASCADE")
    assert not schema_exists("noaber_template")
    call_command("refresh_template_schema", verbosity=0)
    assert schema_exists("noaber_template")
    result = services.cooperative_sign_up(**SIGN_UP)
    with schema_context(result.cooperative.schema_name):
        assert Cluster.objects.count() == 7
    assert Cooperative.objects.filter(slug="zuid").exists()


CATALOG_QUERIES = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'r'
          AND a.attnum > 0 AND NOT a.attisdropped""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, k.condeferrable, k.condeferred,
               pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = %(ns)s::regnamespace AND k.contype <> 'n'""",
    "indexes": """
        SELECT c.relname, pg_get_indexdef(c.oid)
        FROM pg_class c WHERE c.relnamespace = %(ns)s::regnamespace AND c.relkind = 'i'""",
    "triggers": """
        SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(ns)s::regnamespace AND NOT t.tgisinternal""",
    "rows": """
        SELECT 'django_migrations', count(*) FROM django_migrations
        UNION ALL SELECT 'auth_permission', count(*) FROM auth_permission
        UNION ALL SELECT 'django_content_type', count(*) FROM django_content_type""",
}


def catalog(schema: str) -> dict[str, set]:
    found = {}
    with schema_context(schema), connection.cursor() as cursor:
        for name, query in CATALOG_QUERIES.items():
            cursor.execute(query, {"ns": schema})
            found[name] = {
                tuple(str(v).replace(f"{schema}.", "SCHEMA.") for v in row)
                for row in cursor.fetchall()
            }
    return found


def test_clone_is_identical_to_the_template_down_to_every_name(alfa, fresh_template_check):
    """Columns, defaults, identity, constraints and indexes keep their names and definitions,
    so a later migration that drops or renames one by name works on every cooperative."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION noaber_template.noaber_test_touch() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN NEW.name := NEW.name || ' %'; RETURN NEW; END $$;
            CREATE TRIGGER touch_clusters BEFORE INSERT ON noaber_template.cooperatives_cluster
            FOR EACH ROW EXECUTE FUNCTION noaber_template.noaber_test_touch();
            """
        )
    result = services.cooperative_sign_up(**SIGN_UP)
    template, clone = catalog("noaber_template"), catalog(result.cooperative.schema_name)
    for part in CATALOG_QUERIES:
        assert clone[part] == template[part], part
    assert any("accounts_user_email_ci_unique" in row for row in clone["indexes"])
    assert any(row[0] == "touch_clusters" for row in clone["triggers"])
    assert any(row[0] == "audit_entry_append_only" for row in clone["triggers"])
    with schema_context(result.cooperative.schema_name):
        # The copied function and trigger act on the new schema's own table.
        assert Cluster.objects.filter(name="Wandelen %").exists()


def test_a_second_clone_reads_no_catalog_and_is_the_same(alfa, fresh_template_check):
    """The template's clone script is read from the catalog once per process: a second clone
    only sends it (the catalog reads were what grew with every cooperative)."""
    with CaptureQueriesContext(connection) as first:
        provisioning.clone_template(schema_name="coop_kloon_een")
    with CaptureQueriesContext(connection) as second:
        provisioning.clone_template(schema_name="coop_kloon_twee")
    assert any("pg_class" in q["sql"] for q in first)
    assert [q["sql"] for q in second if "pg_" in q["sql"] and "CREATE SCHEMA" not in q["sql"]] == []
    assert catalog("coop_kloon_twee") == catalog("coop_kloon_een") == catalog("noaber_template")


def test_cloner_refuses_objects_it_cannot_copy_and_creates_nothing(coops, db, fresh_template_check):
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW noaber_template.noaber_test_view AS SELECT 1 AS one")
    before = registry_snapshot()
    with pytest.raises(schema_clone.UnsupportedTemplateObject, match="noaber_test_view"):
        services.cooperative_sign_up(**SIGN_UP)
    assert registry_snapshot() == before


@pytest.fixture
def spares(coops, db, settings, fresh_template_check):
    settings.TENANT_SPARE_SCHEMAS = 2
    assert provisioning.spares_fill() == 2
    return list(SpareSchema.objects.values_list("schema_name", flat=True))


def test_sign_up_takes_a_spare_schema_by_renaming_it(spares, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.cooperative_sign_up(**SIGN_UP)
    # The first spare became the cooperative's schema (its tables, not a fresh clone)...
    assert not schema_exists(spares[0]) and schema_exists("coop_zuid")
    assert catalog("coop_zuid") == catalog("noaber_template")
    with schema_context(result.cooperative.schema_name):
        assert Cluster.objects.count() == 7  # the template's records were applied to it
    # ...and the pool was topped up again after the commit.
    names = set(SpareSchema.objects.values_list("schema_name", flat=True))
    assert len(names) == 2 and spares[0] not in names and spares[1] in names


def test_a_failed_sign_up_gives_its_spare_back(spares, mocker):
    mocker.patch.object(services, "_apply_rules_template", side_effect=RuntimeError("kapot"))
    with pytest.raises(RuntimeError):
        services.cooperative_sign_up(**SIGN_UP)
    assert schema_exists(spares[0]) and not schema_exists("coop_zuid")
    assert SpareSchema.objects.filter(schema_name=spares[0]).exists()


def test_spares_of_an_older_template_are_never_taken_and_are_replaced(spares):
    SpareSchema.objects.update(template_version="ouder")
    result = services.cooperative_sign_up(**SIGN_UP)  # cloned: no current spare
    assert schema_exists(spares[0]) and schema_exists(result.cooperative.schema_name)
    assert provisioning.spares_fill() == 2
    assert not any(schema_exists(name) for name in spares)
    assert SpareSchema.objects.exclude(template_version="ouder").count() == 2
