"""Euros for klussen, per cooperative (tenant schema). Never mixed with points: a confirmed paid
service's euro CompensationDue becomes one KlusPayment, settled in cash (the volunteer confirms
receipt) or online (iDEAL through Stripe Checkout on the cooperative's connected account)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.settlement import CompensationDue, Member, Service


class KlusPayment(models.Model):
    """What the requester of one paid service pays: hours x the rulebook's euro rate. The
    cooperative keeps its share; the rest is the volunteer's allowance."""

    class Method(models.TextChoices):
        NONE = "", _("nog niet gekozen")
        CASH = "cash", _("contant")
        ONLINE = "online", _("online (iDEAL)")

    class Status(models.TextChoices):
        OPEN = "open", _("te betalen")
        PENDING_ONLINE = "pending_online", _("online betaling loopt")
        PAID = "paid", _("betaald")
        CANCELLED = "cancelled", _("vervallen")

    service = models.OneToOneField(
        Service, on_delete=models.PROTECT, related_name="klus_payment", verbose_name=_("dienst")
    )
    due = models.OneToOneField(
        CompensationDue, on_delete=models.PROTECT, related_name="klus_payment"
    )
    requester = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("hulpvrager")
    )
    volunteer = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("vrijwilliger")
    )
    # When the work was done: the allowance year and the monthly statement count by this.
    performed_on = models.DateField(_("uitgevoerd op"))
    hours = models.DecimalField(_("uren"), max_digits=5, decimal_places=2)
    rate_per_hour = models.DecimalField(_("tarief per uur"), max_digits=7, decimal_places=2)
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2)
    cooperative_share = models.DecimalField(
        _("deel coöperatie"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    volunteer_amount = models.DecimalField(
        _("voor de vrijwilliger"), max_digits=9, decimal_places=2
    )
    # The platform's application fee on an online payment (zero in cash).
    platform_fee = models.DecimalField(
        _("platformkosten"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    method = models.CharField(_("betaalwijze"), max_length=6, choices=Method, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    checkout_session_id = models.CharField(max_length=255, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    # In cash: the volunteer who confirmed receiving the money (or a coordinator for them).
    confirmed_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)
    # Waived (laten vervallen) by a coordinator or board member: why, by whom and when. The
    # reason may be about someone's money or a mistake, so it stays out of the audit log.
    cancel_reason = models.TextField(_("reden van vervallen"), blank=True)
    cancelled_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("vervallen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("klusbetaling")
        verbose_name_plural = _("klusbetalingen")
        ordering = ["-performed_on", "-id"]
        indexes = [models.Index(fields=["volunteer", "performed_on"], name="klus_volunteer_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="klus_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(cooperative_share__gte=0, cooperative_share__lte=F("amount")),
                name="klus_share_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(volunteer_amount=F("amount") - F("cooperative_share")),
                name="klus_volunteer_amount_is_rest",
            ),
            models.CheckConstraint(
                # Not `method IN (...)`: PostgreSQL prints that back in a form that differs
                # from how it parses it, and the schema cloner copies definitions as text.
                condition=~Q(status="paid") | (Q(paid_at__isnull=False) & ~Q(method="")),
                name="klus_paid_has_method_and_date",
            ),
        ]

    def __str__(self) -> str:
        return f"€ {self.amount} voor dienst #{self.service_id}"


class KlusDoublePayment(models.Model):
    """An online payment for a klus that was already settled (paid in cash, paid in another
    online session, or waived): the requester paid twice. Recorded once per Checkout Session
    (unique), shown to the treasurer and the board, and mailed to the treasurer once.

    Nothing is refunded automatically: the volunteer may have had the cash handed back
    already, or the requester may want the online payment to stand and the cash returned; a
    person checks with the volunteer and the requester first, then refunds in Stripe."""

    class Earlier(models.TextChoices):
        CASH = "cash", _("contant betaald")
        ONLINE = "online", _("online betaald")
        CANCELLED = "cancelled", _("vervallen")

    payment = models.ForeignKey(
        KlusPayment, on_delete=models.PROTECT, related_name="double_payments"
    )
    checkout_session_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(_("bedrag"), max_digits=9, decimal_places=2)
    # How the klus stood when the second payment came in.
    earlier = models.CharField(max_length=9, choices=Earlier)
    received_at = models.DateTimeField(_("online ontvangen op"), default=timezone.now)
    treasurers_mailed_at = models.DateTimeField(null=True, blank=True)
    # Marked by the treasurer (or chair, or an administrator) once the money went back, in
    # Stripe's dashboard or in cash: a person did it, so a person says so. The note may be
    # about someone's money, so it stays out of the audit log.
    refunded_at = models.DateTimeField(_("terugbetaald op"), null=True, blank=True)
    refunded_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    refund_note = models.TextField(_("notitie bij terugbetalen"), blank=True)

    class Meta:
        verbose_name = _("dubbele klusbetaling")
        verbose_name_plural = _("dubbele klusbetalingen")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="klus_double_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(refunded_at__isnull=True) | Q(refunded_by__isnull=False),
                name="klus_double_refund_has_person",
            ),
        ]

    def __str__(self) -> str:
        return f"€ {self.amount} dubbel betaald voor klus #{self.payment_id}"


class AllowanceYear(models.Model):
    """The tax-free volunteer allowance limits for one year (vrijwilligersvergoeding): at most
    so much per hour and so much per year. Set by the board, as the Belastingdienst publishes
    them each year."""

    year = models.PositiveSmallIntegerField(_("jaar"), unique=True)
    per_hour = models.DecimalField(_("maximaal per uur"), max_digits=6, decimal_places=2)
    per_year = models.DecimalField(_("maximaal per jaar"), max_digits=8, decimal_places=2)
    # The decision (cooperatives' register, governance.Decision id) that set these amounts;
    # empty for the years seeded at start-up.
    decision_id = models.BigIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vrijwilligersvergoeding")
        verbose_name_plural = _("vrijwilligersvergoedingen")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(per_hour__gt=0, per_year__gt=0), name="allowance_limits_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: € {self.per_hour}/uur, € {self.per_year}/jaar"


class AllowanceOverride(models.Model):
    """The board lets a volunteer do more paid klussen in a year after reaching the limit,
    with a reason (audited)."""

    volunteer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    reason = models.TextField(_("reden"))
    decided_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("uitzondering vrijwilligersvergoeding")
        verbose_name_plural = _("uitzonderingen vrijwilligersvergoeding")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="one_override_per_year")
        ]

    def __str__(self) -> str:
        return f"Uitzondering {self.year} voor lid #{self.volunteer_id}"


class AllowanceWarning(models.Model):
    """A warning sent to the coordinators (at 80% or 100% of the yearly limit), stored so it
    goes out once per volunteer, year and level."""

    volunteer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField()  # percent of the yearly limit: 80 or 100
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "year", "level"], name="one_allowance_warning_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level}% {self.year} lid #{self.volunteer_id}"
