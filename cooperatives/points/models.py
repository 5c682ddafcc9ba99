"""Time points as a double-entry ledger, inside one cooperative's schema.

Every transfer has two or more postings that sum to zero; PostgreSQL itself refuses an
unbalanced transfer (a deferred constraint trigger checks each transfer at commit) and refuses
to change or remove a posting (see the migration). A mistake is corrected by a reversing
transfer. Each account keeps a stored balance, updated in the same transaction as its postings.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member


class Account(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("lid")
        ISSUANCE = "issuance", _("uitgifte")
        SHARE = "share", _("aandeel coöperatie")
        SOLIDARITY = "solidarity", _("solidariteitspot")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="points_account"
    )
    balance = models.DecimalField(_("saldo"), max_digits=12, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("puntenrekening")
        verbose_name_plural = _("puntenrekeningen")
        constraints = [
            # A member account belongs to a member; the cooperative's own accounts exist once.
            models.CheckConstraint(
                condition=Q(kind="member", member__isnull=False)
                | (~Q(kind="member") & Q(member__isnull=True)),
                name="account_member_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="member"), name="one_system_account_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Transfer(models.Model):
    class Kind(models.TextChoices):
        STARTER = "starter", _("startpunten")
        SERVICE = "service", _("betaling voor een dienst")
        GIFT = "gift", _("gift")
        DONATION = "donation", _("gift aan de solidariteitspot")
        GRANT = "grant", _("bijdrage uit de solidariteitspot")
        ORGANISATION = "organisation", _("punten van een organisatie")
        CORRECTION = "correction", _("correctie door het bestuur")
        REVERSAL = "reversal", _("terugboeking")

    class Status(models.TextChoices):
        BOOKED = "booked", _("geboekt")
        PENDING = "pending", _("wacht op goedkeuring")
        REJECTED = "rejected", _("afgewezen")

    kind = models.CharField(_("soort"), max_length=14, choices=Kind)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.BOOKED)
    # Sending the same transfer twice books it once: the key is unique.
    idempotency_key = models.CharField(max_length=120, unique=True)
    memo = models.CharField(_("omschrijving"), max_length=300, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    service_id = models.BigIntegerField(null=True, blank=True)  # marketplace.Service
    # A pending transfer keeps what it will book here until it is committed or rejected.
    pending_postings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    # Set on a pending payment for display by ``selectors.with_pending_lines`` (not stored):
    # the names of who pays and who receives, and the points it will move.
    payer: str
    payee: str
    amount: Decimal

    class Meta:
        verbose_name = _("overboeking")
        verbose_name_plural = _("overboekingen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Overboeking #{self.pk}"


class Posting(models.Model):
    """One side of a transfer. Never updated or deleted (the database refuses)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    balance_after = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    # Set for display by ``selectors.with_counterparties`` (not stored): who is on the other
    # side of the transfer.
    other: str

    class Meta:
        indexes = [models.Index(fields=["account", "id"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.amount} op rekening #{self.account_id}"


class YearEndSnapshot(models.Model):
    """Each account's balance at the end of a year, kept for the annual report and the
    audit committee."""

    year = models.PositiveSmallIntegerField()
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="snapshots")
    balance = models.DecimalField(max_digits=12, decimal_places=2)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "account"], name="one_snapshot_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: #{self.account_id} {self.balance}"
