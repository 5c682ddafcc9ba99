"""The marketplace inside one cooperative: requests for help (hulpvragen), offers (aanbod),
volunteers answering "ik help", the services (diensten) that follow — planned, registered,
confirmed and reviewed — and what each confirmed service owes.

Every request and service keeps the rulebook version it was made under, so a later rule change
never rewrites what was agreed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import DAY_PARTS, Member
from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.setup.models import Cluster, Neighbourhood

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Reach(models.TextChoices):
    STREET = "street", _("alleen mijn straat")
    NEIGHBOURHOOD = "neighbourhood", _("mijn buurt")
    COOPERATIVE = "cooperative", _("de hele coöperatie")


class HelpRequest(models.Model):
    """A member asks for help (or a coordinator asks on their behalf)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("gekoppeld")
        CLOSED = "closed", _("afgerond")
        EXPIRED = "expired", _("verlopen")
        CANCELLED = "cancelled", _("ingetrokken")

    requester = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="help_requests")
    created_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("aangemaakt door")
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="requests")
    title = models.CharField(_("korte omschrijving"), max_length=120)
    description = models.TextField(_("toelichting"), blank=True)
    preferred_dates = ArrayField(
        models.DateField(), verbose_name=_("voorkeursdata"), default=list, blank=True
    )
    preferred_parts = ArrayField(
        models.CharField(max_length=8, choices=DAY_PARTS),
        verbose_name=_("dagdelen"),
        default=list,
        blank=True,
    )
    expected_hours = models.DecimalField(
        _("verwachte duur (uren)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    # Where the help is needed: the requester's own address unless they say otherwise. Only the
    # matched volunteer and coordinators see the exact address.
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    repeats_weekly = models.BooleanField(_("elke week"), default=False)
    network_checked = models.BooleanField(
        _("familie, vrienden en buren kunnen niet helpen"), default=False
    )
    rulebook = models.ForeignKey(Rulebook, on_delete=models.PROTECT, related_name="+", null=True)
    compensation = models.CharField(max_length=10, choices=Compensation, default=Compensation.FREE)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set by the coordinator board (``age_days``) or for display by the pages
    # (the compensation and the parts of the day in words).
    age_days: int
    compensation_text: str
    parts_text: list[StrOrPromise]

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "neighbourhood"]),
            models.Index(fields=["status", "cluster"]),
        ]

    def __str__(self) -> str:
        return self.title


class Offer(models.Model):
    """A volunteer offers help in a cluster."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("actief")
        EXPIRED = "expired", _("verlopen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    volunteer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="offers")
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="offers")
    description = models.TextField(_("wat u aanbiedt"))
    availability = ArrayField(
        models.CharField(max_length=12), verbose_name=_("beschikbaarheid"), default=list, blank=True
    )
    reach = models.CharField(
        _("hoe ver"), max_length=14, choices=Reach, default=Reach.NEIGHBOURHOOD
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    renew_by = models.DateField(_("verlengen vóór"))
    renewal_asked_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set for display by the marketplace page.
    compensation_text: str
    availability_text: list[StrOrPromise]

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "cluster"])]

    def __str__(self) -> str:
        return f"Aanbod #{self.pk}"


class HelpResponse(models.Model):
    """A volunteer answers "ik help" to a request; one of them is accepted."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("wacht")
        ACCEPTED = "accepted", _("geaccepteerd")
        NOT_CHOSEN = "not_chosen", _("niet gekozen")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="responses")
    volunteer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="help_responses")
    message = models.CharField(_("bericht"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "volunteer"], name="one_response_per_volunteer"
            )
        ]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reactie #{self.pk}"


class Service(models.Model):
    """One help given (dienst): from the accepted match to feedback."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        REGISTERED = "registered", _("uren geregistreerd")
        # The requester said the registered hours are not right: nothing is settled until
        # the volunteer or a coordinator corrects them and the requester confirms again.
        DISPUTED = "disputed", _("uren kloppen niet")
        CONFIRMED = "confirmed", _("bevestigd")
        CANCELLED = "cancelled", _("geannuleerd")

    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="services")
    requester = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="services_received"
    )
    volunteer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="services_given")
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="services")
    rulebook = models.ForeignKey(Rulebook, on_delete=models.PROTECT, related_name="+", null=True)
    compensation = models.CharField(max_length=10, choices=Compensation, default=Compensation.FREE)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)

    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("begintijd"))
    planned_hours = models.DecimalField(_("geplande duur (uren)"), max_digits=4, decimal_places=1)
    reminder_sent_for = models.DateField(null=True, blank=True)  # the date a reminder went out for
    cancel_reason = models.CharField(_("reden"), max_length=300, blank=True)
    cancelled_by_id = models.BigIntegerField(null=True, blank=True)

    registered_hours = models.DecimalField(
        _("gewerkte uren"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_id = models.BigIntegerField(null=True, blank=True)

    rating = models.PositiveSmallIntegerField(
        _("waardering"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.TextField(_("terugkoppeling"), blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_due = models.DateField(null=True, blank=True)
    feedback_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Not stored: set by the list of services (what waits for the viewer).
    todo: set[str]

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["date", "start_time"]
        indexes = [
            models.Index(fields=["volunteer", "status", "date"]),
            models.Index(fields=["status", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_hours__isnull=True) | Q(registered_hours__gt=0),
                name="service_hours_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Dienst #{self.pk}"


class HoursDispute(models.Model):
    """The requester (or a coordinator for them) says the registered hours are not right, and
    why. The volunteer corrects the hours or a coordinator sets them; the requester then
    confirms again. Kept, so everyone involved can see what was said and decided."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("wat klopt er niet?"), max_length=500)
    disputed_hours = models.DecimalField(max_digits=4, decimal_places=1)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    corrected_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    resolution_note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("bezwaar tegen uren")
        verbose_name_plural = _("bezwaren tegen uren")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_dispute_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"Bezwaar #{self.pk} bij dienst #{self.service_id}"


class ServiceMessage(models.Model):
    """A message between the requester and the volunteer of a service, kept with the service.
    The two of them read it, and for safety the coordinators and the assistants of the
    requester's buurt; nobody else. A recipient without email hears it through the
    coordinators' daily list (``relay_due`` until ``relayed_at``)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("bericht"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    relay_due = models.BooleanField(default=False)
    relayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["relay_due"],
                condition=Q(relay_due=True, relayed_at__isnull=True),
                name="message_relay_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Bericht #{self.pk} bij dienst #{self.service_id}"


class CompensationDue(models.Model):
    """What a confirmed service owes, recorded through the one settlement interface
    (cooperatives.settlement). The points ledger and billing settle these rows when they land;
    until then they wait here, so nothing is lost."""

    class Kind(models.TextChoices):
        POINTS = "points", _("tijdpunten")
        EUROS = "euros", _("euro's")

    class Status(models.TextChoices):
        OWED = "owed", _("verschuldigd")
        SETTLED = "settled", _("verrekend")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="dues")
    kind = models.CharField(max_length=6, choices=Kind)
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    cooperative_share = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    payer = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    payee = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    rulebook = models.ForeignKey(Rulebook, on_delete=models.PROTECT, related_name="+", null=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.OWED)
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)
    # The requester approved the quality when confirming (the rules may ask it before points
    # are booked): the settler books at once instead of holding the points for approval.
    quality_approved_at = models.DateTimeField(null=True, blank=True)
    quality_approved_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    # Why the settler could not book it (a balance limit, say): a coordinator books it later.
    held_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "kind"], name="one_due_per_service_and_kind"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="due_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} voor dienst #{self.service_id}"


class MemberSettings(models.Model):
    """Per member: how they want notices, what they share with the other side of a service,
    and the secret of their calendar feed."""

    class Digest(models.TextChoices):
        DAILY = "daily", _("dagelijks")
        WEEKLY = "weekly", _("wekelijks")
        NONE = "none", _("geen")

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="marketplace_settings"
    )
    digest = models.CharField(
        _("overzicht van nieuwe hulpvragen"), max_length=6, choices=Digest, default=Digest.WEEKLY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True)
    # What the member lets the other side of a matched service see (off until they choose).
    share_phone = models.BooleanField(
        _("mijn telefoonnummer tonen aan wie ik help of wie mij helpt"), default=False
    )
    share_email = models.BooleanField(
        _("mijn e-mailadres tonen aan wie ik help of wie mij helpt"), default=False
    )

    def __str__(self) -> str:
        return f"Instellingen van lid #{self.member_id}"
