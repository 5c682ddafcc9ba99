"""Writes of the proposals feature: submitting, supporting and handling project proposals, and
running the projects that approved proposals become. Every write is logged; refusals are Dutch
ValidationErrors and leave nothing written. The proposer is told of every step by email, after
the commit (``proposal_event_mail``, idempotent through ``ProposalEvent.notified_at``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial
from typing import Any

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.governance.models import Body, Decision, Seat
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import (
    body_create_project_group,
    decision_record,
    seat_assign,
)
from cooperatives.members.models import Member
from cooperatives.proposals.models import (
    Project,
    ProjectSpending,
    ProjectUpdate,
    Proposal,
    ProposalEvent,
    ProposalSupport,
)
from cooperatives.proposals.selectors import project_member_can_post
from cooperatives.setup.models import Partner
from shared import permissions
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import connection, queue_in
from shared.validation import actor_id, field_error

MAX_AMOUNT = Decimal("1000000")


def _text(value: str | None) -> str:
    return (value or "").strip()


def _amount(value: Any, *, field: str, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise field_error(field, _("Vul een bedrag in."), "required")
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError as error:
        raise field_error(field, _("Vul een bedrag in euro's in."), "invalid") from error
    if amount < 0 or (required and amount == 0):
        raise field_error(field, _("Een bedrag is groter dan nul."), "not_positive")
    if amount >= MAX_AMOUNT:
        raise field_error(field, _("Dat bedrag is te groot."), "too_large")
    return amount


# --- telling the proposer ------------------------------------------------------------------------


@shared_task(
    name="cooperatives.proposals.tasks.proposal_event_mail",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def proposal_event_mail(*, event_id: int) -> bool:
    return proposal_event_notify(event_id=event_id)


def _queue_notice(event: ProposalEvent) -> None:
    transaction.on_commit(
        partial(queue_in, proposal_event_mail, schema=connection.schema_name, event_id=event.pk)
    )


class _Address:
    def __init__(self, email: str, language: str = "") -> None:
        self.email, self.language = email, language


def _recipients(proposal: Proposal) -> list[Any]:
    """The proposer: the member who submitted it and, for a partner's proposal, the partner."""
    found: list[Any] = []
    if proposal.submitted_by.status == Member.Status.ACTIVE:
        found.append(proposal.submitted_by)
    if proposal.partner is not None and proposal.partner.email:
        found.append(_Address(proposal.partner.email))
    return found


def _notice_body(event: ProposalEvent) -> str:
    proposal = event.proposal
    names = {"title": proposal.title}
    lines = {
        Proposal.Status.RECEIVED: _(
            "Uw projectvoorstel “%(title)s” is ontvangen. Het bestuur gaat het behandelen; u "
            "hoort het bij elke stap."
        ),
        Proposal.Status.BEING_DISCUSSED: _(
            "Het bestuur bespreekt nu uw projectvoorstel “%(title)s”."
        ),
        Proposal.Status.APPROVED: _(
            "Het bestuur heeft uw projectvoorstel “%(title)s” goedgekeurd. Er is een project "
            "met een projectgroep voor gemaakt."
        ),
        Proposal.Status.DECLINED: _("Het bestuur heeft uw projectvoorstel “%(title)s” afgewezen."),
        Proposal.Status.SENT_TO_ALV: _(
            "Het bestuur legt uw projectvoorstel “%(title)s” voor aan de algemene "
            "ledenvergadering (ALV)."
        ),
    }
    parts = [lines[Proposal.Status(event.status)] % names]
    if event.status == Proposal.Status.APPROVED and proposal.conditions:
        parts.append(_("Voorwaarden:") + "\n" + proposal.conditions)
    if event.status == Proposal.Status.DECLINED:
        parts.append(_("Redenen:") + "\n" + proposal.reasons)
    if event.note and event.note not in (proposal.conditions, proposal.reasons):
        parts.append(_("Toelichting:") + "\n" + event.note)
    return "\n\n".join(parts)


@transaction.atomic
def proposal_event_notify(*, event_id: int) -> bool:
    """Mail the proposer about one step, once: the marker is set under the row's lock in the
    same transaction, so a task delivered twice mails once."""
    event = (
        ProposalEvent.objects.select_for_update(of=("self",))
        .select_related("proposal__submitted_by", "proposal__partner")
        .filter(pk=event_id, notified_at__isnull=True)
        .first()
    )
    if event is None:
        return False
    proposal = event.proposal
    link = cooperative_link(reverse("proposal-detail", args=[proposal.pk]))

    def compose() -> Mail:
        return Mail(
            subject=_("Uw projectvoorstel “%(title)s”: %(status)s")
            % {"title": proposal.title, "status": Proposal.Status(event.status).label},
            body=_notice_body(event),
            link=link,
            link_label=_("Bekijk uw voorstel"),
        )

    mail_send(to=_recipients(proposal), compose=compose, after_commit=False)
    event.notified_at = timezone.now()
    event.save(update_fields=["notified_at"])
    return True


# --- proposals -----------------------------------------------------------------------------------


def proposal_submit(
    *,
    actor: Member,
    title: str,
    description: str,
    contact: str,
    needs_volunteers: bool = False,
    needs_money: bool = False,
    needs_space: bool = False,
    needs_other: str = "",
    budget: Decimal | str | None = None,
    partner: Partner | None = None,
) -> Proposal:
    """A member submits a proposal; a coordinator (or the board) may submit one on behalf of a
    neighbourhood partner."""
    title, description, contact = (
        " ".join((title or "").split()),
        _text(description),
        _text(contact),
    )
    if not title:
        raise field_error("title", _("Geef het voorstel een titel."), "required")
    if not description:
        raise field_error("description", _("Beschrijf wat u wilt doen."), "required")
    if not contact:
        raise field_error("contact", _("Vul in hoe het bestuur u kan bereiken."), "required")
    amount = _amount(budget, field="budget", required=False)
    if partner is not None:
        if not permissions.can(actor, "proposal.submit_for_partner"):
            raise field_error(
                "partner",
                _(
                    "Alleen een coördinator of het bestuur dient een voorstel in namens een "
                    "partner."
                ),
                "not_allowed",
            )
        if not partner.is_active:
            raise field_error("partner", _("Deze partner is niet actief."), "inactive")
    with transaction.atomic():
        proposal = Proposal.objects.create(
            title=title[:200],
            description=description,
            contact=contact[:200],
            needs_volunteers=bool(needs_volunteers),
            needs_money=bool(needs_money),
            needs_space=bool(needs_space),
            needs_other=_text(needs_other),
            budget=amount,
            submitted_by=actor,
            partner=partner,
        )
        event = ProposalEvent.objects.create(
            proposal=proposal, status=Proposal.Status.RECEIVED, actor=actor
        )
        audit_record(
            actor_id=actor_id(actor),
            action="proposal.submit",
            target=proposal,
            summary=f"partner:{partner.pk}" if partner else "",
        )
        _queue_notice(event)
    return proposal


def proposal_support(*, actor: Member, proposal: Proposal) -> ProposalSupport:
    """A member supports an open proposal, once (the database refuses a second row)."""
    if not proposal.is_open:
        raise field_error(
            None, _("Dit voorstel is al behandeld; steunen kan niet meer."), "proposal_closed"
        )
    if ProposalSupport.objects.filter(proposal=proposal, member=actor).exists():
        raise field_error(None, _("U steunt dit voorstel al."), "already_supported")
    try:
        with transaction.atomic():
            support = ProposalSupport.objects.create(proposal=proposal, member=actor)
            audit_record(actor_id=actor_id(actor), action="proposal.support", target=proposal)
    except IntegrityError as error:
        # Two clicks at once: the second one meets the unique constraint.
        raise field_error(None, _("U steunt dit voorstel al."), "already_supported") from error
    return support


def proposal_support_withdraw(*, actor: Member, proposal: Proposal) -> bool:
    """Take one's support back while the proposal is open. Returns whether there was one."""
    if not proposal.is_open:
        raise field_error(
            None, _("Dit voorstel is al behandeld; uw steun blijft staan."), "proposal_closed"
        )
    with transaction.atomic():
        deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, member=actor).delete()
        if deleted:
            audit_record(actor_id=actor_id(actor), action="proposal.unsupport", target=proposal)
    return bool(deleted)


def proposal_handle(
    *,
    actor: Member,
    proposal: Proposal,
    status: str,
    note: str = "",
    conditions: str = "",
    reasons: str = "",
    record_decision: bool = False,
    decided_on: dt.date | None = None,
) -> Proposal:
    """The board takes a proposal to its next state. Declining needs reasons. Approving makes
    the project and its project group (the proposer gets the chair), and may enter the board's
    decision in the register (kind "project"). ``decided_on`` is the day the board decided
    (today by default): the decision's date and the project's start."""
    note, conditions, reasons = _text(note), _text(conditions), _text(reasons)
    if status not in Proposal.Status.values:
        raise field_error("status", _("Kies de nieuwe stand van het voorstel."), "invalid_choice")
    if decided_on is not None and decided_on > timezone.localdate():
        raise field_error("decided_on", _("Een besluit ligt niet in de toekomst."), "future")
    if status == Proposal.Status.DECLINED and not reasons:
        raise field_error(
            "reasons", _("Schrijf op waarom het voorstel wordt afgewezen."), "reasons_required"
        )
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        previous = proposal.status
        if status not in Proposal.NEXT[previous]:
            raise field_error(
                "status",
                _("Een voorstel dat %(from)s is, kan niet %(to)s worden.")
                % {
                    "from": Proposal.Status(previous).label,
                    "to": Proposal.Status(status).label,
                },
                "invalid_transition",
            )
        proposal.status = status
        if status == Proposal.Status.APPROVED:
            proposal.conditions = conditions
        if status == Proposal.Status.DECLINED:
            proposal.reasons = reasons
        if record_decision and status in (Proposal.Status.APPROVED, Proposal.Status.DECLINED):
            proposal.decision = _record_decision(
                actor=actor,
                proposal=proposal,
                decided_on=decided_on or timezone.localdate(),
                # A proposal sent to the ALV is decided there; otherwise by the board.
                body_kind=Body.Kind.ALV if previous == Proposal.Status.SENT_TO_ALV else None,
            )
        proposal.updated_at = timezone.now()
        proposal.save()
        event = ProposalEvent.objects.create(
            proposal=proposal,
            status=status,
            previous=previous,
            note=note or conditions or reasons,
            actor=actor,
        )
        audit_record(
            actor_id=actor_id(actor),
            action="proposal.handle",
            target=proposal,
            summary=status,
            changes={"status": [previous, status]},
        )
        if status == Proposal.Status.APPROVED:
            _project_create(
                actor=actor, proposal=proposal, started_on=decided_on or timezone.localdate()
            )
        _queue_notice(event)
    return proposal


def _record_decision(
    *, actor: Member, proposal: Proposal, decided_on: dt.date, body_kind: str | None
) -> Decision:
    approved = proposal.status == Proposal.Status.APPROVED
    names = {"title": proposal.title}
    if body_kind == Body.Kind.ALV:
        text = (
            _("De ALV keurt het projectvoorstel “%(title)s” goed.")
            if approved
            else _("De ALV wijst het projectvoorstel “%(title)s” af.")
        ) % names
    else:
        text = (
            _("Het bestuur keurt het projectvoorstel “%(title)s” goed.")
            if approved
            else _("Het bestuur wijst het projectvoorstel “%(title)s” af.")
        ) % names
    if approved and proposal.conditions:
        text += "\n\n" + _("Voorwaarden:") + "\n" + proposal.conditions
    if not approved:
        text += "\n\n" + _("Redenen:") + "\n" + proposal.reasons
    return decision_record(
        actor=actor,
        body=body_standing(body_kind or Body.Kind.GENERAL_BOARD),
        decided_on=decided_on,
        title=_("Projectvoorstel: %(title)s") % names,
        text=text,
        kind=Decision.Kind.PROJECT,
        outcome=Decision.Outcome.ADOPTED if approved else Decision.Outcome.REJECTED,
    )


def _project_create(*, actor: Member, proposal: Proposal, started_on: dt.date) -> Project:
    group = body_create_project_group(
        actor=actor, name=_("Projectgroep %(title)s") % {"title": proposal.title}
    )
    project = Project.objects.create(
        proposal=proposal,
        name=proposal.title,
        budget=proposal.budget,
        group=group,
        started_on=started_on,
    )
    if proposal.submitted_by.status == Member.Status.ACTIVE:
        seat_assign(
            actor=actor,
            body=group,
            member=proposal.submitted_by,
            position=Seat.Position.CHAIR,
            start=started_on,
            decision=proposal.decision,
        )
    audit_record(
        actor_id=actor_id(actor), action="project.create", target=project, summary=project.name
    )
    return project


# --- projects ------------------------------------------------------------------------------------


def project_member_add(
    *, actor: Member, project: Project, member: Member, position: str = Seat.Position.MEMBER
) -> Seat:
    """Give a member a seat in the project's group (from today)."""
    if project.status != Project.Status.ACTIVE:
        raise field_error(None, _("Dit project is afgerond."), "project_finished")
    return seat_assign(
        actor=actor,
        body=project.group,
        member=member,
        position=position,
        start=timezone.localdate(),
    )


def project_update_post(*, actor: Member, project: Project, text: str) -> ProjectUpdate:
    """A member of the project group (or the board) tells how the project goes."""
    text = _text(text)
    if not project_member_can_post(member=actor, project=project):
        raise field_error(
            None,
            _("Alleen de projectgroep en het bestuur schrijven berichten over dit project."),
            "not_in_group",
        )
    if not text:
        raise field_error("text", _("Schrijf een bericht."), "required")
    with transaction.atomic():
        update = ProjectUpdate.objects.create(project=project, author=actor, text=text)
        audit_record(
            actor_id=actor_id(actor),
            action="project.update",
            target=project,
            summary=str(update.pk),
        )
    return update


def project_spending_add(
    *,
    actor: Member,
    project: Project,
    spent_on: dt.date,
    description: str,
    amount: Decimal | str,
) -> ProjectSpending:
    """Record what the project spent (only a project with a budget has spending)."""
    description = " ".join((description or "").split())
    if project.budget is None:
        raise field_error(
            None, _("Dit project heeft geen begroting, dus ook geen uitgaven."), "no_budget"
        )
    if not description:
        raise field_error("description", _("Schrijf op waaraan het geld is besteed."), "required")
    if spent_on > timezone.localdate():
        raise field_error("spent_on", _("Een uitgave ligt niet in de toekomst."), "future")
    if spent_on < project.started_on - dt.timedelta(days=366):
        raise field_error("spent_on", _("Die datum ligt te ver voor de start."), "too_early")
    value = _amount(amount, field="amount", required=True)
    assert value is not None
    with transaction.atomic():
        line = ProjectSpending.objects.create(
            project=project,
            spent_on=spent_on,
            description=description[:200],
            amount=value,
            recorded_by=actor,
        )
        audit_record(
            actor_id=actor_id(actor),
            action="project.spend",
            target=project,
            summary=f"{value}",
            changes={"amount": [None, str(value)], "spent_on": [None, spent_on.isoformat()]},
        )
    return line


def project_finish(
    *, actor: Member, project: Project, finished_on: dt.date | None = None
) -> Project:
    """The project is done; its group stays in the history."""
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status == Project.Status.FINISHED:
            raise field_error(None, _("Dit project is al afgerond."), "project_finished")
        project.status = Project.Status.FINISHED
        project.finished_on = finished_on or timezone.localdate()
        project.save(update_fields=["status", "finished_on"])
        audit_record(
            actor_id=actor_id(actor), action="project.finish", target=project, summary=project.name
        )
    return project
