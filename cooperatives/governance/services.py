"""Writes of the governance feature: seats and their terms, the statutes' settings, the
decisions register and minutes. Every write is logged; refusals are Dutch ValidationErrors and
leave nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.models import Body, Decision, Minutes, Seat, Statutes
from cooperatives.governance.selectors import (
    BOARD_BODIES,
    outcome_of,
    seats_active,
    statutes_current,
)
from cooperatives.members.models import Member, Role, RoleAssignment
from shared.audit.services import audit_changes, audit_record
from shared.validation import actor_id, field_error

_UNIQUE_POSITIONS = (Seat.Position.CHAIR, Seat.Position.SECRETARY, Seat.Position.TREASURER)


# --- bodies and seats --------------------------------------------------------------------------


def body_create_project_group(*, actor: Member | None, name: str) -> Body:
    name = " ".join((name or "").split())
    if not name:
        raise field_error("name", _("Geef de projectgroep een naam."), "required")
    body = Body.objects.create(kind=Body.Kind.PROJECT_GROUP, name=name[:120])
    audit_record(actor_id=actor_id(actor), action="body.create", target=body, summary=body.name)
    return body


def _overlaps(qs: Any, start: dt.date, end: dt.date | None) -> Any:
    # Two terms [a, b) and [c, d) overlap when a < d and c < b (open ends run forever).
    qs = qs.exclude(end__isnull=False, end__lte=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs


def seat_assign(
    *,
    actor: Member | None,
    body: Body,
    member: Member,
    position: str,
    start: dt.date,
    end: dt.date | None = None,
    decision: Decision | None = None,
) -> Seat:
    """Give a member a seat in a body for a term. The board roles of the permission layer
    follow seats (cooperatives.governance.selectors.seat_roles_of), so the rights start on
    ``start`` and stop on ``end`` without anyone having to remember."""
    if position not in Seat.Position.values:
        raise field_error("position", _("Kies een functie."), "invalid_choice")
    if body.kind == Body.Kind.ALV:
        raise field_error(
            "body", _("In de ALV heeft ieder lid een stem; daar zijn geen zetels."), "alv_no_seats"
        )
    if body.ended_on is not None:
        raise field_error("body", _("Dit orgaan is opgeheven."), "body_ended")
    if member.status != Member.Status.ACTIVE:
        raise field_error("member", _("Alleen een actief lid kan een zetel krijgen."), "inactive")
    if end is not None and end <= start:
        raise field_error(
            "end", _("Het einde van de termijn moet na het begin liggen."), "end_before_start"
        )
    with transaction.atomic():
        # Serialise seat changes of one body, so two secretaries cannot both slip in.
        Body.objects.select_for_update().get(pk=body.pk)
        if _overlaps(Seat.objects.filter(body=body, member=member), start, end).exists():
            raise field_error(
                "member",
                _("%(name)s heeft in die periode al een zetel in %(body)s.")
                % {"name": member.name, "body": body.name},
                "seat_overlaps",
            )
        if position in _UNIQUE_POSITIONS:
            taken = _overlaps(Seat.objects.filter(body=body, position=position), start, end)
            if taken.exists():
                raise field_error(
                    "position",
                    _("Die functie is in die periode al bezet; beëindig eerst die termijn."),
                    "position_taken",
                )
        seat = Seat.objects.create(
            body=body,
            member=member,
            position=position,
            start=start,
            end=end,
            decision=decision,
            created_by_id=actor_id(actor),
        )
        audit_record(
            actor_id=actor_id(actor),
            action="seat.assign",
            target=seat,
            summary=f"{body.kind}:{position}",
            changes={"member": [None, member.pk], "start": [None, start.isoformat()]},
        )
    return seat


def _check_board_remains(seat: Seat, end: dt.date) -> None:
    """Someone must be able to run the cooperative: a term in a board that ends now (or
    already) cannot be the last board seat unless an administrator remains."""
    if seat.body.kind not in BOARD_BODIES or end > timezone.localdate():
        return
    active = Member.Status.ACTIVE
    other_seats = seats_active().filter(body__kind__in=BOARD_BODIES, member__status=active)
    administrators = RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, member__status=active)
    if not other_seats.exclude(pk=seat.pk).exists() and not administrators.exists():
        raise field_error(
            "end",
            _(
                "Dit is het laatste bestuurslid of de laatste beheerder; wijs eerst iemand "
                "anders aan."
            ),
            "last_governor",
        )


def seat_end(
    *, actor: Member | None, seat: Seat, end: dt.date, board_checked: bool = False
) -> Seat:
    """End a term: ``end`` is the first day without the seat (today: the rights stop now).
    A term ended on the day it begins never was: the seat is withdrawn (the audit log keeps
    that it was given and taken back). The last board seat cannot end unless an administrator
    remains; ``board_checked``: the caller (the members' role page, which may give another
    board seat in the same step) has checked that already."""
    if end == seat.start:
        with transaction.atomic():
            seat = Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)
            if not board_checked:
                _check_board_remains(seat, end)
            audit_record(
                actor_id=actor_id(actor),
                action="seat.end",
                target=seat,
                summary=f"{seat.body.kind}:{seat.position}",
                changes={
                    "end": [seat.end.isoformat() if seat.end else None, end.isoformat()],
                    "member": [seat.member_id, seat.member_id],
                },
            )
            seat.delete()
        return seat
    if end <= seat.start:
        raise field_error(
            "end", _("Het einde van de termijn moet na het begin liggen."), "end_before_start"
        )
    with transaction.atomic():
        seat = Seat.objects.select_for_update().select_related("body").get(pk=seat.pk)
        if not board_checked:
            _check_board_remains(seat, end)
        before = seat.end
        seat.end = end
        seat.save(update_fields=["end"])
        audit_record(
            actor_id=actor_id(actor),
            action="seat.end",
            target=seat,
            summary=f"{seat.body.kind}:{seat.position}",
            # The member the term was of (unchanged; named so the log can say whose).
            changes={
                "end": [before.isoformat() if before else None, end.isoformat()],
                "member": [seat.member_id, seat.member_id],
            },
        )
    return seat


def seat_end_all(*, actor: Member | None, member: Member) -> int:
    """End every term of a member who leaves or is erased, today (a term that had not begun
    yet is withdrawn). Returns how many seats it ended. The caller has checked that someone
    still governs (members' leave and erase refuse the last board member)."""
    today = timezone.localdate()
    open_seats = Seat.objects.filter(member=member).exclude(end__isnull=False, end__lte=today)
    count = 0
    for seat in open_seats.order_by("id"):
        seat_end(actor=actor, seat=seat, end=max(today, seat.start), board_checked=True)
        count += 1
    return count


# --- statutes ----------------------------------------------------------------------------------

STATUTES_FIELDS = (
    "convocation_days",
    "quorum_percent",
    "qualified_numerator",
    "qualified_denominator",
    "proxies_allowed",
    "proxies_per_member",
    "electronic_participation",
    "electronic_voting",
    "rules_decided_by",
    "agreements_decided_by",
    "allowance_decided_by",
    "network_decided_by",
)


def statutes_update(*, actor: Member | None, changes: Mapping[str, Any]) -> Statutes:
    unknown = set(changes) - set(STATUTES_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("Dit veld bestaat niet."), "unknown_field")
    with transaction.atomic():
        statutes = statutes_current()
        statutes = Statutes.objects.select_for_update().get(pk=statutes.pk)
        before = {f: getattr(statutes, f) for f in STATUTES_FIELDS}
        for field, value in changes.items():
            setattr(statutes, field, value)
        if statutes.qualified_numerator > statutes.qualified_denominator:
            raise field_error(
                "qualified_numerator",
                _("De teller van de gekwalificeerde meerderheid is hoogstens de noemer."),
                "numerator_above_denominator",
            )
        if statutes.electronic_voting and not statutes.electronic_participation:
            raise field_error(
                "electronic_voting",
                _("Elektronisch stemmen kan alleen als elektronisch deelnemen is toegestaan."),
                "voting_needs_participation",
            )
        statutes.full_clean()
        statutes.updated_at = timezone.now()
        statutes.save()
        after = {f: getattr(statutes, f) for f in STATUTES_FIELDS}
        diff = audit_changes(before, after)
        if diff:
            audit_record(
                actor_id=actor_id(actor), action="statutes.update", target=statutes, changes=diff
            )
    return statutes


# --- decisions and minutes ---------------------------------------------------------------------


def _next_number(year: int) -> int:
    # The numbers of a year have no gaps and no doubles: one writer at a time per schema.
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE governance_decision IN SHARE ROW EXCLUSIVE MODE")
    last = Decision.objects.filter(year=year).order_by("-sequence").first()
    return (last.sequence if last else 0) + 1


def decision_record(
    *,
    actor: Member | None,
    body: Body,
    decided_on: dt.date,
    title: str,
    text: str,
    kind: str = Decision.Kind.ORDINARY,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    outcome: str | None = None,
    effects: Iterable[Mapping[str, Any]] = (),
    minutes: Minutes | None = None,
    corrects: Decision | None = None,
) -> Decision:
    """Enter a decision in the register. With vote counts the outcome follows from the
    majority rule of its kind; without counts (a decision by consensus) ``outcome`` says it."""
    title, text = " ".join((title or "").split()), (text or "").strip()
    if not title:
        raise field_error("title", _("Geef het besluit een onderwerp."), "required")
    if not text:
        raise field_error("text", _("Schrijf op wat er besloten is."), "required")
    if kind not in Decision.Kind.values:
        raise field_error("kind", _("Kies de soort besluit."), "invalid_choice")
    if kind in Decision.QUALIFIED and body.kind != Body.Kind.ALV:
        raise field_error(
            "kind",
            _("Over de statuten en ontbinding besluit alleen de ALV."),
            "alv_only",
        )
    counts = (votes_for, votes_against, votes_abstain)
    if any(c is not None for c in counts):
        if votes_for is None or votes_against is None:
            raise field_error(
                "votes_for", _("Vul het aantal stemmen voor en tegen in."), "counts_incomplete"
            )
        if any(c is not None and c < 0 for c in counts):
            raise field_error("votes_for", _("Een aantal stemmen is nooit negatief."), "negative")
        outcome = outcome_of(kind=kind, votes_for=votes_for, votes_against=votes_against)
    elif outcome not in Decision.Outcome.values:
        raise field_error("outcome", _("Kies: aangenomen of verworpen."), "outcome_required")
    if minutes is not None and minutes.status == Minutes.Status.APPROVED:
        raise field_error("minutes", _("Deze notulen zijn al vastgesteld."), "minutes_approved")
    with transaction.atomic():
        sequence = _next_number(decided_on.year)
        decision = Decision.objects.create(
            number=f"{decided_on.year}-{sequence:03d}",
            year=decided_on.year,
            sequence=sequence,
            body=body,
            decided_on=decided_on,
            kind=kind,
            title=title[:200],
            text=text,
            outcome=outcome,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            effects=[dict(e) for e in effects],
            minutes=minutes,
            corrects=corrects,
            recorded_by_id=actor_id(actor),
        )
        audit_record(
            actor_id=actor_id(actor),
            action="decision.record",
            target=decision,
            summary=f"{decision.number} {outcome}",
        )
    return decision


def decision_effect_add(
    *, actor: Member | None, decision: Decision, kind: str, ref: int | str, label: str
) -> Decision:
    """Note what an adopted decision put into effect (a rulebook version, an agreement...)."""
    if not decision.adopted:
        raise ValidationError(
            _("Een verworpen besluit brengt niets in werking."), code="decision_rejected"
        )
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.final_at is not None:
            raise ValidationError(
                _("Dit besluit staat in vastgestelde notulen en verandert niet meer."),
                code="decision_final",
            )
        decision.effects = [*decision.effects, {"kind": kind, "id": ref, "label": label}]
        decision.save(update_fields=["effects"])
        audit_record(
            actor_id=actor_id(actor),
            action="decision.effect",
            target=decision,
            summary=f"{kind}:{ref}",
        )
    return decision


def minutes_save(
    *,
    actor: Member | None,
    body: Body,
    held_on: dt.date,
    text: str,
    minutes: Minutes | None = None,
) -> Minutes:
    """Draft (or redraft) the minutes of a meeting; approved minutes do not change."""
    with transaction.atomic():
        if minutes is None:
            minutes = Minutes.objects.create(body=body, held_on=held_on, text=text)
            action = "minutes.draft"
        else:
            minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
            if minutes.status == Minutes.Status.APPROVED:
                raise ValidationError(
                    _("Vastgestelde notulen veranderen niet meer."), code="minutes_approved"
                )
            minutes.text, minutes.held_on = text, held_on
            minutes.updated_at = timezone.now()
            minutes.save(update_fields=["text", "held_on", "updated_at"])
            action = "minutes.edit"
        audit_record(actor_id=actor_id(actor), action=action, target=minutes)
    return minutes


def minutes_send(*, actor: Member | None, minutes: Minutes) -> Minutes:
    """Mark the draft as sent (it goes out with the next meeting's convocation)."""
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status == Minutes.Status.DRAFT:
            minutes.status = Minutes.Status.SENT
            minutes.save(update_fields=["status"])
            audit_record(actor_id=actor_id(actor), action="minutes.send", target=minutes)
    return minutes


def minutes_approve(*, actor: Member | None, minutes: Minutes, decision: Decision) -> Minutes:
    """The minutes are approved by ``decision`` (of the next meeting): from now on the
    decisions they record are final, and the database refuses to change them."""
    if not decision.adopted or decision.kind != Decision.Kind.MINUTES:
        raise field_error(
            "decision",
            _("Notulen worden vastgesteld met een aangenomen besluit tot vaststelling."),
            "wrong_decision",
        )
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.status == Minutes.Status.APPROVED:
            return minutes
        now = timezone.now()
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_on = decision.decided_on
        minutes.approved_by = decision
        minutes.save(update_fields=["status", "approved_on", "approved_by"])
        Decision.objects.filter(minutes=minutes, final_at__isnull=True).update(final_at=now)
        audit_record(
            actor_id=actor_id(actor),
            action="minutes.approve",
            target=minutes,
            summary=decision.number,
        )
    return minutes
