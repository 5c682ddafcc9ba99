"""`manage.py migrate` over many cooperatives: current schemas are skipped (decided in one query
over their own django_migrations), the rest migrated, a failing schema named and left as it was
while the others go on, and a re-run resumes with what is left."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from tenants import schema_migrations
from tests.factories import fresh_cooperative

# The last migration of annual_report creates a function and a trigger (RunSQL, reversible):
# unapplying it puts a schema one migration behind with something to check afterwards.
APP, LAST, BEFORE = "annual_report", "0002_approved_report_frozen", "0001_initial"
FUNCTION = "annual_report_refuse_approved_change"


def unapply_last(schema: str) -> None:
    connection.set_schema(schema)
    MigrationExecutor(connection).migrate([(APP, BEFORE)])
    connection.set_schema_to_public()


def has_trigger(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND t.tgname = 'annual_report_approved'",
            [schema],
        )
        return cursor.fetchone()[0] == 1


def recorded(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s AND name = %s',
            [APP, LAST],
        )
        return cursor.fetchone()[0] == 1


@pytest.fixture
def spy(mocker):
    """Records which schemas the command migrates (the real function still runs)."""
    return mocker.patch.object(
        schema_migrations, "migrate_schema", side_effect=schema_migrations.migrate_schema
    )


def migrated(spy) -> list[str]:
    return sorted(call.args[0] for call in spy.call_args_list)


def test_nothing_to_apply_touches_no_schema(alfa, beta, spy, mocker):
    """With every schema current, no migration runs anywhere (public, cooperatives, template)
    and each cooperative's django_migrations is read once, in one query for all of them."""
    never = mocker.patch.object(
        MigrationExecutor, "migrate", side_effect=AssertionError("a schema was migrated")
    )
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", interactive=False, verbosity=0, workers=1)
    assert never.call_count == 0
    assert spy.call_count == 0
    reads = [q["sql"] for q in queries if ".django_migrations" in q["sql"]]
    both = [q for q in reads if f'"{alfa.schema}".django_migrations' in q]
    assert len(both) == 1 and f'"{beta.schema}".django_migrations' in both[0]
    ddl = ("ALTER", "CREATE", "DROP")
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(ddl)]


def test_decision_sees_a_schema_behind_and_one_missing(alfa, beta, db):
    unapply_last(beta.schema)
    decision = schema_migrations.decide([alfa.schema, beta.schema, "coop_does_not_exist"])
    assert decision.current == [alfa.schema]
    assert decision.behind == [beta.schema]
    assert decision.missing == ["coop_does_not_exist"]


def test_a_schema_behind_is_migrated_and_the_current_one_skipped(alfa, beta, db, spy):
    unapply_last(alfa.schema)
    assert not has_trigger(alfa.schema) and not recorded(alfa.schema)

    call_command("migrate", interactive=False, verbosity=0, workers=1)

    assert migrated(spy) == [alfa.schema]
    assert has_trigger(alfa.schema) and recorded(alfa.schema)
    assert has_trigger(beta.schema) and recorded(beta.schema)
    assert schema_migrations.decide([alfa.schema, beta.schema]).behind == []


def test_a_failing_schema_is_named_and_left_as_it_was_and_a_rerun_resumes(alfa, beta, db, spy):
    unapply_last(alfa.schema)
    unapply_last(beta.schema)
    # Something in beta that the migration cannot get past: a function of the same name.
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE FUNCTION "{beta.schema}".{FUNCTION}() RETURNS trigger LANGUAGE plpgsql '
            "AS $$ BEGIN RETURN NEW; END $$"
        )

    with pytest.raises(CommandError, match=beta.schema) as refused:
        call_command("migrate", interactive=False, verbosity=0, workers=1)

    assert alfa.schema not in str(refused.value)
    assert migrated(spy) == [alfa.schema, beta.schema]
    # alfa went on; beta is exactly as it was: not recorded, no trigger, its function kept.
    assert has_trigger(alfa.schema) and recorded(alfa.schema)
    assert not has_trigger(beta.schema) and not recorded(beta.schema)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s AND p.proname = %s",
            [beta.schema, FUNCTION],
        )
        assert cursor.fetchone()[0] == 1

    # The cause removed, a re-run migrates beta only.
    with connection.cursor() as cursor:
        cursor.execute(f'DROP FUNCTION "{beta.schema}".{FUNCTION}()')
    spy.reset_mock()
    call_command("migrate", interactive=False, verbosity=0, workers=1)
    assert migrated(spy) == [beta.schema]
    assert has_trigger(beta.schema) and recorded(beta.schema)


def test_a_registered_cooperative_without_schema_is_reported(alfa, beta, db, spy):
    from tenants.models import Cooperative

    Cooperative.objects.create(name="Zonder", slug="zonder", schema_name="coop_zonder")
    with pytest.raises(CommandError, match="coop_zonder"):
        call_command("migrate", interactive=False, verbosity=0, workers=1)
    assert spy.call_count == 0


@pytest.mark.timeout(180)
def test_workers_migrate_committed_schemas_in_parallel(coops, django_db_blocker):
    """Two worker processes, two committed cooperatives behind: both migrated, each in its
    own process and connection."""
    with (
        fresh_cooperative(django_db_blocker, "gamma-migr") as gamma,
        fresh_cooperative(django_db_blocker, "delta-migr") as delta,
        django_db_blocker.unblock(),
    ):
        unapply_last(gamma)
        unapply_last(delta)
        assert sorted(schema_migrations.decide([gamma, delta]).behind) == [delta, gamma]

        outcomes = schema_migrations.migrate_many([gamma, delta], workers=2)

        assert sorted((o.schema, o.ok, o.applied) for o in outcomes) == [
            (delta, True, 1),
            (gamma, True, 1),
        ]
        assert has_trigger(gamma) and has_trigger(delta)
        assert schema_migrations.decide([gamma, delta]).current == [gamma, delta]
