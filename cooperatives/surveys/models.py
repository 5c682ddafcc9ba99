"""Needs surveys (peilingen): the survey and its questions, the register of who answered, and
the answers.

Anonymity is kept in the tables themselves, not only on the pages. ``Participation`` is the
register of who answered (one row per member and survey: the database refuses a second), and
says nothing of what they answered. ``Response`` and ``Answer`` hold what was answered and
nothing of who: no member, no user, no timestamp, and random (UUID) keys, so neither a
foreign key nor an id sequence nor a time ties a response to a row of the register. The
respondent's buurt is kept on the response for the breakdown by buurt; when the survey
closes, buurten with fewer than five responses are merged into "no buurt" and every response is
written anew in random order (``services.survey_close``), so afterwards the buurt cannot single
anyone out either and the rows' order and transaction ids no longer follow the register's."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.members.models import Member
from cooperatives.setup.models import Cluster, Neighbourhood

# The smallest group whose answers are shown (k-anonymity): results of fewer answers are hidden.
MIN_GROUP = 5


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        OPEN = "open", _("open")
        CLOSED = "closed", _("gesloten")

    class Kind(models.TextChoices):
        # The board's own questions before a new service (seed 002).
        NEEDS = "needs", _("peiling")
        # The six fixed questions of Positieve Gezondheid, once per period (Triple Aim).
        POSITIVE_HEALTH = "positive_health", _("Positieve Gezondheid")

    kind = models.CharField(_("soort"), max_length=16, choices=Kind, default=Kind.NEEDS)
    title = models.CharField(_("titel"), max_length=150)
    intro = models.TextField(_("inleiding"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.DRAFT)
    opens_on = models.DateField(_("open vanaf"), null=True, blank=True)
    # The last day on which members can answer.
    closes_on = models.DateField(_("open tot en met"), null=True, blank=True)
    # Only the members of this buurt are asked (empty: every member).
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("alleen voor de buurt"),
    )
    # The kind of service the survey is about, if any (a new service in this cluster).
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("over het cluster"),
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the invitations went out by email (once: the mail task checks it).
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("peiling")
        verbose_name_plural = _("peilingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opens_on__isnull=False, closes_on__isnull=False),
                name="survey_open_has_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def answerable(self, today: dt.date) -> bool:
        """Members can answer today."""
        return (
            self.status == self.Status.OPEN
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= today <= self.closes_on
        )

    def overdue(self, today: dt.date) -> bool:
        """Still open, but its last day has passed: the board closes it to see the results."""
        return (
            self.status == self.Status.OPEN
            and self.closes_on is not None
            and self.closes_on < today
        )


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("keuze uit opties (één antwoord)")
        MULTIPLE = "multiple", _("keuze uit opties (meer antwoorden mogelijk)")
        SCALE = "scale", _("schaal van 1 tot 5")
        SCORE = "score", _("cijfer van 0 tot 10")
        OPEN = "open", _("open vraag")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("volgorde"))
    kind = models.CharField(_("soort vraag"), max_length=8, choices=Kind)
    text = models.CharField(_("vraag"), max_length=300)
    options = ArrayField(
        models.CharField(max_length=120), default=list, blank=True, verbose_name=_("opties")
    )
    required = models.BooleanField(_("verplicht"), default=True)
    # For a Positieve Gezondheid question: which of the six dimensions it asks about
    # (cooperatives.surveys.positive_health); empty for the board's own questions.
    dimension = models.CharField(_("dimensie"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["survey_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_once")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        """The name of its answer in a form and in the API's errors."""
        return f"question_{self.pk}"


class Participation(models.Model):
    """The register of who answered a survey, never what: it refuses a second answer."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("op papier")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("manier"), max_length=8, choices=Channel)
    # The coordinator who entered answers given on paper.
    entered_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("deelname")
        verbose_name_plural = _("deelnames")
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.member_id}"


class Response(models.Model):
    """One member's answers to one survey, without anything that says whose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    # The respondent's buurt, for the breakdown (merged into "none" for small buurten on close).
    neighbourhood = models.ForeignKey(
        Neighbourhood, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ingevulde peiling")
        verbose_name_plural = _("ingevulde peilingen")

    def __str__(self) -> str:
        return str(self.survey_id)


class Answer(models.Model):
    """The answer to one question: the chosen options (their positions in the question's
    options), a number on the scale (1 to 5) or a score (0 to 10, kept in the same column), or
    a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                # 1 to 5 for a scale, 0 to 10 for a score: the service checks per kind.
                condition=Q(scale__isnull=True) | Q(scale__gte=0, scale__lte=10),
                name="answer_scale_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return str(self.question_id)
