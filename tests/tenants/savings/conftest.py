"""Crafted figure rows and parameter versions for the savings and Triple Aim tests: the
network side reads only Figure rows, so the tests write those directly."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.figures.models import Figure
from tenants.savings import services
from tenants.savings.selectors import month_add, month_start


def _figure(coop, month, group, metric, dimension="", value=None):
    """A cell; ``value`` None makes it a suppressed one."""
    with schema_context("public"):
        return Figure.objects.create(
            cooperative=coop.cooperative,
            month=month,
            group=group,
            metric=metric,
            dimension=dimension,
            value=None if value is None else Decimal(str(value)),
            suppressed=value is None,
        )


def _parameters(manager, network, *, share="0.5", cost="30", clusters=(), valid_from=None):
    with schema_context("public"):
        return services.savings_parameters_set(
            actor=manager,
            network=network,
            valid_from=valid_from or timezone.localdate(),
            share=share,
            hourly_cost=cost,
            clusters=[{"cluster": c, "share": s, "hourly_cost": h} for c, s, h in clusters],
            source="Tarieven van de gemeente",
        )


@pytest.fixture
def months():
    """This month and the two before it (first days)."""
    this = month_start(timezone.localdate())
    return SimpleNamespace(this=this, last=month_add(this, -1), before=month_add(this, -2))


@pytest.fixture
def craft():
    return SimpleNamespace(figure=_figure, parameters=_parameters)
