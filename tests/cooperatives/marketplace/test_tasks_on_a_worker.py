"""The marketplace's periodic fan-out on a real Celery worker against Redis: started in the
public schema, it queues one task per cooperative, and each runs in its own schema.

Skipped unless NOABER_TEST_BROKER_URL is set (as in tests/platform/test_celery.py). Redis is
shared with other runs, so this test sends and consumes on a queue of its own.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_success
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.marketplace import services
from cooperatives.marketplace.models import HelpRequest, MemberSettings, Service
from cooperatives.marketplace.tasks import marketplace_daily, marketplace_daily_in_schema
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster
from shared.accounts.models import User
from tests.factories import MemberFactory

BROKER = os.environ.get("NOABER_TEST_BROKER_URL", "")


def _service_tomorrow(schema: str, title: str) -> tuple[Member, Member, Service]:
    """Committed data, made directly (no audit entries, which could not be deleted again)."""
    requester = MemberFactory(schema=schema, name=f"Hulpvrager {title}")
    volunteer = MemberFactory(schema=schema, name=f"Vrijwilliger {title}", roles=["volunteer"])
    with schema_context(schema):
        cluster = Cluster.objects.filter(is_active=True).first()
        request = HelpRequest.objects.create(
            requester=requester,
            created_by=requester,
            cluster=cluster,
            title=title,
            expected_hours=1,
            rulebook=rulebook_current(),
            status=HelpRequest.Status.MATCHED,
        )
        service = Service.objects.create(
            request=request,
            requester=requester,
            volunteer=volunteer,
            cluster=cluster,
            rulebook=request.rulebook,
            date=timezone.localdate() + dt.timedelta(days=1),
            start_time=dt.time(10, 0),
            planned_hours=1,
        )
    return requester, volunteer, service


def _processed(made: dict[str, tuple[Member, Member, Service]]) -> dict[str, bool]:
    """Per schema: reminded, and the digest step (the run's last writing step) done."""
    out = {}
    for schema, (_r, volunteer, service) in made.items():
        with schema_context(schema):
            out[schema] = (
                Service.objects.filter(pk=service.pk, reminder_sent_for__isnull=False).exists()
                and MemberSettings.objects.filter(
                    member=volunteer, last_digest_at__isnull=False
                ).exists()
            )
    return out


def _remove(made: dict[str, tuple[Member, Member, Service]]) -> None:
    for schema, (requester, volunteer, service) in made.items():
        with schema_context(schema):
            Service.objects.filter(pk=service.pk).delete()
            HelpRequest.objects.filter(pk=service.request_id).delete()
            Member.objects.filter(pk__in=[requester.pk, volunteer.pk]).delete()
            User.objects.filter(pk__in=[requester.user_id, volunteer.user_id]).delete()


@pytest.mark.skipif(not BROKER, reason="needs CELERY_BROKER_URL (Redis); .ci/run sets it")
def test_real_worker_runs_the_daily_fan_out_in_every_cooperatives_schema(
    coops, celery_redis_app, django_db_blocker
):
    with django_db_blocker.unblock():
        made = {}
        try:
            for key, title in (("alfa", "Wandeling met Alfa"), ("beta", "Rit met Beta")):
                made[coops[key].schema] = _service_tomorrow(coops[key].schema, title)
            mail.outbox.clear()
            with start_worker(
                celery_redis_app, perform_ping_check=False, pool="solo", shutdown_timeout=30
            ):
                queued = marketplace_daily.delay().get(timeout=30)
                deadline = time.monotonic() + 30
                while not all(_processed(made).values()) and time.monotonic() < deadline:
                    time.sleep(0.2)
                processed = _processed(made)
        finally:
            _remove(made)
            connection.set_schema_to_public()

    assert queued == {"queued": ["coop_alfa", "coop_beta"]}  # every open cooperative, no other
    assert processed == {"coop_alfa": True, "coop_beta": True}
    sent = {m.to[0]: m.body for m in mail.outbox}
    for schema, own, other in (("coop_alfa", "Alfa", "Beta"), ("coop_beta", "Beta", "Alfa")):
        requester, volunteer, _service = made[schema]
        for member in (requester, volunteer):
            assert f"met {own}" in sent[member.email]
            assert f"met {other}" not in sent[member.email]
    assert len(mail.outbox) == 4


def test_inline_fan_out_runs_each_cooperatives_task_in_its_own_schema(
    alfa, beta, django_capture_on_commit_callbacks
):
    """Without a broker (the rest of the suite) the same path runs inline: each queued task
    reports the schema it ran in."""
    ran = []

    def record(sender, result, **kwargs):
        ran.append(result)

    task_success.connect(record, sender=marketplace_daily_in_schema, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            marketplace_daily.delay()
    finally:
        task_success.disconnect(record, sender=marketplace_daily_in_schema)
    assert ran == [{"schema": "coop_alfa", "sent": {}}, {"schema": "coop_beta", "sent": {}}]
    assert connection.schema_name == "public"


def test_a_row_another_worker_holds_is_skipped_and_sent_once_later(coops, django_db_blocker):
    """Two workers at once: while one holds a service's row, the other passes it by instead
    of sending the same reminder; afterwards it is sent once. (Committed data: the holder
    works on a connection of its own.)"""
    schema = coops["alfa"].schema
    holding, release = threading.Event(), threading.Event()

    def other_worker(service_pk: int) -> None:
        try:
            with schema_context(schema), transaction.atomic():
                Service.objects.select_for_update().get(pk=service_pk)
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        made = {schema: _service_tomorrow(schema, "Wandeling op slot")}
        service = made[schema][2]
        holder = threading.Thread(target=other_worker, args=(service.pk,))
        try:
            holder.start()
            assert holding.wait(10)
            with schema_context(schema):
                while_held = services.service_reminders_send()
            release.set()
            holder.join(10)
            with schema_context(schema):
                after = services.service_reminders_send()
                again = services.service_reminders_send()
        finally:
            release.set()
            _remove(made)
            connection.set_schema_to_public()

    assert (while_held.sent, again.sent) == ({}, {})
    assert after.sent == {"service_reminder_requester": 1, "service_reminder_volunteer": 1}
    assert len(mail.outbox) == 2
