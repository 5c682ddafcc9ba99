"""Billing records in the public schema: plans, one Stripe subscription per cooperative, and
every Stripe webhook event received (its id unique, so a repeated delivery has one effect)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectAccount(models.Model):
    """A cooperative's own Stripe account (Stripe Connect), on which members pay klussen
    online. The treasurer onboards through a Stripe link; Stripe says when it can take
    payments (account.updated)."""

    cooperative = models.OneToOneField(
        "tenants.Cooperative",
        on_delete=models.PROTECT,
        related_name="connect_account",
        verbose_name=_("wijkcoöperatie"),
    )
    stripe_account_id = models.CharField(_("Stripe-account"), max_length=255, unique=True)
    charges_enabled = models.BooleanField(_("kan betalingen ontvangen"), default=False)
    details_submitted = models.BooleanField(_("gegevens ingevuld"), default=False)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("verbonden Stripe-account")
        verbose_name_plural = _("verbonden Stripe-accounts")

    def __str__(self) -> str:
        return f"{self.cooperative_id}: {self.stripe_account_id}"
