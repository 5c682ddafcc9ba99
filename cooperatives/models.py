"""Records inside one cooperative's schema: its members and their roles, neighbourhoods,
clusters, house rules and rates (versioned), partners, and the ways in (applications and
invitations).

Nothing here refers to another cooperative: every row lives in this cooperative's schema.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Compensation(models.TextChoices):
    FREE = "free", _("gratis")
    EUROS = "euros", _("klus: betaald per uur in euro's")
    POINTS = "points", _("betaald in tijdpunten")
    BOTH = "both", _("euro's en tijdpunten")


DAYS = [
    ("ma", _("maandag")),
    ("di", _("dinsdag")),
    ("wo", _("woensdag")),
    ("do", _("donderdag")),
    ("vr", _("vrijdag")),
    ("za", _("zaterdag")),
    ("zo", _("zondag")),
]
DAY_PARTS = [("ochtend", _("ochtend")), ("middag", _("middag")), ("avond", _("avond"))]
AVAILABILITY_CHOICES = [(f"{d}-{p}", f"{dl} {pl}") for d, dl in DAYS for p, pl in DAY_PARTS]


class Neighbourhood(models.Model):
    """A buurt: members are matched as close to home as possible, and a neighbourhood
    assistant sees and acts only in the buurten they are assigned to."""

    name = models.CharField(_("naam"), max_length=100)
    network_name = models.CharField(_("naam buurtnetwerk"), max_length=120, blank=True)
    contact = models.CharField(_("contactgegevens"), max_length=200, blank=True)
    # Postcodes as 4 digits (a whole area) or 4 digits + 2 letters; streets in lower case.
    postcodes = ArrayField(
        models.CharField(max_length=6), verbose_name=_("postcodes"), default=list, blank=True
    )
    streets = ArrayField(
        models.CharField(max_length=120), verbose_name=_("straten"), default=list, blank=True
    )
    assistants = models.ManyToManyField(
        "Member",
        related_name="assisted_neighbourhoods",
        blank=True,
        verbose_name=_("buurtassistenten"),
    )
    # Buurten that border this one: matching looks there after the requester's own buurt.
    adjacent = models.ManyToManyField(
        "self", symmetrical=True, blank=True, verbose_name=_("grenst aan")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="neighbourhood_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Cluster(models.Model):
    """A group of services (e.g. "(Auto)vervoer"). How it is compensated is a house rule and
    lives in the rulebook; a cluster that was ever used is retired, never deleted."""

    name = models.CharField(_("naam"), max_length=120)
    description = models.TextField(_("beschrijving"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(_("buiten gebruik sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="cluster_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """A neighbourhood partner or social enterprise that takes large jobs at a social rate
    (the rate itself is a house rule and lives in the rulebook)."""

    class Kind(models.TextChoices):
        NEIGHBOURHOOD_PARTNER = "partner", _("wijkpartner")
        SOCIAL_ENTERPRISE = "social_enterprise", _("sociale onderneming")

    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.SOCIAL_ENTERPRISE)
    services = models.TextField(_("diensten"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="partner_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class Rulebook(models.Model):
    """One version of the house rules (spelregels) and rates (tarieven).

    A version is never changed once made: a rule change is a new version with its own
    effective date, and records keep the version they were made under. Per-cluster
    compensation and partners' social rates are kept as snapshots in the version itself, so
    reading an old version needs nothing that may have changed since.
    Empty values mean "no rule".
    """

    version = models.PositiveIntegerField(_("versie"), unique=True)
    effective_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    adopted_by = models.CharField(_("vastgesteld bij (besluit)"), max_length=200, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    created_at = models.DateTimeField(default=timezone.now)

    # {cluster id (str): Compensation value}
    cluster_compensation = models.JSONField(_("vergoeding per cluster"), default=dict, blank=True)
    euro_rate_per_hour = models.DecimalField(
        _("euro per uur voor een klus"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("4.50"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # {partner id (str): "12.50"}
    partner_rates = models.JSONField(_("sociale tarieven van partners"), default=dict, blank=True)
    points_per_hour = models.DecimalField(
        _("punten per uur"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_service_hours = models.DecimalField(
        _("langste duur van een dienst (uren)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    max_open_services = models.PositiveSmallIntegerField(
        _("open diensten die een hulpvrager tegelijk mag hebben"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    feedback_days = models.PositiveSmallIntegerField(
        _("dagen waarbinnen terugkoppeling volgt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    request_reminder_days = models.PositiveSmallIntegerField(
        _("dagen tot een herinnering bij een hulpvraag zonder koppeling"),
        null=True,
        blank=True,
        default=7,
        validators=[MinValueValidator(1)],
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("dagen waarna een hulpvraag zonder koppeling sluit"),
        null=True,
        blank=True,
        default=30,
        validators=[MinValueValidator(1)],
    )
    offer_renewal_days = models.PositiveSmallIntegerField(
        _("dagen waarna aanbod verlengd moet worden"),
        null=True,
        blank=True,
        default=90,
        validators=[MinValueValidator(1)],
    )
    klus_needs_network_check = models.BooleanField(
        _("een klus vraagt bevestiging dat familie, vrienden en buren niet kunnen helpen"),
        default=False,
    )
    partner_referral_hours = models.DecimalField(
        _("klussen groter dan dit aantal uren gaan naar een partner"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    recipient_approves_quality = models.BooleanField(
        _("de ontvanger keurt de kwaliteit goed voordat punten worden geboekt"), default=False
    )
    starter_points = models.PositiveSmallIntegerField(_("startpunten"), null=True, blank=True)
    min_balance = models.IntegerField(_("laagste puntensaldo"), null=True, blank=True)
    max_balance = models.IntegerField(_("hoogste puntensaldo"), null=True, blank=True)
    share_points_percent = models.DecimalField(
        _("aandeel van de coöperatie in punten (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    share_euro_percent = models.DecimalField(
        _("aandeel van de coöperatie in euro's (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    no_competition_with_social_enterprises = models.BooleanField(
        _("geen concurrentie met sociale ondernemers"), default=False
    )
    liability_disclaimer = models.TextField(_("uitsluiting van aansprakelijkheid"), blank=True)

    class Meta:
        verbose_name = _("spelregels")
        verbose_name_plural = _("versies van de spelregels")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Spelregels v{self.version}"

    def compensation_for(self, cluster: Cluster) -> str | None:
        return self.cluster_compensation.get(str(cluster.pk))


class Role(models.TextChoices):
    """Roles beyond plain membership (every active member is a member)."""

    VOLUNTEER = "volunteer", _("vrijwilliger")
    NEIGHBOURHOOD_ASSISTANT = "neighbourhood_assistant", _("buurtassistent")
    COORDINATOR = "coordinator", _("coördinator")
    BOARD_CHAIR = "board_chair", _("voorzitter")
    BOARD_SECRETARY = "board_secretary", _("secretaris")
    BOARD_TREASURER = "board_treasurer", _("penningmeester")
    BOARD_GENERAL = "board_general", _("algemeen bestuurslid")
    AUDIT_COMMITTEE = "audit_committee", _("kascommissie")
    ADMINISTRATOR = "administrator", _("beheerder")


BOARD_ROLES = frozenset(
    {Role.BOARD_CHAIR, Role.BOARD_SECRETARY, Role.BOARD_TREASURER, Role.BOARD_GENERAL}
)


class Member(models.Model):
    """A member of the cooperative: a resident or an organisation. A member without email or
    internet has no login (user is empty) and is helped by coordinators."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("bewoner")
        ORGANISATION = "organisation", _("organisatie")

    class Status(models.TextChoices):
        ACTIVE = "active", _("actief")
        LEFT = "left", _("opgezegd")
        ERASED = "erased", _("gewist")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    kind = models.CharField(_("soort lid"), max_length=12, choices=Kind, default=Kind.RESIDENT)
    name = models.CharField(_("naam"), max_length=150)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)  # "3581AB"
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("buurt"),
    )
    # Set when a coordinator chose the buurt by hand: the address no longer decides it.
    neighbourhood_fixed = models.BooleanField(default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    year_of_birth = models.PositiveSmallIntegerField(
        _("geboortejaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    languages = ArrayField(
        models.CharField(max_length=40), verbose_name=_("talen"), default=list, blank=True
    )
    talents = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("talenten en vaardigheden"),
        default=list,
        blank=True,
    )
    help_clusters = models.ManyToManyField(
        Cluster, related_name="helpers", blank=True, verbose_name=_("helpt bij")
    )
    availability = ArrayField(
        models.CharField(max_length=12, choices=AVAILABILITY_CHOICES),
        verbose_name=_("beschikbaarheid"),
        default=list,
        blank=True,
    )
    uses_internet = models.BooleanField(_("gebruikt zelf internet"), default=True)

    privacy_version = models.CharField(_("versie privacyverklaring"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    disclaimer_version = models.PositiveIntegerField(
        _("versie aansprakelijkheid (spelregels)"), null=True, blank=True
    )
    disclaimer_accepted_at = models.DateTimeField(null=True, blank=True)
    # Consent given by phone or at the door, recorded by the coordinator who did the intake.
    consent_on_behalf = models.BooleanField(default=False)
    registered_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ingeschreven door"),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    joined_at = models.DateTimeField(_("lid sinds"), default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(fields=["neighbourhood", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email="") & ~Q(status="erased"),
                name="member_email_ci_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rol"), max_length=30, choices=Role)
    assigned_by_id = models.BigIntegerField(null=True, blank=True)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        constraints = [
            models.UniqueConstraint(fields=["member", "role"], name="role_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.role}"


class Application(models.Model):
    """Someone asked to join through the subdomain; a coordinator or board member decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op besluit")
        APPROVED = "approved", _("goedgekeurd")
        DECLINED = "declined", _("afgewezen")

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    kind = models.CharField(
        _("soort lid"), max_length=12, choices=Member.Kind, default=Member.Kind.RESIDENT
    )
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=12, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    message = models.TextField(_("toelichting"), blank=True)
    # The password the applicant chose, already hashed; it becomes the login on approval.
    password_hash = models.CharField(max_length=200, blank=True)
    privacy_version = models.CharField(max_length=20, blank=True)
    disclaimer_version = models.PositiveIntegerField(null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by_id = models.BigIntegerField(null=True, blank=True)  # a Member id
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reden"), blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Aanmelding #{self.pk}"


class Invitation(models.Model):
    """An invitation by email with a one-time link that expires. Only a hash of the token is
    kept, so a database copy cannot be used to accept invitations."""

    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Uitnodiging #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
