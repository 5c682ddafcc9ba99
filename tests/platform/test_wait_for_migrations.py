"""The initContainer's wait: new pods start only once the migrate Job has finished."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context


def test_a_migrated_database_is_ready_at_once(coops, db, capsys):
    call_command("wait_for_migrations", "--timeout", "0")
    assert "Migraties zijn bijgewerkt." in capsys.readouterr().out


@pytest.mark.parametrize("schema", ["public", "noaber_template"])
def test_a_migration_missing_in_public_or_the_template_keeps_it_waiting(coops, db, schema):
    """The template is migrated last: a run that has not reached it is not finished."""
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'cooperatives' AND id = "
            "(SELECT max(id) FROM django_migrations WHERE app = 'cooperatives')"
        )
    connection.set_schema_to_public()
    with pytest.raises(CommandError) as refused:
        call_command("wait_for_migrations", "--timeout", "0")
    assert f"Migraties ontbreken nog na het wachten: {schema}: 1 open" in str(refused.value)
