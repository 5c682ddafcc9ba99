"""The parameters of a network's shared-savings estimate, in the public schema, versioned.

The estimate (``tenants.savings.selectors``) is hours of informal help × substitution share ×
hourly cost of the professional alternative, per cluster. The network sets the share and the
cost per cluster name, and a default for the clusters it does not list. A save is a new version
with the date from which it applies and who set it; a version is never changed afterwards, so
an estimate shown before can always be traced to the numbers it used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Network

SHARE_RANGE = models.Q(share__gte=Decimal(0), share__lte=Decimal(1))


class ImmutableRow(models.Model):
    """A row that is written once: a new version replaces it, nothing edits it."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError(
                "A version of the savings parameters is never changed: save a new one."
            )
        super().save(*args, **kwargs)


class SavingsParameters(ImmutableRow):
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        related_name="savings_parameters",
        verbose_name=_("netwerk"),
    )
    version = models.PositiveIntegerField(_("versie"))
    valid_from = models.DateField(_("geldig vanaf"))
    # For the clusters the version does not list.
    share = models.DecimalField(_("vervangingsaandeel"), max_digits=4, decimal_places=3)
    hourly_cost = models.DecimalField(
        _("uurtarief professioneel alternatief"), max_digits=7, decimal_places=2
    )
    # Where the numbers come from (a tariff table, an agreement with the municipality),
    # written by the network's manager; never about a member.
    source = models.TextField(_("bron en toelichting"), blank=True, max_length=1000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    # The name at the time, kept when the account is gone.
    set_by_name = models.CharField(_("naam van wie vaststelde"), max_length=150)
    created_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)

    class Meta:
        verbose_name = _("parameters gedeelde besparing")
        verbose_name_plural = _("parameters gedeelde besparing")
        ordering = ["network", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["network", "version"], name="savings_one_version"),
            models.CheckConstraint(condition=SHARE_RANGE, name="savings_default_share_0_1"),
            models.CheckConstraint(
                condition=models.Q(hourly_cost__gte=Decimal(0)), name="savings_default_cost_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network_id} v{self.version} ({self.valid_from:%Y-%m-%d})"


class ClusterParameters(ImmutableRow):
    """The share and the cost for one cluster name, within one version."""

    parameters = models.ForeignKey(
        SavingsParameters, on_delete=models.CASCADE, related_name="clusters"
    )
    # A cluster's name as the figures carry it (their dimension); matched without regard to
    # capitals, since every cooperative names its own clusters.
    cluster = models.CharField(_("cluster"), max_length=80)
    share = models.DecimalField(_("vervangingsaandeel"), max_digits=4, decimal_places=3)
    hourly_cost = models.DecimalField(
        _("uurtarief professioneel alternatief"), max_digits=7, decimal_places=2
    )

    class Meta:
        verbose_name = _("parameters van een cluster")
        verbose_name_plural = _("parameters van clusters")
        ordering = ["parameters", "cluster"]
        constraints = [
            models.UniqueConstraint(
                Lower("cluster"), "parameters", name="savings_cluster_once_per_version"
            ),
            models.CheckConstraint(condition=SHARE_RANGE, name="savings_cluster_share_0_1"),
            models.CheckConstraint(
                condition=models.Q(hourly_cost__gte=Decimal(0)), name="savings_cluster_cost_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parameters_id}: {self.cluster}"
