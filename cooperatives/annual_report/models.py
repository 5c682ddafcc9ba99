"""The annual report of one year: draft, reviewed by the kascommissie, approved by the ALV.

While it is a draft its figures are computed from the platform's data each time it is read;
approving it stores them (``figures``) and from then on the report never changes: the service
refuses, and PostgreSQL refuses too (trigger in migration 0002), like the audit log."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.models import Decision


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        REVIEWED = "reviewed", _("nagekeken door de kascommissie")
        APPROVED = "approved", _("vastgesteld door de ALV")

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    # What the board writes.
    foreword = models.TextField(_("voorwoord"), blank=True)
    activities = models.TextField(_("activiteiten"), blank=True)
    outlook = models.TextField(_("vooruitblik"), blank=True)
    # What the kascommissie found.
    audit_findings = models.TextField(_("bevindingen van de kascommissie"), blank=True)
    audit_recommends_discharge = models.BooleanField(
        _("de kascommissie adviseert decharge"), null=True, blank=True
    )
    audit_reviewed_on = models.DateField(_("nagekeken op"), null=True, blank=True)
    audit_reviewed_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    # Stored when approved: every section's figures as they were then.
    figures = models.JSONField(default=dict, blank=True)
    approved_by = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approves_annual_report",
        verbose_name=_("vastgesteld bij besluit"),
    )
    discharge = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discharges_annual_report",
        verbose_name=_("decharge bij besluit"),
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("jaarverslag")
        verbose_name_plural = _("jaarverslagen")
        ordering = ["-year"]
        constraints = [
            # An approved report names the ALV's decision and holds its figures.
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="annual_report_approved_by_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Jaarverslag')} {self.year}"

    @property
    def frozen(self) -> bool:
        return self.status == self.Status.APPROVED
