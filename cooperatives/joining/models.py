"""The ways into a cooperative: applications and invitations, in the cooperative's own schema.

Nothing here refers to another cooperative: every row lives in this cooperative's schema.
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member


class Application(models.Model):
    """Someone asked to join through the subdomain; a coordinator or board member decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op besluit")
        APPROVED = "approved", _("goedgekeurd")
        DECLINED = "declined", _("afgewezen")

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    kind = models.CharField(
        _("soort lid"), max_length=12, choices=Member.Kind, default=Member.Kind.RESIDENT
    )
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    message = models.TextField(_("toelichting"), blank=True)
    # The language the applicant used the site in: the answer to the application is written
    # in it, and it becomes the member's language on approval.
    language = models.CharField(_("taal"), max_length=2, default="nl", blank=True)
    # The password the applicant chose, already hashed; it becomes the login on approval.
    password_hash = models.CharField(max_length=200, blank=True)
    privacy_version = models.CharField(max_length=20, blank=True)
    disclaimer_version = models.PositiveIntegerField(null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reden"), blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Aanmelding #{self.pk}"


class Invitation(models.Model):
    """An invitation by email with a one-time link that expires. Only a hash of the token is
    kept, so a database copy cannot be used to accept invitations."""

    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Uitnodiging #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


def token_hash(token: str) -> str:
    """What is kept of an invitation's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()
