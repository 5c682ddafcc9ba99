"""Meetings of the ALV and the boards: the agenda, who comes, who is there (or represented by a
written proxy), and the votes on each item.

Secret ballots keep who voted apart from what was voted. ``BallotRegister`` says who voted on
an item (one row per member, unique in the database); ``Ballot`` holds what was voted, with a
random id, no timestamp, no sequence and no reference to the register or to a member, so no
column joins the two. The rows of an item's ballots are rewritten in random order after each
ballot (``services.ballot_cast_secret``), so not even the physical order of the table tells
which ballot came last. The voter keeps a receipt code, shown once, that is listed with the
counted ballots."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.members.models import Member


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("in voorbereiding")
        CONVENED = "convened", _("bijeengeroepen")
        HELD = "held", _("gehouden")
        CLOSED = "closed", _("afgesloten")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("naam van de vergadering"), max_length=150)
    starts_at = models.DateTimeField(_("begint om"))
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("link om online mee te doen"), blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    convened_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The minutes of this meeting, once drafted, and those of the previous one, to approve here.
    minutes = models.ForeignKey(
        Minutes, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    previous_minutes = models.ForeignKey(
        Minutes,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_at_meetings",
        verbose_name=_("notulen van de vorige vergadering"),
    )
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    class VoteMode(models.TextChoices):
        NONE = "none", _("geen stemming")
        OPEN = "open", _("open stemming")
        SECRET = "secret", _("geheime stemming")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("onderwerp"), max_length=200)
    explanation = models.TextField(_("toelichting"), blank=True)
    document_text = models.TextField(_("stuk bij dit punt"), blank=True)
    document_link = models.URLField(_("link naar een stuk"), blank=True)
    kind = models.CharField(
        _("soort besluit"), max_length=20, choices=Decision.Kind, default=Decision.Kind.ORDINARY
    )
    vote_mode = models.CharField(
        _("stemming"), max_length=10, choices=VoteMode, default=VoteMode.NONE
    )
    # What an adopted decision puts into effect: {effect kind: payload}
    # (cooperatives.governance.effects).
    proposal = models.JSONField(default=dict, blank=True)
    evoting_opens = models.DateTimeField(_("online stemmen vanaf"), null=True, blank=True)
    evoting_closes = models.DateTimeField(_("online stemmen tot"), null=True, blank=True)
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_item"
    )

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evoting_opens__isnull=True)
                | Q(evoting_closes__isnull=True)
                | Q(evoting_closes__gt=models.F("evoting_opens")),
                name="evoting_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def votes(self) -> bool:
        return self.vote_mode != self.VoteMode.NONE


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("ik kom")
        NO = "no", _("ik kom niet")
        MAYBE = "maybe", _("misschien")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("komt u?"), max_length=5, choices=Answer)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="rsvp_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}:{self.answer}"


class Attendance(models.Model):
    """The attendance register: a member present in the room (or online, where the statutes
    allow electronic participation). Members represented by proxy follow from ``Proxy``."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    online = models.BooleanField(default=False)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.member_id}"


class Proxy(models.Model):
    """A written proxy (machtiging): ``grantor`` lets ``holder`` vote for them at the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies")
    grantor = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="proxies_given")
    holder = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="proxies_held")
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("machtiging")
        verbose_name_plural = _("machtigingen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "grantor"], name="proxy_once_per_grantor"),
            models.CheckConstraint(
                condition=~Q(grantor=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.grantor_id}->{self.holder_id}"


class Choice(models.TextChoices):
    FOR = "for", _("voor")
    AGAINST = "against", _("tegen")
    ABSTAIN = "abstain", _("onthouding")


class OpenVote(models.Model):
    """An open vote, per member: ``member`` is whose vote it is, ``cast_by`` who cast it (the
    holder of their proxy, or the secretary recording a hand in the room)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="open_votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="open_votes")
    cast_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="open_votes_cast"
    )
    by_proxy = models.BooleanField(default=False)
    choice = models.CharField(max_length=8, choices=Choice)
    cast_electronically = models.BooleanField(default=False)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="open_vote_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.member_id}:{self.choice}"


class BallotRegister(models.Model):
    """Who voted in a secret ballot, never what: one row per member and item (the database
    refuses a second)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballot_register")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ballots_cast")
    by_proxy = models.BooleanField(default=False)
    cast_electronically = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="ballot_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.member_id}"


class Ballot(models.Model):
    """What was voted in a secret ballot, never who: a random id, the choice and the voter's
    receipt code; no member, no time, no order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice)
    receipt_code = models.CharField(max_length=16, unique=True)

    class Meta:
        ordering = ["receipt_code"]

    def __str__(self) -> str:
        return self.receipt_code
