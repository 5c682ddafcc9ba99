"""The audit log of one cooperative: who did what, when, on which record.

It lives in the cooperative's own schema. PostgreSQL refuses UPDATE and DELETE on it (see the
migration), so nobody, not even code with a bug, can rewrite it. It stores no personal data:
the actor is an id (shown through its member record, which erasure pseudonymises), and changed
personal fields are logged by name only.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("door (lid)"), null=True, blank=True)
    action = models.CharField(_("handeling"), max_length=60)
    target_type = models.CharField(_("soort gegeven"), max_length=60)
    target_id = models.CharField(_("gegeven"), max_length=40, blank=True)
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
