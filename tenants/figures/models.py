"""Aggregate figures in the public schema: the only data of a cooperative a network can read.

A row is one cell: a cooperative, a month, a group and metric from
``cooperatives.figures.catalog``, and a dimension (a cluster's name, a member kind, or empty
for the whole cooperative). A cell that counts fewer than five members or services is stored
suppressed (``value`` empty); the value never crosses the schema boundary at all."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Cooperative


class FigureRun(models.Model):
    """One nightly computation for one cooperative; the latest finished one dates its rows."""

    class Status(models.TextChoices):
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="figure_runs",
        verbose_name=_("wijkcoöperatie"),
    )
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.RUNNING)
    cells = models.PositiveIntegerField(_("cellen"), default=0)

    class Meta:
        verbose_name = _("berekening van netwerkcijfers")
        verbose_name_plural = _("berekeningen van netwerkcijfers")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["cooperative", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.cooperative_id} {self.started_at:%Y-%m-%d %H:%M}: {self.status}"


class Figure(models.Model):
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("wijkcoöperatie"),
    )
    month = models.DateField(_("maand"))  # the first day of the month
    group = models.CharField(_("groep"), max_length=20)
    metric = models.CharField(_("cijfer"), max_length=40)
    # A cluster's name, a member kind, or empty for the cooperative as a whole; never text
    # written by or about a member.
    dimension = models.CharField(_("onderverdeling"), max_length=80, blank=True)
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2, null=True, blank=True)
    suppressed = models.BooleanField(_("onderdrukt"), default=False)
    computed_at = models.DateTimeField(_("berekend op"), default=timezone.now)

    class Meta:
        verbose_name = _("netwerkcijfer")
        verbose_name_plural = _("netwerkcijfers")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "month", "group", "metric", "dimension"],
                name="figures_one_cell",
            ),
            # A suppressed cell holds no value; a shown one always does.
            models.CheckConstraint(
                condition=models.Q(suppressed=True, value__isnull=True)
                | models.Q(suppressed=False, value__isnull=False),
                name="figures_suppressed_has_no_value",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "month"]),
            # The network's reads (tenants.figures.selectors): one group's totals of a month
            # side by side, or one figure over the months, for hundreds of cooperatives at
            # once, answered from the index alone (bench/network_figures.py).
            models.Index(
                fields=["group", "dimension", "metric", "month"],
                include=["cooperative", "value", "suppressed"],
                name="figures_network_read",
            ),
        ]

    def __str__(self) -> str:
        shown = "·" if self.suppressed else self.value
        cell = f"{self.group}.{self.metric}[{self.dimension}]"
        return f"{self.cooperative_id} {self.month:%Y-%m} {cell} = {shown}"
