"""Every Stripe webhook event received, in the public schema: its id unique, so a repeated
delivery has one effect; kept until processed, so none is lost when processing fails."""

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
    # Tries so far and the last one's time: the sweep leaves an event alone while its own
    # retries are still under way (the longest wait between two is ten minutes).
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    attempted_at = models.DateTimeField(_("laatste poging"), null=True, blank=True)
    # Set when processing failed in a way retrying will not fix (an object or customer nobody
    # knows): the sweep skips it, a person looks at `error`; Stripe's own redelivery still
    # tries it again.
    failed_at = models.DateTimeField(_("mislukt op"), null=True, blank=True)
    error = models.TextField(_("fout"), blank=True)

    class Meta:
        verbose_name = _("Stripe-event")
        verbose_name_plural = _("Stripe-events")
        ordering = ["created", "id"]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="stripeevent_unprocessed",
                condition=models.Q(processed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"
