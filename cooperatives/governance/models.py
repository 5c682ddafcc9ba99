"""Bodies, seats, the statutes' settings, decisions and minutes.

A decision is numbered per year (2026-001) and, once the minutes that record it are approved,
can no longer change: the database itself refuses (trigger in migration 0002), like the audit
log. A correction is a new decision that names the one it corrects."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member


class Body(models.Model):
    class Kind(models.TextChoices):
        ALV = "alv", _("algemene ledenvergadering (ALV)")
        GENERAL_BOARD = "general_board", _("algemeen bestuur")
        EXECUTIVE_BOARD = "executive_board", _("dagelijks bestuur")
        AUDIT_COMMITTEE = "audit_committee", _("kascommissie")
        PROJECT_GROUP = "project_group", _("projectgroep")

    STANDING = (Kind.ALV, Kind.GENERAL_BOARD, Kind.EXECUTIVE_BOARD, Kind.AUDIT_COMMITTEE)

    kind = models.CharField(_("soort"), max_length=20, choices=Kind)
    name = models.CharField(_("naam"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(_("opgeheven op"), null=True, blank=True)

    class Meta:
        verbose_name = _("orgaan")
        verbose_name_plural = _("organen")
        ordering = ["id"]
        constraints = [
            # One ALV, one general board, one daily board, one kascommissie per cooperative.
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="project_group"), name="standing_body_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A member's place in a body for a term. ``end`` is the first day without the seat, so a
    term that ends today no longer counts today; an open end is a term that runs on."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("voorzitter")
        SECRETARY = "secretary", _("secretaris")
        TREASURER = "treasurer", _("penningmeester")
        MEMBER = "member", _("lid")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="seats")
    position = models.CharField(_("functie"), max_length=12, choices=Position)
    start = models.DateField(_("begin van de termijn"))
    end = models.DateField(_("einde van de termijn"), null=True, blank=True)
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("benoemd bij besluit"),
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("zetel")
        verbose_name_plural = _("zetels")
        ordering = ["body_id", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="seat_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.position} {self.body_id}"

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class Statutes(models.Model):
    """What the law leaves to the statutes (one row per cooperative). Electronic participation
    and voting exist only where the statutes allow them (BW 2:38a, for cooperatives by 2:53a)."""

    class Decides(models.TextChoices):
        GENERAL_BOARD = "general_board", _("het algemeen bestuur")
        EXECUTIVE_BOARD = "executive_board", _("het dagelijks bestuur")
        ALV = "alv", _("de algemene ledenvergadering")

    convocation_days = models.PositiveSmallIntegerField(
        _("oproeptermijn ALV (dagen)"), default=14, validators=[MinValueValidator(1)]
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (procent van de leden, 0 = geen)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    # The qualified majority for a change of statutes or dissolution as a fraction of the votes
    # cast (two integers, so 2/3 is exact: 2 of 3 votes is enough, 66 of 100 is not).
    qualified_numerator = models.PositiveSmallIntegerField(
        _("gekwalificeerde meerderheid: teller"), default=2, validators=[MinValueValidator(1)]
    )
    qualified_denominator = models.PositiveSmallIntegerField(
        _("gekwalificeerde meerderheid: noemer"), default=3, validators=[MinValueValidator(1)]
    )
    proxies_allowed = models.BooleanField(_("machtigingen toegestaan"), default=True)
    proxies_per_member = models.PositiveSmallIntegerField(
        _("machtigingen per lid"), default=1, validators=[MaxValueValidator(10)]
    )
    electronic_participation = models.BooleanField(
        _("elektronisch deelnemen toegestaan"), default=False
    )
    electronic_voting = models.BooleanField(_("elektronisch stemmen toegestaan"), default=False)
    rules_decided_by = models.CharField(
        _("spelregels en tarieven vastgesteld door"),
        max_length=20,
        choices=Decides,
        default=Decides.GENERAL_BOARD,
    )
    agreements_decided_by = models.CharField(
        _("afspraken met partners en gemeente vastgesteld door"),
        max_length=20,
        choices=Decides,
        default=Decides.GENERAL_BOARD,
    )
    allowance_decided_by = models.CharField(
        _("jaarlijkse vergoedingen vastgesteld door"),
        max_length=20,
        choices=Decides,
        default=Decides.GENERAL_BOARD,
    )
    network_decided_by = models.CharField(
        _("aansluiten bij een netwerk besloten door"),
        max_length=20,
        choices=Decides,
        default=Decides.GENERAL_BOARD,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("statuten")
        verbose_name_plural = _("statuten")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="statutes_single_row"),
            models.CheckConstraint(
                condition=Q(qualified_denominator__gte=models.F("qualified_numerator")),
                name="qualified_majority_at_most_all",
            ),
        ]

    def __str__(self) -> str:
        return str(_("statuten"))


class Minutes(models.Model):
    """The notulen of one meeting of a body: drafted, sent with the next convocation, approved
    there. Approving them makes the decisions they record final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        SENT = "sent", _("verstuurd")
        APPROVED = "approved", _("vastgesteld")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="minutes")
    held_on = models.DateField(_("datum van de vergadering"))
    text = models.TextField(_("notulen"), blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approves_minutes",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notulen")
        verbose_name_plural = _("notulen")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.body_id} {self.held_on}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("gewoon besluit")
        RULES = "rules", _("spelregels en tarieven")
        AGREEMENT = "agreement", _("afspraak met partner of gemeente")
        ALLOWANCE = "allowance", _("jaarlijkse vergoedingen")
        NETWORK = "network", _("aansluiten bij een netwerk")
        ELECTION = "election", _("verkiezing of benoeming")
        PROJECT = "project", _("projectvoorstel")
        ANNUAL_REPORT = "annual_report", _("jaarverslag")
        DISCHARGE = "discharge", _("decharge van het bestuur")
        MINUTES = "minutes", _("vaststelling notulen")
        STATUTES = "statutes", _("statutenwijziging")
        DISSOLUTION = "dissolution", _("ontbinding")

    # Kinds that need the statutes' qualified majority instead of a simple one.
    QUALIFIED = (Kind.STATUTES, Kind.DISSOLUTION)

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("aangenomen")
        REJECTED = "rejected", _("verworpen")

    number = models.CharField(_("nummer"), max_length=12, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions")
    decided_on = models.DateField(_("datum"))
    kind = models.CharField(_("soort besluit"), max_length=20, choices=Kind, default=Kind.ORDINARY)
    title = models.CharField(_("onderwerp"), max_length=200)
    text = models.TextField(_("besluit"))
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=Outcome)
    votes_for = models.PositiveIntegerField(_("voor"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("tegen"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("onthouding"), null=True, blank=True)
    # What the decision put into effect: [{"kind": "rulebook", "id": 7, "label": "..."}, ...]
    effects = models.JSONField(default=list, blank=True)
    minutes = models.ForeignKey(
        Minutes, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    final_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="decision_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def adopted(self) -> bool:
        return self.outcome == self.Outcome.ADOPTED
