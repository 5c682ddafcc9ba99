"""Billing records in the public schema: plans, one Stripe subscription per cooperative, and
every Stripe webhook event received (its id unique, so a repeated delivery has one effect)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEvent(models.Model):
    """One Stripe webhook event. The unique event id is what makes a duplicate a no-op."""

    event_id = models.CharField(_("event"), max_length=255, unique=True)
    type = models.CharField(_("soort"), max_length=100)
    # The id of the event's object (subscription, invoice): processing fetches it anew.
    object_id = models.CharField(_("object"), max_length=255, blank=True)
    # Set for events of a cooperative's connected account (Stripe Connect): its objects are
    # read back from that account.
    account = models.CharField(_("verbonden account"), max_length=255, blank=True)
    created = models.DateTimeField(_("aangemaakt bij Stripe"))
    received_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    processed_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("Stripe-event")
        verbose_name_plural = _("Stripe-events")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"
