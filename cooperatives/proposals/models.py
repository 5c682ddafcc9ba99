"""Project proposals, the members who support them, what happened to them, and the projects
that approved proposals become (with their updates and spending)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.models import Body, Decision
from cooperatives.members.models import Member
from cooperatives.setup.models import Partner


class Proposal(models.Model):
    """A plan for the neighbourhood, brought by a member or, through a coordinator, by a
    neighbourhood partner. The board handles it; every step is kept in ``events``."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("ontvangen")
        BEING_DISCUSSED = "being_discussed", _("in bespreking")
        APPROVED = "approved_with_conditions", _("goedgekeurd")
        DECLINED = "declined", _("afgewezen")
        SENT_TO_ALV = "sent_to_alv", _("voorgelegd aan de ALV")

    # Where the board may take a proposal from each state; approved and declined are final.
    NEXT: dict[str, tuple[str, ...]] = {
        Status.RECEIVED: (
            Status.BEING_DISCUSSED,
            Status.APPROVED,
            Status.DECLINED,
            Status.SENT_TO_ALV,
        ),
        Status.BEING_DISCUSSED: (Status.APPROVED, Status.DECLINED, Status.SENT_TO_ALV),
        Status.SENT_TO_ALV: (Status.APPROVED, Status.DECLINED),
        Status.APPROVED: (),
        Status.DECLINED: (),
    }
    OPEN = (Status.RECEIVED, Status.BEING_DISCUSSED, Status.SENT_TO_ALV)

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"))
    needs_volunteers = models.BooleanField(_("vrijwilligers"), default=False)
    needs_money = models.BooleanField(_("geld"), default=False)
    needs_space = models.BooleanField(_("ruimte"), default=False)
    needs_other = models.TextField(_("wat er verder nodig is"), blank=True)
    budget = models.DecimalField(
        _("begroting (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    contact = models.CharField(_("contact"), max_length=200)
    submitted_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("ingediend door")
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("namens partner"),
    )
    status = models.CharField(_("status"), max_length=30, choices=Status, default=Status.RECEIVED)
    conditions = models.TextField(_("voorwaarden"), blank=True)
    reasons = models.TextField(_("redenen"), blank=True)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("besluit"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("projectvoorstel")
        verbose_name_plural = _("projectvoorstellen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="proposal_budget_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reasons=""), name="proposal_declined_reasons"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ProposalSupport(models.Model):
    """A member supports a proposal: once, enforced by the database."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="proposal_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.proposal_id}"


class ProposalEvent(models.Model):
    """One step in a proposal's history. ``notified_at`` marks that the proposer has been
    told, so a mail task delivered twice mails once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=30, choices=Proposal.Status)
    previous = models.CharField(max_length=30, choices=Proposal.Status, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    actor = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stap van een voorstel")
        verbose_name_plural = _("stappen van voorstellen")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status}"


class Project(models.Model):
    """What an approved proposal becomes: run by its project group."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("lopend")
        FINISHED = "finished", _("afgerond")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="project")
    name = models.CharField(_("naam"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    budget = models.DecimalField(
        _("begroting (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    group = models.OneToOneField(
        Body, on_delete=models.PROTECT, related_name="project", verbose_name=_("projectgroep")
    )
    started_on = models.DateField(_("gestart op"))
    finished_on = models.DateField(_("afgerond op"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ProjectUpdate(models.Model):
    """A short report on how the project goes, by a member of its group or the board."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("bericht"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("projectbericht")
        verbose_name_plural = _("projectberichten")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.created_at:%Y-%m-%d}"


class ProjectSpending(models.Model):
    """One line of what the project spent of its budget (shown in the annual report)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="spending")
    spent_on = models.DateField(_("datum"))
    description = models.CharField(_("omschrijving"), max_length=200)
    amount = models.DecimalField(_("bedrag (euro)"), max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("projectuitgave")
        verbose_name_plural = _("projectuitgaven")
        ordering = ["spent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="project_spending_positive")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.spent_on} {self.amount}"
