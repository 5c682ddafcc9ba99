"""Writes of the meetings feature: preparing and convening a meeting, RSVP, the attendance
register, proxies, votes (open and secret) and recording each item's result as a decision.
Every write is logged (never what a secret ballot said); refusals are Dutch ValidationErrors
and leave nothing written."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from functools import partial
from typing import Any

from celery import current_app
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.effects import decision_effect_apply, effect_kinds
from cooperatives.governance.models import Body, Decision, Minutes
from cooperatives.governance.selectors import statutes_current
from cooperatives.governance.services import (
    decision_record,
    minutes_approve,
    minutes_save,
    minutes_send,
)
from cooperatives.meetings import emails, selectors
from cooperatives.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotRegister,
    Choice,
    Meeting,
    OpenVote,
    Proxy,
    Rsvp,
)
from cooperatives.members.models import Member
from shared.audit.services import audit_record
from shared.mail import cooperative_link, mail_send
from shared.permissions import can
from shared.tenancy.current import connection, queue_in
from shared.validation import actor_id, field_error

_PREPARING = (Meeting.Status.DRAFT, Meeting.Status.CONVENED)
_RUNNING = (Meeting.Status.CONVENED, Meeting.Status.HELD)


def meeting_link(meeting: Meeting) -> str:
    return cooperative_link(reverse("meeting-detail", args=[meeting.pk]))


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("body").select_for_update(of=("self",)).get(pk=meeting.pk)


# --- preparing ----------------------------------------------------------------------------------


def meeting_create(
    *,
    actor: Member | None,
    body: Body,
    title: str,
    starts_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    previous_minutes: Minutes | None = None,
) -> Meeting:
    title = " ".join((title or "").split())
    if not title:
        raise field_error("title", _("Geef de vergadering een naam."), "required")
    if body.kind == Body.Kind.AUDIT_COMMITTEE or body.ended_on is not None:
        raise field_error("body", _("Kies de ALV of een bestuur."), "invalid_choice")
    if starts_at <= timezone.now():
        raise field_error("starts_at", _("Kies een moment in de toekomst."), "in_past")
    if not (place or "").strip() and not online_link:
        raise field_error(
            "place", _("Vul een plaats in, of een link om online mee te doen."), "required"
        )
    if online_link and not statutes_current().electronic_participation:
        raise field_error(
            "online_link",
            _("Online meedoen kan alleen als de statuten elektronisch deelnemen toestaan."),
            "not_allowed",
        )
    if previous_minutes is not None and previous_minutes.body_id != body.pk:
        raise field_error(
            "previous_minutes",
            _("Dit zijn notulen van een ander orgaan."),
            "other_body",
        )
    if previous_minutes is not None and previous_minutes.status == Minutes.Status.APPROVED:
        raise field_error(
            "previous_minutes", _("Deze notulen zijn al vastgesteld."), "minutes_approved"
        )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body,
            title=title[:150],
            starts_at=starts_at,
            place=(place or "").strip()[:200],
            online_link=online_link or "",
            previous_minutes=previous_minutes,
            created_by_id=actor_id(actor),
        )
        audit_record(
            actor_id=actor_id(actor),
            action="meeting.create",
            target=meeting,
            summary=f"{body.kind} {timezone.localtime(starts_at).date().isoformat()}",
        )
    return meeting


def _check_window(meeting: Meeting, opens: dt.datetime | None, closes: dt.datetime | None) -> None:
    if opens is None and closes is None:
        return
    if opens is None or closes is None:
        raise field_error(
            "evoting_opens",
            _("Vul in vanaf wanneer en tot wanneer online gestemd kan worden."),
            "window_incomplete",
        )
    if not statutes_current().electronic_voting:
        raise field_error(
            "evoting_opens",
            _("De statuten staan elektronisch stemmen niet toe."),
            "evoting_not_allowed",
        )
    if closes <= opens:
        raise field_error(
            "evoting_closes",
            _("Het online stemmen moet sluiten na het openen."),
            "window_order",
        )
    earliest = meeting.starts_at - dt.timedelta(days=selectors.EVOTING_MAX_DAYS_BEFORE)
    if opens < earliest:
        raise field_error(
            "evoting_opens",
            _(
                "Online stemmen mag op zijn vroegst 30 dagen voor de vergadering openen "
                "(artikel 2:38 lid 8 BW)."
            ),
            "window_too_early",
        )
    if closes > meeting.starts_at + dt.timedelta(days=1):
        raise field_error(
            "evoting_closes",
            _("Het online stemmen sluit uiterlijk op de dag van de vergadering."),
            "window_too_late",
        )


def agenda_item_add(
    *,
    actor: Member | None,
    meeting: Meeting,
    title: str,
    explanation: str = "",
    document_text: str = "",
    document_link: str = "",
    kind: str = Decision.Kind.ORDINARY,
    vote_mode: str = AgendaItem.VoteMode.NONE,
    proposal: Mapping[str, Any] | None = None,
    evoting_opens: dt.datetime | None = None,
    evoting_closes: dt.datetime | None = None,
) -> AgendaItem:
    title = " ".join((title or "").split())
    if not title:
        raise field_error("title", _("Geef het agendapunt een onderwerp."), "required")
    if kind not in Decision.Kind.values:
        raise field_error("kind", _("Kies de soort besluit."), "invalid_choice")
    if vote_mode not in AgendaItem.VoteMode.values:
        raise field_error("vote_mode", _("Kies hoe er gestemd wordt."), "invalid_choice")
    if kind in Decision.QUALIFIED and meeting.body.kind != Body.Kind.ALV:
        raise field_error(
            "kind", _("Over de statuten en ontbinding besluit alleen de ALV."), "alv_only"
        )
    if kind == Decision.Kind.MINUTES and meeting.previous_minutes_id is None:
        raise field_error(
            "kind",
            _("Kies eerst bij de vergadering de notulen van de vorige vergadering."),
            "no_previous_minutes",
        )
    proposal = dict(proposal or {})
    unknown = sorted(set(proposal) - effect_kinds())
    if unknown:
        raise field_error(
            "proposal",
            _("Onbekend soort voorstel: %(kind)s.") % {"kind": unknown[0]},
            "unknown_effect",
        )
    if vote_mode == AgendaItem.VoteMode.NONE:
        evoting_opens = evoting_closes = None
    _check_window(meeting, evoting_opens, evoting_closes)
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in _PREPARING:
            raise field_error(None, _("Deze vergadering is al gehouden."), "meeting_held")
        last = meeting.items.order_by("-order").first()
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=(last.order + 1) if last else 1,
            title=title[:200],
            explanation=(explanation or "").strip(),
            document_text=(document_text or "").strip(),
            document_link=document_link or "",
            kind=kind,
            vote_mode=vote_mode,
            proposal=proposal,
            evoting_opens=evoting_opens,
            evoting_closes=evoting_closes,
        )
        audit_record(
            actor_id=actor_id(actor),
            action="agenda_item.add",
            target=item,
            summary=f"{meeting.pk}:{kind}:{vote_mode}",
        )
    return item


# --- convening ----------------------------------------------------------------------------------


REMIND_TASK = "cooperatives.meetings.tasks.meetings_remind_in_schema"


def _queue_reminders() -> None:
    """Queue the reminder task (by its name: tasks import this module) after the commit, in
    this cooperative's schema; it reminds only meetings that are due and not yet reminded."""
    task = current_app.tasks[REMIND_TASK]
    transaction.on_commit(partial(queue_in, task, schema=connection.schema_name))


def meeting_convene(
    *, actor: Member | None, meeting: Meeting, now: dt.datetime | None = None
) -> Meeting:
    """Call everyone entitled: by email with a link to the meeting's page (where the draft
    minutes of the previous meeting are), and for members without email a letter the
    coordinators print (selectors.members_without_email, pdf.letters_pdf). The ALV is
    convened at least the statutes' convocation period ahead."""
    now = now or timezone.now()
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.DRAFT:
            raise field_error(None, _("Deze vergadering is al bijeengeroepen."), "convened")
        if not meeting.items.exists():
            raise field_error(None, _("Zet eerst de agenda klaar."), "no_agenda")
        days = statutes_current().convocation_days
        if meeting.body.kind == Body.Kind.ALV:
            lead = (selectors.meeting_day(meeting) - timezone.localdate(now)).days
            if lead < days:
                raise field_error(
                    "starts_at",
                    _(
                        "De ALV moet minstens %(days)s dagen van tevoren worden bijeengeroepen; "
                        "kies een latere datum."
                    )
                    % {"days": days},
                    "too_late",
                )
        elif meeting.starts_at <= now:
            raise field_error("starts_at", _("Kies een moment in de toekomst."), "in_past")
        meeting.status = Meeting.Status.CONVENED
        meeting.convened_at = now
        meeting.save(update_fields=["status", "convened_at"])
        if meeting.previous_minutes is not None:
            minutes_send(actor=actor, minutes=meeting.previous_minutes)
        recipients = list(selectors.entitled_members(meeting=meeting))
        link, agenda = meeting_link(meeting), emails.agenda_titles(meeting)
        mail_send(
            to=recipients,
            compose=lambda: emails.convocation_compose(meeting, link=link, agenda=agenda),
        )
        audit_record(
            actor_id=actor_id(actor),
            action="meeting.convene",
            target=meeting,
            summary=(
                f"{sum(1 for r in recipients if r.email)} e-mail, "
                f"{sum(1 for r in recipients if not r.email)} brief"
            ),
        )
        _queue_reminders()
    return meeting


def meetings_remind(*, now: dt.datetime | None = None) -> int:
    """Remind those entitled of meetings in the next two days, once per meeting (safe to run
    twice: the meeting is marked in the transaction that mails)."""
    sent = 0
    for pk in list(selectors.meetings_to_remind(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            meeting = (
                selectors.meetings_to_remind(now=now)
                .select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if meeting is None:
                continue
            meeting.reminded_at = timezone.now()
            meeting.save(update_fields=["reminded_at"])
            compose = partial(emails.reminder_compose, meeting, link=meeting_link(meeting))
            mail_send(to=list(selectors.entitled_members(meeting=meeting)), compose=compose)
            audit_record(actor_id=None, action="meeting.remind", target=meeting)
            sent += 1
    return sent


# --- before and at the meeting ------------------------------------------------------------------


def _entitled(meeting: Meeting, member: Member, field: str = "member") -> None:
    if not selectors.is_entitled(meeting=meeting, member=member):
        raise field_error(
            field,
            _("%(name)s is voor deze vergadering niet stemgerechtigd.") % {"name": member.name},
            "not_entitled",
        )


def rsvp_set(*, actor: Member, meeting: Meeting, answer: str) -> Rsvp:
    if answer not in Rsvp.Answer.values:
        raise field_error("answer", _("Kies of u komt."), "invalid_choice")
    if meeting.status != Meeting.Status.CONVENED:
        raise field_error(
            None, _("Voor deze vergadering kunt u zich niet meer aanmelden."), "closed"
        )
    _entitled(meeting, actor)
    with transaction.atomic():
        rsvp, _created = Rsvp.objects.update_or_create(
            meeting=meeting, member=actor, defaults={"answer": answer, "updated_at": timezone.now()}
        )
        audit_record(actor_id=actor.pk, action="meeting.rsvp", target=meeting, summary=answer)
    return rsvp


def _may_manage(actor: Member | None) -> bool:
    return actor is None or can(actor, "meeting.manage")


def attendance_register(
    *, actor: Member | None, meeting: Meeting, member: Member, present: bool = True
) -> Meeting:
    """Sign a member in (or out) of the attendance register. The first signature opens the
    meeting: it is then being held."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in _RUNNING:
            raise field_error(None, _("Deze vergadering is niet bezig."), "not_running")
        _entitled(meeting, member)
        if present:
            _row, created = Attendance.objects.get_or_create(
                meeting=meeting, member=member, defaults={"recorded_by_id": actor_id(actor)}
            )
        else:
            created = bool(Attendance.objects.filter(meeting=meeting, member=member).delete()[0])
        if meeting.status == Meeting.Status.CONVENED:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status"])
        if created:
            audit_record(
                actor_id=actor_id(actor),
                action="attendance.register" if present else "attendance.remove",
                target=meeting,
                summary=str(member.pk),
            )
    return meeting


def proxy_grant(
    *, actor: Member | None, meeting: Meeting, grantor: Member, holder: Member
) -> Proxy:
    """A written proxy: ``holder`` votes for ``grantor``. The grantor gives it themselves, or
    the secretary records a signed paper one. Within the statutes' limit per holder."""
    if actor is not None and actor.pk != grantor.pk and not _may_manage(actor):
        raise field_error("grantor", _("U kunt alleen zelf iemand machtigen."), "not_yours")
    statutes = statutes_current()
    if not statutes.proxies_allowed:
        raise field_error(None, _("De statuten staan machtigingen niet toe."), "not_allowed")
    if grantor.pk == holder.pk:
        raise field_error("holder", _("U kunt uzelf niet machtigen."), "self")
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in _RUNNING:
            raise field_error(None, _("Voor deze vergadering kan dat niet meer."), "not_running")
        _entitled(meeting, grantor, "grantor")
        _entitled(meeting, holder, "holder")
        if Proxy.objects.filter(meeting=meeting, grantor=grantor).exists():
            raise field_error(
                "grantor", _("U heeft voor deze vergadering al iemand gemachtigd."), "already"
            )
        if Proxy.objects.filter(meeting=meeting, grantor=holder).exists():
            raise field_error(
                "holder",
                _("%(name)s heeft zelf iemand gemachtigd.") % {"name": holder.name},
                "holder_gave_proxy",
            )
        held = Proxy.objects.filter(meeting=meeting, holder=holder).count()
        if held >= statutes.proxies_per_member:
            raise field_error(
                "holder",
                _(
                    "%(name)s heeft al %(n)s machtiging(en); de statuten staan er %(max)s per "
                    "lid toe."
                )
                % {"name": holder.name, "n": held, "max": statutes.proxies_per_member},
                "proxy_limit",
            )
        proxy = Proxy.objects.create(
            meeting=meeting, grantor=grantor, holder=holder, recorded_by_id=actor_id(actor)
        )
        audit_record(
            actor_id=actor_id(actor),
            action="proxy.grant",
            target=proxy,
            summary=f"{grantor.pk}->{holder.pk}",
        )
    return proxy


# --- votes --------------------------------------------------------------------------------------


def _voter(
    item: AgendaItem, actor: Member, for_member: Member | None, electronically: bool
) -> tuple[Member, bool]:
    """Whose vote this is, and whether it is cast by proxy; refuses what may not be cast."""
    meeting = item.meeting
    meeting.refresh_from_db(fields=["status", "starts_at"])
    if not item.votes:
        raise field_error(None, _("Over dit agendapunt wordt niet gestemd."), "no_vote")
    if item.decision_id is not None:
        raise field_error(None, _("De uitslag van dit punt is al vastgelegd."), "recorded")
    if meeting.status not in _RUNNING:
        raise field_error(None, _("Op deze vergadering kan niet gestemd worden."), "not_running")
    voter = for_member or actor
    by_proxy = False
    if for_member is not None and for_member.pk != actor.pk:
        has_proxy = Proxy.objects.filter(meeting=meeting, grantor=for_member, holder=actor)
        if has_proxy.exists():
            by_proxy = True
        elif electronically or not _may_manage(actor):
            raise field_error(
                "member",
                _("U heeft geen machtiging van %(name)s.") % {"name": for_member.name},
                "no_proxy",
            )
    _entitled(meeting, voter)
    if electronically:
        statutes = statutes_current()
        if not statutes.electronic_voting:
            raise field_error(
                None, _("De statuten staan elektronisch stemmen niet toe."), "evoting_not_allowed"
            )
        if not selectors.evoting_open(item=item):
            raise field_error(
                None, _("Online stemmen over dit punt is nu niet open."), "evoting_closed"
            )
    elif not _may_manage(actor) or selectors.meeting_day(meeting) > timezone.localdate():
        raise field_error(
            None, _("In de zaal wordt gestemd op de dag van de vergadering."), "not_today"
        )
    return voter, by_proxy


def vote_cast_open(
    *,
    actor: Member,
    item: AgendaItem,
    choice: str,
    for_member: Member | None = None,
    electronically: bool = True,
) -> OpenVote:
    """An open vote: online by the member (or the holder of their proxy), or a hand in the
    room recorded by the secretary. A vote cast before the meeting counts as cast at it."""
    if choice not in Choice.values:
        raise field_error("choice", _("Kies voor, tegen of onthouding."), "invalid_choice")
    if item.vote_mode != AgendaItem.VoteMode.OPEN:
        raise field_error(None, _("Over dit punt wordt geheim gestemd."), "secret")
    voter, by_proxy = _voter(item, actor, for_member, electronically)
    try:
        with transaction.atomic():
            vote = OpenVote.objects.create(
                item=item,
                member=voter,
                cast_by=actor,
                by_proxy=by_proxy,
                choice=choice,
                cast_electronically=electronically,
            )
            audit_record(
                actor_id=actor.pk,
                action="vote.cast",
                target=item,
                summary=f"{voter.pk}:{choice}",
            )
    except IntegrityError:
        raise field_error(
            None, _("Voor dit lid is over dit punt al gestemd."), "already_voted"
        ) from None
    return vote


_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _receipt_code() -> str:
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _i in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _shuffle_ballots(item: AgendaItem) -> None:
    """Rewrite the item's ballots in random order, so the table's physical order does not
    tell which ballot came last (and so whose it was, next to the register)."""
    rows = list(Ballot.objects.filter(item=item).values_list("id", "choice", "receipt_code"))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(item=item).delete()
    Ballot.objects.bulk_create(
        [Ballot(id=pk, item=item, choice=choice, receipt_code=code) for pk, choice, code in rows]
    )


def ballot_cast_secret(
    *,
    actor: Member,
    item: AgendaItem,
    choice: str,
    for_member: Member | None = None,
    electronically: bool = True,
) -> str:
    """A secret ballot: the register notes who voted (once: the database refuses a second),
    the ballot what, with nothing that links the two. Returns the receipt code, shown once."""
    if choice not in Choice.values:
        raise field_error("choice", _("Kies voor, tegen of onthouding."), "invalid_choice")
    if item.vote_mode != AgendaItem.VoteMode.SECRET:
        raise field_error(None, _("Over dit punt wordt open gestemd."), "open")
    voter, by_proxy = _voter(item, actor, for_member, electronically)
    try:
        with transaction.atomic():
            BallotRegister.objects.create(
                item=item, member=voter, by_proxy=by_proxy, cast_electronically=electronically
            )
            code = _receipt_code()
            Ballot.objects.create(item=item, choice=choice, receipt_code=code)
            _shuffle_ballots(item)
            # Who voted, never what.
            audit_record(
                actor_id=actor.pk, action="ballot.cast", target=item, summary=str(voter.pk)
            )
    except IntegrityError:
        raise field_error(
            None, _("Voor dit lid is over dit punt al gestemd."), "already_voted"
        ) from None
    return code


def _ensure_minutes(actor: Member | None, meeting: Meeting) -> Minutes:
    """The draft minutes of this meeting, which its decisions are recorded in (and become
    final when the next meeting approves them)."""
    if meeting.minutes is None:
        meeting.minutes = minutes_save(
            actor=actor, body=meeting.body, held_on=selectors.meeting_day(meeting), text=""
        )
        meeting.save(update_fields=["minutes"])
    return meeting.minutes


def item_record_result(
    *,
    actor: Member | None,
    item: AgendaItem,
    hall_for: int = 0,
    hall_against: int = 0,
    hall_abstain: int = 0,
    outcome: str | None = None,
    text: str = "",
) -> Decision:
    """Record the result of an agenda item as a decision of the meeting's body: the votes
    cast (online, by proxy, recorded in the room) plus the hands the secretary counted in the
    room, decided by the majority rule of the item's kind. An adopted proposal is put into
    effect, and an adopted approval of the previous minutes approves them, all in the same
    transaction (a proposal that turns out invalid leaves no decision either)."""
    if min(hall_for, hall_against, hall_abstain) < 0:
        raise field_error("hall_for", _("Een aantal stemmen is nooit negatief."), "negative")
    with transaction.atomic():
        meeting = _locked(item.meeting)
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.decision_id is not None:
            raise field_error(None, _("De uitslag van dit punt is al vastgelegd."), "recorded")
        if meeting.status not in _RUNNING:
            raise field_error(None, _("Deze vergadering is niet bezig."), "not_running")
        if selectors.meeting_day(meeting) > timezone.localdate():
            raise field_error(
                None, _("De uitslag wordt vastgelegd op de dag van de vergadering."), "not_today"
            )
        quorum = selectors.quorum_check(meeting=meeting)
        if not quorum.reached:
            raise field_error(
                None,
                _(
                    "Het quorum is niet gehaald: %(counted)s van de %(needed)s leden die nodig "
                    "zijn, zijn aanwezig of vertegenwoordigd."
                )
                % {"counted": quorum.counted, "needed": quorum.needed},
                "no_quorum",
            )
        counts: dict[str, int | None] = {"for": None, "against": None, "abstain": None}
        if item.votes:
            cast = selectors.tally(item=item)
            counts = {
                "for": cast["for"] + hall_for,
                "against": cast["against"] + hall_against,
                "abstain": cast["abstain"] + hall_abstain,
            }
        elif outcome not in Decision.Outcome.values:
            raise field_error("outcome", _("Kies: aangenomen of verworpen."), "outcome_required")
        if meeting.status == Meeting.Status.CONVENED:
            meeting.status = Meeting.Status.HELD
            meeting.save(update_fields=["status"])
        decision = decision_record(
            actor=actor,
            body=meeting.body,
            decided_on=selectors.meeting_day(meeting),
            title=item.title,
            text=(text or "").strip() or item.explanation or item.title,
            kind=item.kind,
            votes_for=counts["for"],
            votes_against=counts["against"],
            votes_abstain=counts["abstain"],
            outcome=None if item.votes else outcome,
            minutes=_ensure_minutes(actor, meeting),
        )
        if decision.adopted and item.proposal:
            decision_effect_apply(decision=decision, proposal=item.proposal, actor=actor)
            decision.refresh_from_db()
        if (
            decision.adopted
            and item.kind == Decision.Kind.MINUTES
            and meeting.previous_minutes is not None
        ):
            minutes_approve(actor=actor, minutes=meeting.previous_minutes, decision=decision)
        item.decision = decision
        item.save(update_fields=["decision"])
        audit_record(
            actor_id=actor_id(actor),
            action="agenda_item.record",
            target=item,
            summary=f"{decision.number} {decision.outcome}",
        )
    return decision


def meeting_close(*, actor: Member | None, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.HELD:
            raise field_error(None, _("Alleen een gehouden vergadering sluit u af."), "not_held")
        meeting.status = Meeting.Status.CLOSED
        meeting.save(update_fields=["status"])
        audit_record(actor_id=actor_id(actor), action="meeting.close", target=meeting)
    return meeting


def meeting_minutes_save(*, actor: Member | None, meeting: Meeting, text: str) -> Minutes:
    """Draft the minutes of this meeting (they go out with the next convocation)."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status not in (Meeting.Status.HELD, Meeting.Status.CLOSED):
            raise field_error(
                "text", _("Notulen schrijft u na het begin van de vergadering."), "not_held"
            )
        return minutes_save(
            actor=actor,
            body=meeting.body,
            held_on=selectors.meeting_day(meeting),
            text=text,
            minutes=_ensure_minutes(actor, meeting),
        )
