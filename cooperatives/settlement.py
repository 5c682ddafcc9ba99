"""The one interface through which a confirmed service settles its compensation.

The marketplace calls ``compensation_record`` when a requester confirms a service. It works out
what is owed under the rulebook version the service was made under and records it as
CompensationDue rows. The points ledger and billing are the settlers: when they land they take
the owed rows and mark them settled, so nothing recorded before they existed is lost. Points
are settled by the ledger (cooperatives.points) as soon as they are recorded; euros wait for
billing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from cooperatives.marketplace.models import CompensationDue, Service
from cooperatives.rules.models import Compensation

CENT = Decimal("0.01")


def _share(amount: Decimal, percent: Decimal | None) -> Decimal:
    return (amount * (percent or Decimal("0")) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def compensation_amounts(*, service: Service, hours: Decimal) -> dict[str, tuple[Decimal, Decimal]]:
    """{kind: (amount, the cooperative's share)} for ``hours`` under the service's rulebook."""
    rulebook = service.rulebook
    out: dict[str, tuple[Decimal, Decimal]] = {}
    if rulebook is None:
        return out
    if (
        service.compensation in (Compensation.POINTS, Compensation.BOTH)
        and rulebook.points_per_hour
    ):
        points = (hours * rulebook.points_per_hour).quantize(CENT, rounding=ROUND_HALF_UP)
        out[CompensationDue.Kind.POINTS] = (points, _share(points, rulebook.share_points_percent))
    if (
        service.compensation in (Compensation.EUROS, Compensation.BOTH)
        and rulebook.euro_rate_per_hour
    ):
        euros = (hours * rulebook.euro_rate_per_hour).quantize(CENT, rounding=ROUND_HALF_UP)
        out[CompensationDue.Kind.EUROS] = (euros, _share(euros, rulebook.share_euro_percent))
    return out


@transaction.atomic
def compensation_record(*, service: Service) -> list[CompensationDue]:
    """Record what the confirmed ``service`` owes. Idempotent: calling it again returns the
    rows already recorded (one per kind, enforced by a unique constraint)."""
    dues = []
    for kind, (amount, share) in compensation_amounts(
        service=service, hours=service.registered_hours
    ).items():
        due, _created = CompensationDue.objects.get_or_create(
            service=service,
            kind=kind,
            defaults={
                "amount": amount,
                "cooperative_share": share,
                "payer_id": service.requester_id,
                "payee_id": service.volunteer_id,
                "rulebook_id": service.rulebook_id,
            },
        )
        dues.append(due)
        if kind == CompensationDue.Kind.POINTS and due.status == CompensationDue.Status.OWED:
            _settle_points(due)
        if kind == CompensationDue.Kind.EUROS:
            _record_klus(due)
    return dues


def _record_klus(due: CompensationDue) -> None:
    """Billing takes the euros: one KlusPayment per euro due (idempotent); it settles the due
    once the money is in (cash confirmed, or paid online)."""
    from billing.klussen.services import klus_payment_record

    klus_payment_record(due=due)


def _settle_points(due: CompensationDue) -> None:
    """The points ledger settles points right away (or holds them pending when the rules let
    the recipient approve the quality first; transfer_decide settles them then)."""
    from cooperatives.points.models import Transfer
    from cooperatives.points.services import service_payment

    transfer = service_payment(due=due)
    if transfer.status == Transfer.Status.BOOKED:
        due_mark_settled(service_id=due.service_id, kind=CompensationDue.Kind.POINTS)


def due_mark_settled(*, service_id: int, kind: str) -> int:
    return CompensationDue.objects.filter(
        service_id=service_id, kind=kind, status=CompensationDue.Status.OWED
    ).update(status=CompensationDue.Status.SETTLED, settled_at=timezone.now())
