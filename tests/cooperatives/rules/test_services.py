"""The rulebook services: a revision waits for a scheduled version, refuses what is stale or in
the past with every message at once, previews against the version in force, and numbers
versions consecutively, also when two revisions meet."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from psycopg import errors as pg_errors

from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_current
from cooperatives.rules.services import rulebook_preview, rulebook_revise
from tests.factories import RulebookFactory, decided
from tests.state import rulebook_versions

TODAY = timezone.localdate


def test_without_a_date_a_revision_waits_for_the_scheduled_version(alfa):
    later = TODAY() + dt.timedelta(days=20)
    RulebookFactory(schema=alfa.schema, effective_from=later, euro_rate_per_hour="6")
    third = RulebookFactory(schema=alfa.schema, feedback_days=4)
    assert (third.version, third.effective_from) == (3, later)
    with schema_context(alfa.schema):
        assert rulebook_current().version == 1
        assert rulebook_current(on=later).version == 3


def test_the_service_refuses_a_revision_based_on_an_older_version(alfa):
    RulebookFactory(schema=alfa.schema, feedback_days=3)
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        rulebook_revise(actor=None, changes={"feedback_days": 4}, based_on=1, decision=decided())
    assert refused.value.message_dict == {
        "__all__": [
            "Intussen is versie 2 vastgesteld. Bekijk de wijzigingen opnieuw voordat u ze "
            "vaststelt."
        ]
    }
    assert rulebook_versions(alfa) == [1, 2]
    with schema_context(alfa.schema):
        assert (
            rulebook_revise(
                actor=None, changes={"feedback_days": 4}, based_on=2, decision=decided()
            ).version
            == 3
        )


def test_service_refuses_a_version_in_the_past_with_every_message_at_once(alfa):
    with schema_context(alfa.schema), pytest.raises(ValidationError) as refused:
        rulebook_revise(
            actor=None,
            changes={"min_balance": 3, "share_points_percent": "200"},
            effective_from=TODAY() - dt.timedelta(days=1),
            decision=decided(),
        )
    assert refused.value.message_dict == {
        "effective_from": ["Een nieuwe versie kan niet met terugwerkende kracht ingaan."],
        "min_balance": ["Het laagste saldo mag niet boven 0 liggen."],
        "share_points_percent": ["Een aandeel ligt tussen 0 en 100 procent."],
    }
    assert rulebook_versions(alfa) == [1]


def test_preview_service_compares_with_the_version_in_force(alfa):
    RulebookFactory(
        schema=alfa.schema, effective_from=TODAY() + dt.timedelta(days=10), feedback_days=3
    )
    with schema_context(alfa.schema):
        diff = rulebook_preview(changes={"feedback_days": 3, "starter_points": "5"})
    # The scheduled change (7 → 3) shows too: it is not in force yet.
    assert [(d["field"], d["old"], d["new"]) for d in diff] == [
        ("feedback_days", 7, 3),
        ("starter_points", None, 5),
    ]
    assert rulebook_versions(alfa) == [1, 2]


# --- version numbers under concurrency ---------------------------------------------------------


def test_revisions_in_a_row_get_consecutive_versions(alfa):
    numbers = [RulebookFactory(schema=alfa.schema, feedback_days=d).version for d in (1, 2, 3)]
    assert numbers == [2, 3, 4]
    assert rulebook_versions(alfa) == [1, 2, 3, 4]


def test_the_database_refuses_a_second_version_with_the_same_number(alfa):
    with schema_context(alfa.schema):
        with pytest.raises(IntegrityError), transaction.atomic():
            Rulebook.objects.create(version=1, adopted_by="dubbel")
        assert Rulebook.objects.filter(version=1).count() == 1


def test_a_revision_holds_the_lock_so_a_second_one_waits(alfa, beta):
    """A revision locks this cooperative's rulebook table until it commits: another
    transaction that tries to revise at the same time has to wait (here: NOWAIT fails), so
    it reads the new version only after it is committed and takes the number after it."""
    RulebookFactory(schema=alfa.schema, feedback_days=2)
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{alfa.schema}"')
            with pytest.raises(pg_errors.LockNotAvailable):
                cursor.execute(
                    "LOCK TABLE cooperatives_rulebook IN SHARE ROW EXCLUSIVE MODE NOWAIT"
                )
        other.rollback()
        with other.cursor() as cursor:  # the other cooperative's table is not held
            cursor.execute(f'SET search_path TO "{beta.schema}"')
            cursor.execute("LOCK TABLE cooperatives_rulebook IN SHARE ROW EXCLUSIVE MODE NOWAIT")
    finally:
        other.close()
