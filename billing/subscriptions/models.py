"""Billing records in the public schema: plans, one Stripe subscription per cooperative, and
every Stripe webhook event received (its id unique, so a repeated delivery has one effect)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    """A subscription plan, mirrored to a Stripe price."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=80)
    max_members = models.PositiveIntegerField(_("maximaal aantal leden"), null=True, blank=True)
    monthly_price_cents = models.PositiveIntegerField(_("prijs per maand (centen)"), default=0)
    currency = models.CharField(_("valuta"), max_length=3, default="eur")
    trial_days = models.PositiveIntegerField(_("proefperiode (dagen)"), default=0)
    stripe_product_id = models.CharField(_("Stripe-product"), max_length=255, blank=True)
    stripe_price_id = models.CharField(_("Stripe-prijs"), max_length=255, blank=True)
    active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("abonnementsvorm")
        verbose_name_plural = _("abonnementsvormen")
        ordering = ["monthly_price_cents", "code"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A cooperative's Stripe customer and its current subscription, as Stripe last said."""

    class Status(models.TextChoices):
        """Stripe's states, each with the one Dutch word that names it on every page, in the
        PDF and CSV statements, in mail and in the audit log (``Status.word``)."""

        # Blank: no subscription (yet): the cooperative uses Noaber free, as a pilot.
        NONE = "", _("gratis")
        TRIALING = "trialing", _("proefperiode")
        ACTIVE = "active", _("actief")
        PAST_DUE = "past_due", _("achterstallig")
        UNPAID = "unpaid", _("onbetaald")
        CANCELED = "canceled", _("opgezegd")
        # The first payment is not through yet.
        INCOMPLETE = "incomplete", _("onafgerond")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("verlopen")
        PAUSED = "paused", _("gepauzeerd")

        @classmethod
        def word(cls, status: str | None) -> str:
            """The word for a state (one Stripe adds later: as Stripe names it)."""
            try:
                return str(cls(status or "").label)
            except ValueError:
                return str(status)

    cooperative = models.OneToOneField(
        "tenants.Cooperative",
        on_delete=models.PROTECT,
        related_name="subscription",
        verbose_name=_("wijkcoöperatie"),
    )
    stripe_customer_id = models.CharField(_("Stripe-klant"), max_length=255, unique=True)
    stripe_subscription_id = models.CharField(
        _("Stripe-abonnement"), max_length=255, unique=True, null=True, blank=True
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("abonnementsvorm")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NONE, blank=True
    )
    current_period_start = models.DateTimeField(_("periode begint"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("periode eindigt"), null=True, blank=True)
    grace_until = models.DateTimeField(_("respijt tot"), null=True, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt op"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementen")

    def __str__(self) -> str:
        return f"{self.cooperative_id}: {self.status or '-'}"
