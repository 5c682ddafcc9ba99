"""Tasks are tenant-aware: queued in a cooperative's schema, they run in that schema.

The worker test uses a real Celery worker and the real Redis broker (NOABER_TEST_BROKER_URL,
set by .ci/run from CELERY_BROKER_URL). The rest of the suite runs tasks inline.
"""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tenants.tasks import send_welcome_email
from tests.factories import PASSWORD

BROKER = os.environ.get("NOABER_TEST_BROKER_URL", "")


@pytest.mark.skipif(not BROKER, reason="needs CELERY_BROKER_URL (Redis); .ci/run sets it")
def test_real_worker_runs_the_welcome_email_in_the_queueing_schema(
    coops, celery_redis_app, django_db_blocker
):
    """Two new members, one per cooperative, committed so the worker's own connection sees
    them; each task must find its member in its own schema."""
    with django_db_blocker.unblock():
        made = {}
        for key in ("alfa", "beta"):
            with schema_context(coops[key].schema):
                made[key] = User.objects.create_user(
                    f"worker-{key}@example.nl", PASSWORD, full_name=f"Werker {key}"
                )
        try:
            with start_worker(
                celery_redis_app, perform_ping_check=False, pool="solo", shutdown_timeout=30
            ):
                results = {}
                for key in ("alfa", "beta"):
                    with schema_context(coops[key].schema):
                        results[key] = send_welcome_email.delay(user_id=made[key].pk)
                outcome = {key: r.get(timeout=30) for key, r in results.items()}
        finally:
            for key, user in made.items():
                with schema_context(coops[key].schema):
                    User.objects.filter(pk=user.pk).delete()
            connection.set_schema_to_public()

    assert outcome["alfa"] == {"schema": "coop_alfa", "sent": True, "to": "worker-alfa@example.nl"}
    assert outcome["beta"] == {"schema": "coop_beta", "sent": True, "to": "worker-beta@example.nl"}
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Welkom bij Noaber, WIJ-coöperatie Beta staat klaar",
        "Welkom bij Noaber, Wijkcoöperatie Alfa staat klaar",
    ]


def test_user_ids_do_not_cross_schemas_in_a_task(alfa, beta):
    """The same numeric id means a different person in each schema: a task queued for A with
    an id that exists only in B finds nobody and sends nothing."""
    with schema_context(beta.schema):
        only_in_b = User.objects.create_user("alleen-b@example.nl", PASSWORD, full_name="B")
    with schema_context(alfa.schema):
        assert not User.objects.filter(pk=only_in_b.pk).exists()
        result = send_welcome_email.delay(user_id=only_in_b.pk).get()
    assert result == {"schema": alfa.schema, "sent": False}
    assert mail.outbox == []
