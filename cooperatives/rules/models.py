"""A cooperative's house rules and rates (spelregels en tarieven), one version per change, in
its own schema.

Nothing here refers to another cooperative: every row lives in this cooperative's schema.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.setup.models import Cluster


class Compensation(models.TextChoices):
    FREE = "free", _("gratis")
    EUROS = "euros", _("klus: betaald per uur in euro's")
    POINTS = "points", _("betaald in tijdpunten")
    BOTH = "both", _("euro's en tijdpunten")


class Rulebook(models.Model):
    """One version of the house rules (spelregels) and rates (tarieven).

    A version is never changed once made: a rule change is a new version with its own
    effective date, and records keep the version they were made under. Per-cluster
    compensation and partners' social rates are kept as snapshots in the version itself, so
    reading an old version needs nothing that may have changed since.
    Empty values mean "no rule".
    """

    version = models.PositiveIntegerField(_("versie"), unique=True)
    effective_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    # The founding version (made at sign-up from a template) names its origin here; every later
    # version is adopted by a decision in the register, and this then repeats its number.
    adopted_by = models.CharField(_("vastgesteld bij (besluit)"), max_length=200, blank=True)
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rulebooks",
        verbose_name=_("vastgesteld bij besluit"),
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    created_at = models.DateTimeField(default=timezone.now)

    # {cluster id (str): Compensation value}
    cluster_compensation = models.JSONField(_("vergoeding per cluster"), default=dict, blank=True)
    euro_rate_per_hour = models.DecimalField(
        _("euro per uur voor een klus"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("4.50"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # {partner id (str): "12.50"}
    partner_rates = models.JSONField(_("sociale tarieven van partners"), default=dict, blank=True)
    points_per_hour = models.DecimalField(
        _("punten per uur"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_service_hours = models.DecimalField(
        _("langste duur van een dienst (uren)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    max_open_services = models.PositiveSmallIntegerField(
        _("open diensten die een hulpvrager tegelijk mag hebben"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("dagen waarbinnen terugkoppeling volgt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    request_reminder_days = models.PositiveSmallIntegerField(
        _("dagen tot een herinnering bij een hulpvraag zonder koppeling"),
        null=True,
        blank=True,
        default=7,
        validators=[MinValueValidator(1)],
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("dagen waarna een hulpvraag zonder koppeling sluit"),
        null=True,
        blank=True,
        default=30,
        validators=[MinValueValidator(1)],
    )
    offer_renewal_days = models.PositiveSmallIntegerField(
        _("dagen waarna aanbod verlengd moet worden"),
        null=True,
        blank=True,
        default=90,
        validators=[MinValueValidator(1)],
    )
    klus_needs_network_check = models.BooleanField(
        _("een klus vraagt bevestiging dat familie, vrienden en buren niet kunnen helpen"),
        default=False,
    )
    partner_referral_hours = models.DecimalField(
        _("klussen groter dan dit aantal uren gaan naar een partner"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    recipient_approves_quality = models.BooleanField(
        _("de ontvanger keurt de kwaliteit goed voordat punten worden geboekt"), default=False
    )
    starter_points = models.PositiveSmallIntegerField(_("startpunten"), null=True, blank=True)
    min_balance = models.IntegerField(_("laagste puntensaldo"), null=True, blank=True)
    max_balance = models.IntegerField(_("hoogste puntensaldo"), null=True, blank=True)
    share_points_percent = models.DecimalField(
        _("aandeel van de coöperatie in punten (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    share_euro_percent = models.DecimalField(
        _("aandeel van de coöperatie in euro's (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    no_competition_with_social_enterprises = models.BooleanField(
        _("geen concurrentie met sociale ondernemers"), default=False
    )
    liability_disclaimer = models.TextField(_("uitsluiting van aansprakelijkheid"), blank=True)

    class Meta:
        verbose_name = _("spelregels")
        verbose_name_plural = _("versies van de spelregels")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Spelregels v{self.version}"

    def compensation_for(self, cluster: Cluster) -> str | None:
        return self.cluster_compensation.get(str(cluster.pk))


# The fields of a version that a revision may change (the rest is bookkeeping).
RULE_FIELDS = (
    "euro_rate_per_hour",
    "points_per_hour",
    "max_service_hours",
    "max_open_services",
    "feedback_days",
    "request_reminder_days",
    "request_expiry_days",
    "offer_renewal_days",
    "klus_needs_network_check",
    "partner_referral_hours",
    "recipient_approves_quality",
    "starter_points",
    "min_balance",
    "max_balance",
    "share_points_percent",
    "share_euro_percent",
    "no_competition_with_social_enterprises",
    "liability_disclaimer",
    "cluster_compensation",
    "partner_rates",
)
# What a rule's value is counted in, for checking it and for writing it out.
EURO_FIELDS = frozenset({"euro_rate_per_hour"})
PERCENT_FIELDS = frozenset({"share_points_percent", "share_euro_percent"})
HOUR_FIELDS = frozenset({"max_service_hours", "partner_referral_hours"})
DAY_FIELDS = ("feedback_days", "request_reminder_days", "request_expiry_days", "offer_renewal_days")
