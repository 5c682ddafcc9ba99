"""Billing records in the public schema: plans, one Stripe subscription per cooperative, and
every Stripe webhook event received (its id unique, so a repeated delivery has one effect)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from billing.subscriptions.models import Plan, Subscription


class NetworkSubscription(models.Model):
    """A network's own Stripe customer and its one subscription, whose quantity is the number
    of cooperatives it sponsors. Networks are organisations that pay by invoice, so the
    subscription is sent as an invoice (collection_method send_invoice), not charged to a card."""

    network = models.OneToOneField(
        "tenants.Network",
        on_delete=models.PROTECT,
        related_name="subscription",
        verbose_name=_("netwerk"),
    )
    # The plan every sponsored cooperative gets: one price, so one subscription item whose
    # quantity counts the cooperatives.
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, verbose_name=_("abonnementsvorm"))
    stripe_customer_id = models.CharField(_("Stripe-klant"), max_length=255, unique=True)
    stripe_subscription_id = models.CharField(
        _("Stripe-abonnement"), max_length=255, unique=True, null=True, blank=True
    )
    stripe_item_id = models.CharField(_("Stripe-abonnementsregel"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Subscription.Status,
        default=Subscription.Status.NONE,
        blank=True,
    )
    # The quantity as Stripe last said; the wanted quantity is the count of sponsorships.
    quantity = models.PositiveIntegerField(_("aantal"), default=0)
    # Counts the quantity changes asked of Stripe: each gets its own idempotency key.
    quantity_version = models.PositiveIntegerField(default=0)
    current_period_end = models.DateTimeField(_("periode eindigt"), null=True, blank=True)
    grace_until = models.DateTimeField(_("respijt tot"), null=True, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement van een netwerk")
        verbose_name_plural = _("abonnementen van netwerken")

    def __str__(self) -> str:
        return f"{self.network_id}: {self.status or '-'} x{self.quantity}"


class Sponsorship(models.Model):
    """A network pays a cooperative's subscription from `started_at` until `ended_at`. While
    it runs, the cooperative's access follows the network's subscription."""

    network = models.ForeignKey(
        "tenants.Network",
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("netwerk"),
    )
    cooperative = models.ForeignKey(
        "tenants.Cooperative",
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("wijkcoöperatie"),
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, verbose_name=_("abonnementsvorm"))
    started_at = models.DateTimeField(_("begonnen op"))
    ended_at = models.DateTimeField(_("geëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("sponsoring")
        verbose_name_plural = _("sponsoringen")
        ordering = ["-started_at"]
        constraints = [
            # One network at a time pays for a cooperative.
            models.UniqueConstraint(
                fields=["cooperative"],
                condition=models.Q(ended_at__isnull=True),
                name="billing_one_running_sponsorship",
            )
        ]

    def __str__(self) -> str:
        return f"{self.network_id} → {self.cooperative_id}"
