"""The settlement interface: the one place where billing meets the cooperative apps.

Billing imports from the cooperative apps only what this module names (``.importlinter``
holds it to that):
- the records a klus in euros is about: the member, the service, what the service owes;
- the house rules in force (a klus's euro rate per hour; whether they pay in euros at all);
- ``due_mark_settled``: billing marks a due settled once the euros are in;
- the hooks through which the marketplace hands billing what it needs billing for: the euros a
  confirmed service owes (``settler_register``) and the allowance limit that stops a paid klus
  being planned (``allowance_guard_register``). Billing registers them when Django starts
  (``billing.klussen.apps``), so the cooperative apps never import billing;
- ``report_section_register``: billing adds its sections to the annual report (the klussen in
  euros, as the monthly statements sum them, and the subscription), from ``billing.apps``;
- the decisions register: the yearly allowance amounts take effect only through a decision of
  the body the statutes name for them (``decision_check``, ``decisions_open_for``), and an
  adopted decision can set them (``effect_register``);
- who holds a board role through a seat today (``members_with_seat_role``): the treasurer
  refunds a double payment;
- ``figure_group_register`` and ``Cell``: billing computes the klussen group of the networks'
  figures (euros and hours of paid klussen) and registers it from ``billing.klussen.apps``;
- ``export_section_register``: billing adds a member's klussen and allowance totals to the
  member's own export (AVG art. 15 and 20), and ``member_erase_step_register`` removes the
  free text of their klussen when the member is erased (art. 17), from ``billing.klussen.apps``.
"""

from cooperatives.annual_report.sections import report_section_register
from cooperatives.decisions.selectors import decision_get, decisions_open_for
from cooperatives.decisions.services import decision_check
from cooperatives.figures.cells import Cell
from cooperatives.figures.registry import figure_group_register
from cooperatives.governance.effects import Effect, effect_register
from cooperatives.governance.models import Decision
from cooperatives.governance.selectors import members_with_seat_role
from cooperatives.marketplace.hooks import (
    AllowanceGuard,
    allowance_guard_register,
    settler_register,
)
from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.marketplace.services import due_mark_settled
from cooperatives.members.erasure import member_erase_step_register
from cooperatives.members.export import export_section_register
from cooperatives.members.models import Member
from cooperatives.rules.selectors import rulebook_current, rulebook_pays_in

__all__ = [
    "AllowanceGuard",
    "Cell",
    "CompensationDue",
    "Decision",
    "Effect",
    "Member",
    "Service",
    "allowance_guard_register",
    "decision_check",
    "decision_get",
    "decisions_open_for",
    "due_mark_settled",
    "effect_register",
    "export_section_register",
    "figure_group_register",
    "member_erase_step_register",
    "members_with_seat_role",
    "report_section_register",
    "rulebook_current",
    "rulebook_pays_in",
    "settler_register",
]
