"""The knowledge network: documents a network shares with its member cooperatives (ideas for
pilots, project plans, model statutes, subsidy and investment options, images), in the public
schema. A network's manager publishes them; a member cooperative's board may suggest one,
which waits as "voorgesteld" until the manager publishes or declines it. A document is a file
(kept through Django's storage API, downloaded only through a view that checks who asks) or a
link."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Cooperative, Network


class Document(models.Model):
    class Kind(models.TextChoices):
        PILOT_IDEA = "pilot_idea", _("idee voor een pilot")
        PROJECT_PLAN = "project_plan", _("projectplan")
        STATUTES = "statutes", _("statuten")
        SUBSIDY = "subsidy", _("subsidiemogelijkheid")
        INVESTMENT = "investment", _("investeringsmogelijkheid")
        IMAGE = "image", _("afbeelding")
        OTHER = "other", _("overig")

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("voorgesteld")
        PUBLISHED = "published", _("gepubliceerd")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="documents", verbose_name=_("netwerk")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), blank=True, max_length=2000)
    tags = ArrayField(
        models.CharField(max_length=60), verbose_name=_("trefwoorden"), default=list, blank=True
    )
    # Stored under a name of our own (never the uploaded one); the uploaded name is kept only
    # to offer the download under it.
    file = models.FileField(_("bestand"), upload_to="knowledge/", blank=True, max_length=200)
    file_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    file_type = models.CharField(_("bestandstype"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("grootte in bytes"), null=True, blank=True)
    link = models.URLField(_("link"), blank=True, max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    # The network user who published it (public schema); empty for a suggestion until then.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    # The member cooperative that contributed it (a board's suggestion, or named by the manager).
    cooperative = models.ForeignKey(
        Cooperative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijdrage van"),
    )
    # Set when a member cooperative's board suggested it (it then waits for the manager).
    suggested_at = models.DateTimeField(_("voorgesteld op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["network", "status"])]
        constraints = [
            # An open document is a file or a link; a withdrawn one has lost its file.
            models.CheckConstraint(
                condition=models.Q(status__in=["declined", "withdrawn"])
                | ~models.Q(file="")
                | ~models.Q(link=""),
                name="knowledge_document_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
