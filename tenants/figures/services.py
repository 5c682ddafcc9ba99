"""Writing a cooperative's network figures to the public schema: the only writes of
``tenants.figures``.

``figures_run`` is one nightly run for one cooperative: it asks the public registry what the
cooperative shares today (``tenants.networks.selectors.shared_groups``: the union over its
active memberships), computes only those groups inside the cooperative's own schema
(``cooperatives.figures.selectors``), and hands the cells to ``figures_store``, which hides the
small cells (``tenants.figures.suppression``) before a single row is written, then replaces the
cooperative's rows in one transaction. Replacing everything is what makes a run idempotent and
makes a withdrawn choice take effect: rows of a group no longer shared are not written again,
so they are gone after the next run."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from cooperatives.figures.catalog import GROUP_KEYS
from cooperatives.figures.cells import Cell
from cooperatives.figures.selectors import DIMENSION_LENGTH, figures_compute, months_back
from shared.validation import field_error
from tenants.figures.models import Figure, FigureRun
from tenants.figures.selectors import GENERATION_KEY
from tenants.figures.suppression import suppress
from tenants.models import Cooperative
from tenants.networks.selectors import shared_groups

log = logging.getLogger(__name__)


def _check(cells: list[Cell]) -> None:
    """Refuse cells that could not have come from the catalog (nothing is written then)."""
    seen: set[tuple[object, ...]] = set()
    for cell in cells:
        if cell.group not in GROUP_KEYS:
            raise field_error("cells", _("Onbekende groep cijfers: %s.") % cell.group, "group")
        if cell.month.day != 1:
            raise field_error("cells", _("Een cijfer hoort bij de eerste dag van een maand."))
        if len(cell.dimension) > DIMENSION_LENGTH or len(cell.metric) > 40:
            raise field_error("cells", _("Een onderverdeling is te lang."), "too_long")
        if cell.count < 0:
            raise field_error("cells", _("Een aantal kan niet negatief zijn."), "negative")
        key = (cell.month, cell.group, cell.metric, cell.dimension)
        if key in seen:
            raise field_error("cells", _("Hetzelfde cijfer staat er twee keer in."), "duplicate")
        seen.add(key)


def figures_store(
    *, cooperative: Cooperative, cells: list[Cell], started_at: dt.datetime | None = None
) -> FigureRun:
    """Replace the cooperative's figure rows with ``cells``, small cells hidden, and record
    the run, in one transaction in the public schema."""
    cells = list(cells)
    _check(cells)
    outcomes = suppress(cells)
    now = timezone.now()
    with schema_context(get_public_schema_name()), transaction.atomic():
        Figure.objects.filter(cooperative=cooperative).delete()
        Figure.objects.bulk_create(
            Figure(
                cooperative=cooperative,
                month=o.cell.month,
                group=o.cell.group,
                metric=o.cell.metric,
                dimension=o.cell.dimension,
                # A hidden cell's value never reaches the public schema.
                value=None if o.suppressed else o.cell.value,
                suppressed=o.suppressed,
                computed_at=now,
            )
            for o in outcomes
        )
        transaction.on_commit(_generation_bump)
        return FigureRun.objects.create(
            cooperative=cooperative,
            started_at=started_at or now,
            finished_at=timezone.now(),
            status=FigureRun.Status.DONE,
            cells=len(outcomes),
        )


def _generation_bump() -> None:
    """Tell the networks' pages that stored figures changed (selectors.figures_generation)."""
    try:
        caches["tenancy"].incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, or never read): a new start is a new number
        caches["tenancy"].set(GENERATION_KEY, time.time_ns(), timeout=None)


def figures_run(*, cooperative: Cooperative, today: dt.date | None = None) -> FigureRun:
    """One run for one cooperative: the groups it shares today, for the last 13 months."""
    started = timezone.now()
    with schema_context(get_public_schema_name()):
        groups = shared_groups(cooperative=cooperative)
    try:
        with schema_context(cooperative.schema_name):
            cells = figures_compute(groups=groups, months=months_back(today=today))
        return figures_store(cooperative=cooperative, cells=cells, started_at=started)
    except Exception:
        log.exception("figures run failed for %s", cooperative.schema_name)
        with schema_context(get_public_schema_name()):
            FigureRun.objects.create(
                cooperative=cooperative,
                started_at=started,
                finished_at=timezone.now(),
                status=FigureRun.Status.FAILED,
            )
        raise
