"""A cooperative's members and their roles, in the cooperative's own schema.

Nothing here refers to another cooperative: every row lives in this cooperative's schema.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.setup.models import Cluster, Neighbourhood

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


# The languages the platform speaks (settings.LANGUAGES); a member reads pages and emails in one.
LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]


AVAILABILITY_CHOICES = [(f"{d}-{p}", f"{dl} {pl}") for d, dl in DAYS for p, pl in DAY_PARTS]


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
# Roles that only a seat in one of the cooperative's bodies gives (cooperatives.governance):
# never stored as a RoleAssignment, so a term that ends takes the rights with it that day.
SEAT_ROLES = BOARD_ROLES | {Role.AUDIT_COMMITTEE}

# How a member's seats turn into roles today. The governance feature registers it (its
# AppConfig.ready): governance imports members, so members cannot import governance.
SeatRoles = Callable[["Member"], frozenset[str]]
_seat_roles: SeatRoles | None = None


def seat_roles_source_register(source: SeatRoles) -> None:
    global _seat_roles
    _seat_roles = source


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
    # The language of the site and of emails to this member (shared.mail writes in it); set
    # when the member switches the site's language while logged in.
    language = models.CharField(
        _("taal"), max_length=2, choices=LANGUAGE_CHOICES, default="nl", blank=True
    )

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

    def permission_scope(self) -> tuple[Member, None]:
        """An action on a member's record is about that member (and their buurt)."""
        return self, None

    def current_roles(self) -> frozenset[str]:
        """The roles the member holds today: the stored ones (volunteer, coordinator...) and
        the board and kascommissie roles of the seats active today. Prefetch
        ``role_assignments`` and ``seats__body`` for lists: then this costs no query."""
        stored = {r.role for r in self.role_assignments.all() if r.role not in SEAT_ROLES}
        seated = _seat_roles(self) if _seat_roles is not None else frozenset()
        return frozenset(stored | seated)

    def current_role_labels(self) -> list[str]:
        """The names of ``current_roles``, in the order of ``Role``, for pages."""
        held = self.current_roles()
        return [str(label) for value, label in Role.choices if value in held]


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


class EmailChange(models.Model):
    """A member (or a coordinator for them) asked to use another email address. Nothing
    changes until the link sent to the new address is used, once and before it expires; only a
    hash of the link's token is kept, so a copy of the database cannot confirm anything."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="email_changes")
    new_email = models.EmailField(_("nieuw e-mailadres"))
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wijziging van e-mailadres")
        verbose_name_plural = _("wijzigingen van e-mailadres")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"E-mailwijziging #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


def email_change_token_hash(token: str) -> str:
    """What is kept of an email change's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


PRIVACY_STATEMENT_VERSION = "2026-11"
