"""The template schema that new cooperatives are cloned from."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from cooperatives.models import Cluster
from shared.accounts.models import User
from tenants import provisioning, services
from tenants.models import Cooperative

from .test_signup import VALID, registry_snapshot


@pytest.fixture
def fresh_template_check():
    provisioning._template_is_current.cache_clear()
    yield
    provisioning._template_is_current.cache_clear()


def test_clone_copies_tables_and_migration_records_but_no_member_data(alfa, fresh_template_check):
    result = services.cooperative_sign_up(**VALID)
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
        assert list(User.objects.values_list("email", flat=True)) == [VALID["email"]]
        # Sequences start where the template's do: the first board member is user 1 here too.
        assert User.objects.get().pk == 1
    with schema_context(provisioning.template_schema_name()):
        assert User.objects.count() == 0 and Cluster.objects.count() == 0


def test_sign_up_refuses_a_stale_template_and_creates_nothing(coops, db, fresh_template_check):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM noaber_template.django_migrations WHERE app = 'cooperatives'")
    before = registry_snapshot()
    with pytest.raises(provisioning.TemplateSchemaError, match="loopt achter"):
        services.cooperative_sign_up(**VALID)
    assert registry_snapshot() == before


def test_refresh_template_schema_rebuilds_it_and_sign_up_works_after(
    coops, db, fresh_template_check
):
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA noaber_template CASCADE")
    assert not schema_exists("noaber_template")
    call_command("refresh_template_schema", verbosity=0)
    assert schema_exists("noaber_template")
    result = services.cooperative_sign_up(**VALID)
    with schema_context(result.cooperative.schema_name):
        assert Cluster.objects.count() == 7
    assert Cooperative.objects.filter(slug="zuid").exists()
