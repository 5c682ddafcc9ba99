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
        # Blank: a Stripe customer exists but no subscription yet (the cooperative's own trial).
        NONE = "", _("nog geen abonnement")
        TRIALING = "trialing", _("proefperiode")
        ACTIVE = "active", _("actief")
        PAST_DUE = "past_due", _("betaling achterstallig")
        UNPAID = "unpaid", _("onbetaald")
        CANCELED = "canceled", _("opgezegd")
        INCOMPLETE = "incomplete", _("onvolledig")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("verlopen")
        PAUSED = "paused", _("gepauzeerd")

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
    # Dotted path of a function(call) run once the result is in, in the cooperative's schema
    # when there is one: it stores what the caller needs (a session id, a price id).
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
