"""An export of the whole cooperative that the board asked for, in the cooperative's own schema
(it names the member who asked). The zip itself is kept through Django's storage API under
``cooperative-exports/<schema>/`` and downloaded only through a view that checks who asks."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CooperativeExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        "cooperatives.Member",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    file = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    tables = models.PositiveIntegerField(default=0)
    rows = models.BigIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("export van de coöperatie")
        verbose_name_plural = _("exports van de coöperatie")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.token} ({self.status})"
