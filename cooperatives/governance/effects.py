"""What an adopted decision puts into effect, by kind of proposal.

A proposal on an agenda item (or with a decision entered by hand) may carry a change to
something another feature owns: a rulebook version, an agreement with a partner, the yearly
allowance amounts, joining a network. Governance knows none of those features; each registers
how to apply its kind of proposal (from its app's ``ready``), and the decision records what was
put into effect. Applying happens in the same transaction as recording the decision, so a
proposal that turns out invalid leaves no decision either."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cooperatives.governance.models import Decision
from cooperatives.governance.services import decision_effect_add
from cooperatives.members.models import Member


@dataclass(frozen=True)
class Effect:
    """What was put into effect: kind ("rulebook"), the record's id and a label for people."""

    kind: str
    ref: int | str
    label: str


# apply(decision=..., proposal=..., actor=...) -> Effect
Apply = Callable[..., Effect]
_APPLY: dict[str, Apply] = {}


def effect_register(*, kind: str, apply: Apply) -> None:
    _APPLY[kind] = apply


def effect_kinds() -> frozenset[str]:
    return frozenset(_APPLY)


def decision_effect_apply(
    *, decision: Decision, proposal: Mapping[str, Any], actor: Member | None
) -> list[Effect]:
    """Apply each part of ``proposal`` ({kind: payload}) for an adopted decision and note it on
    the decision. Call inside the transaction that recorded the decision."""
    effects: list[Effect] = []
    if not decision.adopted:
        return effects
    for kind, payload in proposal.items():
        apply = _APPLY.get(kind)
        if apply is None:
            raise ValidationError(
                _("Onbekend soort voorstel: %(kind)s.") % {"kind": kind}, code="unknown_effect"
            )
        effect = apply(decision=decision, proposal=payload, actor=actor)
        decision_effect_add(
            actor=actor, decision=decision, kind=effect.kind, ref=effect.ref, label=effect.label
        )
        effects.append(effect)
    return effects
