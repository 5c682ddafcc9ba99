"""Who settles what a confirmed service owes, and who may stop a paid klus being planned.

The marketplace records what a confirmed service owes (``CompensationDue``: points, euros) and
hands each due to the settler of its kind: the points ledger (``cooperatives.points``) books
points, billing (``billing.klussen``) takes euros. The marketplace itself imports neither: each
settler registers here when Django starts (its ``AppConfig.ready``), so the dependencies point
one way, from the settlers to the marketplace. A kind nobody settles stays owed, and a settler
that lands later finds it (nothing recorded before it existed is lost).

A settler may also take the requester's approval of the quality for a due it holds pending
(``quality_approver_register``): the points ledger holds points for approval when the rules
ask it, and books them when the requester approves on the service page.

Billing also guards planning: a volunteer who reached the yearly allowance limit may not be
planned for another paid klus (``allowance_guard_register``).

Billing reaches this module only through ``cooperatives.settlement``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cooperatives.marketplace.models import CompensationDue
    from cooperatives.members.models import Member

Settle = Callable[["CompensationDue"], object]
# approve(due, actor): book what was held for the recipient's approval of the quality.
Approve = Callable[["CompensationDue", "Member"], object]


@dataclass(frozen=True)
class AllowanceGuard:
    """``reached(volunteer, year)``: may no further paid klus be planned for them that year;
    ``check_plannable(volunteer, year)``: the same as a refusal with the reason in Dutch."""

    reached: Callable[[Member, int], bool]
    check_plannable: Callable[[Member, int], None]


_settlers: dict[str, Settle] = {}
_approvers: dict[str, Approve] = {}
_allowance_guard: AllowanceGuard | None = None


def settler_register(*, kind: str, settle: Settle) -> None:
    """``settle(due)`` takes a due of ``kind`` (a ``CompensationDue.Kind``); it must be
    idempotent: a confirmed service may be recorded again."""
    _settlers[kind] = settle


def settler_for(kind: str) -> Settle | None:
    return _settlers.get(kind)


def quality_approver_register(*, kind: str, approve: Approve) -> None:
    """``approve(due, actor)`` books a due of ``kind`` that waits for the recipient's approval
    of the quality (idempotent: an approved due is left alone)."""
    _approvers[kind] = approve


def quality_approver_for(kind: str) -> Approve | None:
    return _approvers.get(kind)


def allowance_guard_register(guard: AllowanceGuard) -> None:
    global _allowance_guard
    _allowance_guard = guard


def allowance_reached(*, volunteer: Member, year: int) -> bool:
    return _allowance_guard is not None and _allowance_guard.reached(volunteer, year)


def allowance_check_plannable(*, volunteer: Member, year: int) -> None:
    if _allowance_guard is not None:
        _allowance_guard.check_plannable(volunteer, year)
