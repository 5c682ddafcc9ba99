"""Writes of the decisions register that go beyond one governance service: a decision that
adopts a change (picked from the register or recorded on the spot, with the change in the same
transaction), a correction, and minutes approved by a decision recorded on the spot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperatives.governance.effects import decision_effect_apply
from cooperatives.governance.models import Decision, Minutes
from cooperatives.governance.selectors import body_deciding
from cooperatives.governance.services import decision_record, minutes_approve
from cooperatives.members.models import Member
from shared.validation import field_error


def decision_adopting(
    *,
    actor: Member | None,
    subject: str,
    proposal: Mapping[str, Any],
    title: str,
    text: str,
    kind: str,
    decision: Decision | None = None,
    decided_on: dt.date | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
) -> Decision:
    """Put ``proposal`` ({effect kind: payload}) into effect through a decision of the body
    the statutes name for ``subject``: ``decision`` from the register, or a new one recorded
    now (on ``decided_on``, unanimous without counts). Both in one transaction: a change that
    is refused leaves no decision, a decision refused leaves no change."""
    with transaction.atomic():
        if decision is None:
            if decided_on is None:
                raise field_error(
                    "decision",
                    _(
                        "Deze wijziging gaat pas in met een besluit. Kies het besluit uit de "
                        "besluitenlijst, of leg het vast."
                    ),
                    "decision_required",
                )
            counted = votes_for is not None or votes_against is not None
            decision = decision_record(
                actor=actor,
                body=body_deciding(subject=subject),
                decided_on=decided_on,
                title=title,
                text=text,
                kind=kind,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                outcome=None if counted else Decision.Outcome.ADOPTED,
            )
            if not decision.adopted:
                raise field_error(
                    "votes_for",
                    _(
                        "Met deze stemmen is het voorstel verworpen: er gaat niets in. "
                        "Controleer de aantallen."
                    ),
                    "rejected",
                )
        elif not decision.adopted:
            raise field_error(
                "decision",
                _("Besluit %(n)s is verworpen; het brengt niets in werking.")
                % {"n": decision.number},
                "decision_rejected",
            )
        decision_effect_apply(decision=decision, proposal=proposal, actor=actor)
        decision.refresh_from_db()
    return decision


def decision_correct(
    *,
    actor: Member | None,
    corrects: Decision,
    decided_on: dt.date,
    title: str,
    text: str,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    outcome: str | None = None,
    minutes: Minutes | None = None,
) -> Decision:
    """A correction is a new decision of the same body that names the one it corrects: the
    old one stays as it was (once final, the database would refuse any change)."""
    if decided_on < corrects.decided_on:
        raise field_error(
            "decided_on",
            _("Een correctie kan niet eerder zijn dan het besluit dat zij verbetert (%(d)s).")
            % {"d": corrects.decided_on.strftime("%d-%m-%Y")},
            "before_corrected",
        )
    return decision_record(
        actor=actor,
        body=corrects.body,
        decided_on=decided_on,
        title=title,
        text=text,
        kind=corrects.kind,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        outcome=outcome,
        minutes=minutes,
        corrects=corrects,
    )


def minutes_approve_by_decision(
    *,
    actor: Member | None,
    minutes: Minutes,
    decision: Decision | None = None,
    decided_on: dt.date | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
) -> Minutes:
    """Approve minutes through ``decision`` (kind "minutes"), or through one recorded now for
    the body whose minutes they are. Refused for a draft that was never sent."""
    if minutes.status == Minutes.Status.DRAFT:
        raise field_error(
            None,
            _("Verstuur de notulen eerst; ze worden vastgesteld in de volgende vergadering."),
            "minutes_not_sent",
        )
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(
            _("Vastgestelde notulen veranderen niet meer."), code="minutes_approved"
        )
    with transaction.atomic():
        if decision is None:
            if decided_on is None:
                raise field_error(
                    "decision",
                    _("Kies het besluit tot vaststelling, of vul de datum van de vergadering in."),
                    "decision_required",
                )
            if decided_on < minutes.held_on:
                raise field_error(
                    "decided_on",
                    _("Notulen worden vastgesteld na de vergadering die ze beschrijven."),
                    "before_meeting",
                )
            counted = votes_for is not None or votes_against is not None
            decision = decision_record(
                actor=actor,
                body=minutes.body,
                decided_on=decided_on,
                kind=Decision.Kind.MINUTES,
                title=_("Vaststelling notulen %(body)s van %(d)s")
                % {"body": minutes.body.name, "d": minutes.held_on.strftime("%d-%m-%Y")},
                text=_("De notulen van de vergadering van %(d)s worden vastgesteld.")
                % {"d": minutes.held_on.strftime("%d-%m-%Y")},
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                outcome=None if counted else Decision.Outcome.ADOPTED,
            )
        return minutes_approve(actor=actor, minutes=minutes, decision=decision)


def decision_check(*, decision: Decision | None, subject: str) -> Decision:
    """The decision that puts a change about ``subject`` ("allowance", "agreements"...) into
    effect: present, adopted, of the body the statutes name for it, and not final yet (what it
    puts into effect is noted on it). Refused with a Dutch message under "decision"."""
    if decision is None:
        raise field_error(
            "decision",
            _(
                "Deze wijziging gaat pas in met een besluit. Kies het besluit uit de "
                "besluitenlijst, of leg het vast."
            ),
            "decision_required",
        )
    if not decision.adopted:
        raise field_error(
            "decision",
            _("Besluit %(n)s is verworpen; het brengt niets in werking.") % {"n": decision.number},
            "decision_rejected",
        )
    body = body_deciding(subject=subject)
    if decision.body_id != body.pk:
        raise field_error(
            "decision",
            _("Hierover besluit volgens de statuten: %(body)s (niet: %(other)s).")
            % {"body": body.name, "other": decision.body.name},
            "wrong_body",
        )
    if decision.final_at is not None:
        raise field_error(
            "decision",
            _("Besluit %(n)s staat in vastgestelde notulen en verandert niet meer.")
            % {"n": decision.number},
            "decision_final",
        )
    return decision
