"""Records inside a cooperative's schema. For now: the clusters and the first version of the
house rules that the sign-up template fills in; the rules-and-rates work builds on them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cluster(models.Model):
    """A group of services the cooperative offers (e.g. "(Auto)vervoer")."""

    class Compensation(models.TextChoices):
        FREE = "free", _("free")
        EUROS = "euros", _("paid per hour in euros (klus)")
        POINTS = "points", _("paid in time points")

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    compensation = models.CharField(
        _("compensation"), max_length=10, choices=Compensation, default=Compensation.FREE
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="cluster_name_unique")]

    def __str__(self) -> str:
        return self.name


class Rulebook(models.Model):
    """One version of the house rules (spelregels) and rates (tarieven).

    Empty values mean "no rule". Later records keep the version they were made under, so a new
    version never rewrites the past.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"), default=timezone.localdate)
    adopted_by = models.CharField(_("adopted by (decision)"), max_length=200, blank=True)
    euro_rate_per_hour = models.DecimalField(
        _("euros per hour for a klus"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    points_per_hour = models.DecimalField(
        _("points per hour"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_service_hours = models.DecimalField(
        _("longest a service may last (hours)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    max_open_services = models.PositiveSmallIntegerField(
        _("open services a requester may have at once"), null=True, blank=True
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("days within which feedback is due"), null=True, blank=True
    )
    klus_needs_network_check = models.BooleanField(
        _("a klus needs confirmation that family, friends and neighbours cannot help"),
        default=False,
    )
    recipient_approves_quality = models.BooleanField(
        _("the recipient approves the quality before points are booked"), default=False
    )
    starter_points = models.PositiveSmallIntegerField(_("starter points"), null=True, blank=True)
    min_balance = models.IntegerField(_("lowest points balance"), null=True, blank=True)
    max_balance = models.IntegerField(_("highest points balance"), null=True, blank=True)
    no_competition_with_social_enterprises = models.BooleanField(default=False)
    liability_disclaimer = models.TextField(_("liability disclaimer"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Spelregels v{self.version}"
