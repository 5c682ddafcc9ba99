"""The nightly task: one task per open cooperative, queued after the commit, each run in its
cooperative's schema; a suspended cooperative is left alone; the command runs the same inline."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from tenants.figures.models import Figure, FigureRun
from tenants.figures.tasks import figures_nightly, figures_run_in_schema
from tenants.models import Cooperative
from tests.factories import TODAY, membership_make, services_given


def test_the_nightly_task_fans_out_per_open_cooperative_after_the_commit(
    alfa, beta, networks, django_capture_on_commit_callbacks
):
    membership_make(networks.samen030, alfa.cooperative, groups=("help",))
    membership_make(networks.samen030, beta.cooperative, groups=("members",))
    services_given(alfa, 5, cluster="Wandelen")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        result = figures_nightly.delay().get()
    assert result == {"queued": ["coop_alfa", "coop_beta"]}
    assert not Figure.objects.exists()  # nothing runs before the commit
    for callback in queued:
        callback()
    assert set(Figure.objects.values_list("cooperative__slug", "group").distinct()) == {
        ("alfa", "help"),
        ("beta", "members"),
    }
    # Each computed in its own schema: beta had no walks.
    month_total = Figure.objects.get(
        group="help", metric="services", dimension="", month=TODAY().replace(day=1)
    )
    assert (month_total.cooperative.slug, month_total.value) == ("alfa", 5)
    # Twice is the same.
    before = set(
        Figure.objects.values_list("cooperative_id", "month", "metric", "dimension", "value")
    )
    with django_capture_on_commit_callbacks(execute=True):
        figures_nightly.delay().get()
    after = set(
        Figure.objects.values_list("cooperative_id", "month", "metric", "dimension", "value")
    )
    assert after == before
    assert FigureRun.objects.filter(status="done").count() == 4


def test_a_suspended_cooperative_is_skipped(
    alfa, beta, networks, django_capture_on_commit_callbacks
):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    Cooperative.objects.filter(pk=beta.cooperative.pk).update(status="suspended")
    with django_capture_on_commit_callbacks(execute=True):
        assert figures_nightly.delay().get() == {"queued": ["coop_alfa"]}
    # Queued before the suspension, the task still leaves it alone.
    with schema_context(beta.schema):
        assert figures_run_in_schema.delay().get() == {"schema": "coop_beta", "skipped": True}
    assert not Figure.objects.filter(cooperative=beta.cooperative).exists()
    assert Figure.objects.filter(cooperative=alfa.cooperative).exists()


def test_the_command_runs_one_or_every_cooperative(alfa, beta, networks, capsys):
    membership_make(networks.samen030, alfa.cooperative)
    membership_make(networks.samen030, beta.cooperative)
    call_command("figures_run", cooperative="beta")
    assert set(Figure.objects.values_list("cooperative__slug", flat=True)) == {"beta"}
    call_command("figures_run")
    assert set(Figure.objects.values_list("cooperative__slug", flat=True)) == {"alfa", "beta"}
    assert "2 coöperaties" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("figures_run", cooperative="bestaat-niet")
