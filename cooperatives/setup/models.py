"""A cooperative's set-up: its buurten, clusters and partners, in its own schema.

Nothing here refers to another cooperative: every row lives in this cooperative's schema.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Neighbourhood(models.Model):
    """A buurt: members are matched as close to home as possible, and a neighbourhood
    assistant sees and acts only in the buurten they are assigned to."""

    name = models.CharField(_("naam"), max_length=100)
    network_name = models.CharField(_("naam buurtnetwerk"), max_length=120, blank=True)
    contact = models.CharField(_("contactgegevens"), max_length=200, blank=True)
    # Postcodes as 4 digits (a whole area) or 4 digits + 2 letters; streets in lower case.
    postcodes = ArrayField(
        models.CharField(max_length=6), verbose_name=_("postcodes"), default=list, blank=True
    )
    streets = ArrayField(
        models.CharField(max_length=120), verbose_name=_("straten"), default=list, blank=True
    )
    assistants = models.ManyToManyField(
        "cooperatives.Member",
        related_name="assisted_neighbourhoods",
        blank=True,
        verbose_name=_("buurtassistenten"),
    )
    # Buurten that border this one: matching looks there after the requester's own buurt.
    adjacent = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("grenst aan")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="neighbourhood_name_ci_unique")]

    def __str__(self) -> str:
        return self.name

    def permission_scope(self) -> tuple[None, Neighbourhood]:
        """An action on a buurt is about that buurt (an assistant may act only in theirs)."""
        return None, self


class Cluster(models.Model):
    """A group of services (e.g. "(Auto)vervoer"). How it is compensated is a house rule and
    lives in the rulebook; a cluster that was ever used is retired, never deleted."""

    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("beschrijving"), blank=True)
    # A care cluster: what a member writes about their request here is a care need, shown only
    # to who needs it, and every look at it by someone else is logged (cooperatives.carelog).
    holds_care = models.BooleanField(_("zorgcluster"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("buiten gebruik sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="cluster_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A neighbourhood partner or social enterprise that takes large jobs at a social rate
    (the rate itself is a house rule and lives in the rulebook)."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD_PARTNER = "partner", _("wijkpartner")
        SOCIAL_ENTERPRISE = "social_enterprise", _("sociale onderneming")

    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.SOCIAL_ENTERPRISE)
    services = models.TextField(_("diensten"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="partner_name_ci_unique")]

    def __str__(self) -> str:
        return self.name
