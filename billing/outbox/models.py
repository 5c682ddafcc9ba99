"""The outbox's table (public schema): every call to Stripe that writes, stored first."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxCall(models.Model):
    """One call to Stripe that must happen exactly once. It is stored (with its idempotency
    key) before it is made, so a crash or a failed call is retried from here with the same key:
    Stripe then answers with the first result instead of charging or creating twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht")
        DONE = "done", _("gedaan")
        FAILED = "failed", _("mislukt")

    operation = models.CharField(_("handeling"), max_length=60)
    params = models.JSONField(_("gegevens"), default=dict)
    idempotency_key = models.CharField(_("idempotentiesleutel"), max_length=255, unique=True)
    # A connected account the call is made on (Stripe-Account header), for klussen online.
    stripe_account = models.CharField(_("verbonden account"), max_length=255, blank=True)
    cooperative = models.ForeignKey(
        "tenants.Cooperative", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The name of a function(call) registered in billing.outbox.registry, run once the result
    # is in, in the cooperative's schema when there is one: it stores what the caller needs (a
    # session id, a price id).
    on_result = models.CharField(_("daarna"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    result = models.JSONField(_("antwoord"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe-opdracht")
        verbose_name_plural = _("Stripe-opdrachten")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]

    def __str__(self) -> str:
        return f"{self.operation} ({self.status})"
