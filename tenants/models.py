"""The tenant registry, in the public schema: each cooperative and the hosts it answers on."""

from __future__ import annotations

import calendar
from datetime import datetime
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants import host_cache

# How long an archived cooperative's data is kept before it is deleted (tenants.archive): the
# board chooses within these bounds. At least a quarter, so a board that changes its mind, or
# forgot to take its data along, has time to ask; at most seven years, the Dutch fiscal
# retention period (bewaarplicht), beyond which no reason to keep it remains.
RETENTION_MONTHS_DEFAULT = 12
RETENTION_MONTHS_MIN = 3
RETENTION_MONTHS_MAX = 84


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, on the same day where the month has it (31 March
    plus one month is 30 April)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


class Cooperative(TenantMixin):
    """A wijkcoöperatie: one PostgreSQL schema, one subdomain."""

    class Status(models.TextChoices):
        TRIAL = "trial", _("proefperiode")
        ACTIVE = "active", _("actief")
        SUSPENDED = "suspended", _("geschorst")
        ARCHIVED = "archived", _("opgeheven")

    name: models.CharField[str, str] = models.CharField(_("naam"), max_length=120)
    slug: models.SlugField[str, str] = models.SlugField(_("subdomein"), max_length=40, unique=True)
    status: models.CharField[str, str] = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.TRIAL
    )
    rules_template: models.CharField[str, str] = models.CharField(
        _("sjabloon voor de spelregels"), max_length=40, blank=True
    )
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        _("aangemaakt op"), default=timezone.now
    )
    # When the first board member confirmed their email address (the link in the welcome
    # mail). A cooperative whose founder never does is archived after a week (a mail warns on
    # day five): nobody reachable stands behind it (tenants.services.unconfirmed_sweep).
    founder_confirmed_at: models.DateTimeField[datetime | None, datetime | None] = (
        models.DateTimeField(_("e-mailadres bevestigd op"), null=True, blank=True)
    )
    unconfirmed_warned_at: models.DateTimeField[datetime | None, datetime | None] = (
        models.DateTimeField(_("herinnerd aan bevestigen op"), null=True, blank=True)
    )
    # Where people find the cooperative from the apex ("Bij welke coöperatie bent u lid?"):
    # its place, asked at sign-up, and the postcode areas it serves (4 digits, set by the board).
    place: models.CharField[str, str] = models.CharField(_("plaats"), max_length=80, blank=True)
    postcode_areas: ArrayField[list[str], list[str]] = ArrayField(
        models.CharField(max_length=4),
        verbose_name=_("postcodegebieden"),
        default=list,
        blank=True,
    )
    # Where members' answers to the platform's emails go (Reply-To), set by the board; empty
    # until then, and the emails say to contact the coordinator instead.
    contact_email: models.EmailField[str, str] = models.EmailField(_("contactadres"), blank=True)
    # Where the cooperative is drawn on the networks' maps (its neighbourhood, never a member's
    # address), set by the board; empty until then, and then it is on no map.
    latitude: models.DecimalField[Decimal | None, Decimal | None] = models.DecimalField(
        _("breedtegraad"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude: models.DecimalField[Decimal | None, Decimal | None] = models.DecimalField(
        _("lengtegraad"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    # When the cooperative was archived (left the platform or was closed): its data is deleted
    # ``retention_months`` later (tenants.archive), never before. Empty while it is open.
    archived_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        _("opgeheven op"), null=True, blank=True
    )
    retention_months: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        _("bewaartermijn na opheffen (maanden)"),
        default=RETENTION_MONTHS_DEFAULT,
        validators=[
            MinValueValidator(RETENTION_MONTHS_MIN),
            MaxValueValidator(RETENTION_MONTHS_MAX),
        ],
    )

    # Provisioning clones the template schema itself, inside the sign-up transaction
    # (tenants.provisioning); django-tenants' own create-on-save would commit halfway.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("wijkcoöperatie")
        verbose_name_plural = _("wijkcoöperaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("slug"), name="tenants_cooperative_slug_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:
            # Status or name may have changed: no host may keep serving the old copy.
            host_cache.forget_hosts(list(self.domains.values_list("domain", flat=True)))

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.TRIAL, self.Status.ACTIVE)

    @property
    def deletion_due(self) -> datetime | None:
        """When an archived cooperative's data is deleted; None while it is not archived."""
        if self.status != self.Status.ARCHIVED or self.archived_at is None:
            return None
        return add_months(self.archived_at, self.retention_months)


class Domain(DomainMixin):
    """A host name that routes to a cooperative (``<slug>.<PLATFORM_DOMAIN>``)."""

    class Meta:
        verbose_name = _("domein")
        verbose_name_plural = _("domeinen")

    def save(self, *args: object, **kwargs: object) -> None:
        old = None
        if self.pk:
            old = Domain.objects.filter(pk=self.pk).values_list("domain", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
        host_cache.forget_hosts([h for h in (old, self.domain) if h])

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        host = self.domain
        result = super().delete(*args, **kwargs)
        host_cache.forget_hosts([host])
        return result


class CooperativeDeletion(models.Model):
    """The line the platform keeps after deleting an archived cooperative at the end of its
    retention period: which cooperative, when it was archived, the term its board agreed and
    when its schema was dropped. No member data: that went with the schema."""

    slug = models.CharField(_("subdomein"), max_length=40)
    name = models.CharField(_("naam"), max_length=120)
    schema_name = models.CharField(max_length=63)
    archived_at = models.DateTimeField(_("opgeheven op"))
    retention_months = models.PositiveSmallIntegerField(_("bewaartermijn (maanden)"))
    deleted_at = models.DateTimeField(_("gewist op"), default=timezone.now)

    class Meta:
        verbose_name = _("gewiste coöperatie")
        verbose_name_plural = _("gewiste coöperaties")
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.slug} ({self.deleted_at:%Y-%m-%d})"


class SpareSchema(models.Model):
    """A schema cloned from the template ahead of time, waiting for the next sign-up, which
    takes it with one ``ALTER SCHEMA … RENAME`` instead of building tables. Spares of an older
    template (another set of migrations) are never taken, and `migrate` replaces them."""

    schema_name = models.CharField(max_length=63, unique=True)
    template_version = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reserveschema")
        verbose_name_plural = _("reserveschema's")

    def __str__(self) -> str:
        return self.schema_name


class Network(models.Model):
    """A network of cooperatives (the city cooperative SAMEN030, 500WIJKCOÖPERATIES), kept in
    the public schema. Networks have tiers: a national network holds city or regional ones
    (``parent``) and sees the cooperatives below them that agreed to share with it. Which
    cooperatives belong to a network, and what they share, is ``networks.Membership``. A
    network may pay the subscription of its member cooperatives (billing.Sponsorship)."""

    class Tier(models.TextChoices):
        NATIONAL = "national", _("landelijk")
        REGIONAL = "regional", _("regionaal")
        CITY = "city", _("stad")

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("code"), max_length=40, unique=True)
    tier = models.CharField(_("niveau"), max_length=10, choices=Tier, default=Tier.CITY)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("valt onder"),
    )
    description = models.TextField(_("omschrijving"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("netwerk")
        verbose_name_plural = _("netwerken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
