"""An archived cooperative is deleted once the retention period its board agreed has passed,
never before: the daily task, run with the clock frozen on both sides of each deadline, for two
archived cooperatives with different terms, while alfa and beta (open) are never touched."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_exists

from tenants.archive import services
from tenants.models import Cooperative, CooperativeDeletion, Domain
from tenants.services import cooperative_set_status, cooperative_sign_up
from tests.clients import client_for
from tests.factories import PASSWORD
from tests.pages import text

UTC = dt.UTC
ARCHIVED = dt.datetime(2027, 1, 31, 12, 0, tzinfo=UTC)
# 31 January plus 3 months is 30 April (no 31st); plus 12 months is 31 January.
GAMMA_DUE = dt.datetime(2027, 4, 30, 12, 0, tzinfo=UTC)
DELTA_DUE = dt.datetime(2028, 1, 31, 12, 0, tzinfo=UTC)
SECOND = dt.timedelta(seconds=1)


def _archived(slug: str, months: int) -> Cooperative:
    cooperative = cooperative_sign_up(
        name=f"Coöperatie {slug}",
        slug=slug,
        board_member_name="Bo Bestuur",
        email=f"bestuur@{slug}.example.nl",
        password=PASSWORD,
        template="wij",
    ).cooperative
    cooperative.retention_months = months
    cooperative.save(update_fields=["retention_months"])
    with time_machine.travel(ARCHIVED, tick=False):
        cooperative_set_status(cooperative=cooperative, status=Cooperative.Status.ARCHIVED)
    return cooperative


@pytest.fixture
def leaving(alfa, beta, settings):
    # Old export files expire on their own (test_old_export_files_expire); here only the
    # deletion of the cooperative removes them.
    settings.ARCHIVE_EXPORT_KEEP_DAYS = 100_000
    gamma, delta = _archived("gamma", 3), _archived("delta", 12)
    default_storage.save(f"cooperative-exports/{gamma.schema_name}/oud.zip", ContentFile(b"PK"))
    return gamma, delta


def _daily(moment: dt.datetime, django_capture_on_commit_callbacks) -> list[str]:
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = current_app.tasks["tenants.archive.tasks.archive_daily"].delay().get()
    return result["deleted"]


def _present(cooperative: Cooperative) -> bool:
    return (
        schema_exists(cooperative.schema_name)
        and Cooperative.objects.filter(pk=cooperative.pk).exists()
        and Domain.objects.filter(tenant_id=cooperative.pk).exists()
    )


def test_each_archived_cooperative_goes_at_its_own_deadline_and_not_a_second_before(
    alfa, beta, leaving, django_capture_on_commit_callbacks
):
    gamma, delta = leaving
    assert gamma.deletion_due == GAMMA_DUE and delta.deletion_due == DELTA_DUE
    # Whoever visits an archived cooperative reads until when its data is kept.
    closed = client_for("gamma.noaber.test").get("/")
    assert closed.status_code == 410
    assert "bewaard tot 30 april 2027" in text(closed)
    assert "archive-daily" in settings.CELERY_BEAT_SCHEDULE

    assert _daily(GAMMA_DUE - SECOND, django_capture_on_commit_callbacks) == []
    assert _present(gamma) and _present(delta)
    assert default_storage.exists(f"cooperative-exports/{gamma.schema_name}/oud.zip")
    assert not CooperativeDeletion.objects.exists()

    assert _daily(GAMMA_DUE, django_capture_on_commit_callbacks) == ["gamma"]
    assert not schema_exists(gamma.schema_name)
    assert not Cooperative.objects.filter(slug="gamma").exists()
    assert not Domain.objects.filter(domain__startswith="gamma.").exists()
    assert not default_storage.exists(f"cooperative-exports/{gamma.schema_name}/oud.zip")
    (line,) = CooperativeDeletion.objects.all()
    assert (line.slug, line.schema_name, line.archived_at, line.retention_months) == (
        "gamma",
        "coop_gamma",
        ARCHIVED,
        3,
    )
    assert line.deleted_at == GAMMA_DUE
    assert _present(delta)

    assert _daily(DELTA_DUE - SECOND, django_capture_on_commit_callbacks) == []
    assert _present(delta)
    assert _daily(DELTA_DUE, django_capture_on_commit_callbacks) == ["delta"]
    assert not schema_exists(delta.schema_name)
    assert list(CooperativeDeletion.objects.values_list("slug", flat=True)) == ["delta", "gamma"]

    # The open cooperatives were never touched.
    for coop in (alfa, beta):
        assert schema_exists(coop.schema)
        assert Cooperative.objects.get(pk=coop.cooperative.pk).status == Cooperative.Status.TRIAL


def test_deleting_one_that_is_not_due_is_refused_and_deletes_nothing(alfa, beta, leaving):
    gamma, _delta = leaving
    with time_machine.travel(GAMMA_DUE - SECOND, tick=False):
        with pytest.raises(ValidationError):
            services.cooperative_delete(cooperative=gamma)
        # An open cooperative is never due, however long ago it began.
        with pytest.raises(ValidationError):
            services.cooperative_delete(cooperative=alfa.cooperative)
    assert _present(gamma) and schema_exists(alfa.schema)
    assert not CooperativeDeletion.objects.exists()


def test_reopening_an_archived_cooperative_stops_the_clock(
    alfa, beta, leaving, django_capture_on_commit_callbacks
):
    gamma, _delta = leaving
    cooperative_set_status(cooperative=gamma, status=Cooperative.Status.ACTIVE)
    assert gamma.archived_at is None and gamma.deletion_due is None
    assert _daily(GAMMA_DUE + dt.timedelta(days=400), django_capture_on_commit_callbacks) == [
        "delta"
    ]
    assert _present(gamma)


def test_old_export_files_expire_after_the_days_set(alfa, beta, settings):
    """A zip of all the data is kept ARCHIVE_EXPORT_KEEP_DAYS, then removed, whichever
    cooperative it belongs to; a younger one stays."""
    settings.ARCHIVE_EXPORT_KEEP_DAYS = 7
    old = default_storage.save(f"cooperative-exports/{alfa.schema}/oud.zip", ContentFile(b"PK"))
    young = default_storage.save(f"cooperative-exports/{beta.schema}/jong.zip", ContentFile(b"PK"))
    eight_days_ago = (dt.datetime.now(tz=UTC) - dt.timedelta(days=8)).timestamp()
    os.utime(default_storage.path(old), (eight_days_ago, eight_days_ago))

    assert services.exports_expire() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(young)
