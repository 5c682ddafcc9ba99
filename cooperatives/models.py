"""Records inside a cooperative's schema. For now: the clusters and the first version of the
house rules that the sign-up template fills in; the rules-and-rates work builds on them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cluster(models.Model):
    """A group of services the cooperative offers (e.g. "(Auto)vervoer")."""

    class Compensation(models.TextChoices):
        FREE = "free", _("gratis")
        EUROS = "euros", _("klus: betaald per uur in euro's")
        POINTS = "points", _("betaald in tijdpunten")

    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("beschrijving"), blank=True)
    compensation = models.CharField(
        _("vergoeding"), max_length=10, choices=Compensation, default=Compensation.FREE
    )
    is_active = models.BooleanField(_("actief"), default=True)
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

    version = models.PositiveIntegerField(_("versie"), unique=True)
    effective_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    adopted_by = models.CharField(_("vastgesteld bij (besluit)"), max_length=200, blank=True)
    euro_rate_per_hour = models.DecimalField(
        _("euro per uur voor een klus"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    points_per_hour = models.DecimalField(
        _("punten per uur"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_service_hours = models.DecimalField(
        _("langste duur van een dienst (uren)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    max_open_services = models.PositiveSmallIntegerField(
        _("open diensten die een hulpvrager tegelijk mag hebben"), null=True, blank=True
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("dagen waarbinnen terugkoppeling volgt"), null=True, blank=True
    )
    klus_needs_network_check = models.BooleanField(
        _("een klus vraagt bevestiging dat familie, vrienden en buren niet kunnen helpen"),
        default=False,
    )
    recipient_approves_quality = models.BooleanField(
        _("de ontvanger keurt de kwaliteit goed voordat punten worden geboekt"), default=False
    )
    starter_points = models.PositiveSmallIntegerField(_("startpunten"), null=True, blank=True)
    min_balance = models.IntegerField(_("laagste puntensaldo"), null=True, blank=True)
    max_balance = models.IntegerField(_("hoogste puntensaldo"), null=True, blank=True)
    no_competition_with_social_enterprises = models.BooleanField(default=False)
    liability_disclaimer = models.TextField(_("uitsluiting van aansprakelijkheid"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("spelregels")
        verbose_name_plural = _("versies van de spelregels")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Spelregels v{self.version}"
