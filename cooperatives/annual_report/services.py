"""Writes of the annual report: the board makes the draft and writes its sections, the
kascommissie records its findings, and the ALV's decisions approve the report and discharge
the board, which freezes it. An approved report never changes: these services refuse, and
PostgreSQL refuses too (migration 0002)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.annual_report.models import AnnualReport
from cooperatives.annual_report.sections import report_figures_compute
from cooperatives.governance.models import Body, Decision
from cooperatives.governance.selectors import body_standing
from cooperatives.governance.services import decision_record
from cooperatives.members.models import Member
from shared.audit.services import audit_record
from shared.validation import actor_id, field_error

FIRST_YEAR = 2000
TEXT_FIELDS = ("foreword", "activities", "outlook")


def _frozen() -> ValidationError:
    return ValidationError(
        _("Dit jaarverslag is door de ALV vastgesteld en verandert niet meer."),
        code="report_approved",
    )


def _locked(report: AnnualReport) -> AnnualReport:
    """The report, locked for this transaction; refused when it is approved."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.frozen:
        raise _frozen()
    return report


def report_create(*, actor: Member | None, year: int) -> AnnualReport:
    """Start the draft for ``year``: its figures come from the platform, its texts from the
    board. One report per year."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise field_error(
            "year",
            _("Kies een jaar van %(first)s tot en met dit jaar.") % {"first": FIRST_YEAR},
            "invalid_year",
        )
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(year=year, created_by_id=actor_id(actor))
    except IntegrityError:
        raise field_error(
            "year", _("Voor %(year)s is er al een jaarverslag.") % {"year": year}, "exists"
        ) from None
    audit_record(actor_id=actor_id(actor), action="report.create", target=report, summary=str(year))
    return report


def report_texts_save(
    *, actor: Member | None, report: AnnualReport, foreword: str, activities: str, outlook: str
) -> AnnualReport:
    """The sections the board writes: foreword, activities, outlook."""
    with transaction.atomic():
        report = _locked(report)
        new = {"foreword": foreword, "activities": activities, "outlook": outlook}
        changed = [f for f in TEXT_FIELDS if getattr(report, f) != (new[f] or "").strip()]
        for name in TEXT_FIELDS:
            setattr(report, name, (new[name] or "").strip())
        report.updated_at = timezone.now()
        report.save(update_fields=[*TEXT_FIELDS, "updated_at"])
        audit_record(
            actor_id=actor_id(actor),
            action="report.edit",
            target=report,
            summary=f"{report.year}: {', '.join(changed)}",
        )
    return report


def report_review(
    *,
    actor: Member | None,
    report: AnnualReport,
    findings: str,
    recommends_discharge: bool,
    reviewed_on: dt.date | None = None,
) -> AnnualReport:
    """The kascommissie records what it found in the books and whether it recommends the
    ALV to discharge the board. It may record again (a later finding) until the ALV
    approves."""
    findings = (findings or "").strip()
    if not findings:
        raise field_error(
            "findings", _("Schrijf op wat de kascommissie heeft gevonden."), "required"
        )
    with transaction.atomic():
        report = _locked(report)
        report.audit_findings = findings
        report.audit_recommends_discharge = bool(recommends_discharge)
        report.audit_reviewed_on = reviewed_on or timezone.localdate()
        report.audit_reviewed_by_id = actor_id(actor)
        report.status = AnnualReport.Status.REVIEWED
        report.updated_at = timezone.now()
        report.save()
        audit_record(
            actor_id=actor_id(actor),
            action="report.review",
            target=report,
            summary=f"{report.year}: {'decharge' if recommends_discharge else 'geen decharge'}",
        )
    return report


def report_approve(
    *,
    actor: Member | None,
    report: AnnualReport,
    decided_on: dt.date,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    outcome: str | None = None,
    discharge_for: int | None = None,
    discharge_against: int | None = None,
    discharge_abstain: int | None = None,
    discharge_outcome: str | None = None,
) -> AnnualReport:
    """Record the ALV's two decisions in the register: approving the report (kind
    "annual_report") and discharging the board (kind "discharge"). When the report is
    approved it is frozen with its figures as they are now, linked to both decisions. When the
    ALV rejects it, that decision is recorded and the report stays as it was."""
    if report.year >= timezone.localdate().year:
        raise field_error(
            "decided_on",
            _("Het jaarverslag wordt vastgesteld als het jaar voorbij is."),
            "year_not_ended",
        )
    if decided_on.year <= report.year:
        raise field_error(
            "decided_on",
            _("De ALV stelt het jaarverslag vast na afloop van het jaar."),
            "too_early",
        )
    if decided_on > timezone.localdate():
        raise field_error("decided_on", _("Vul de datum in waarop de ALV besloot."), "in_future")
    for prefix, counted, said in (
        ("votes", votes_for, outcome),
        ("discharge", discharge_for, discharge_outcome),
    ):
        if counted is None and said is None:
            raise field_error(
                f"{prefix}_for",
                _("Vul het aantal stemmen voor en tegen in."),
                "counts_incomplete",
            )
    alv = body_standing(Body.Kind.ALV)
    with transaction.atomic():
        report = _locked(report)
        if report.status != AnnualReport.Status.REVIEWED:
            raise field_error(
                "decided_on",
                _("Eerst legt de kascommissie haar bevindingen vast, dan besluit de ALV."),
                "not_reviewed",
            )
        approval = decision_record(
            actor=actor,
            body=alv,
            decided_on=decided_on,
            title=_("Vaststelling jaarverslag %(year)s") % {"year": report.year},
            text=_("De ALV stelt het jaarverslag %(year)s vast.") % {"year": report.year},
            kind=Decision.Kind.ANNUAL_REPORT,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstain=votes_abstain,
            outcome=outcome,
        )
        if not approval.adopted:
            audit_record(
                actor_id=actor_id(actor),
                action="report.reject",
                target=report,
                summary=f"{report.year}: {approval.number}",
            )
            return report
        discharge = decision_record(
            actor=actor,
            body=alv,
            decided_on=decided_on,
            title=_("Decharge van het bestuur over %(year)s") % {"year": report.year},
            text=_("De ALV verleent het bestuur decharge voor het beleid in %(year)s.")
            % {"year": report.year},
            kind=Decision.Kind.DISCHARGE,
            votes_for=discharge_for,
            votes_against=discharge_against,
            votes_abstain=discharge_abstain,
            outcome=discharge_outcome,
        )
        report.figures = report_figures_compute(year=report.year)
        report.status = AnnualReport.Status.APPROVED
        report.approved_by = approval
        report.discharge = discharge
        report.approved_at = timezone.now()
        report.updated_at = report.approved_at
        report.save()
        audit_record(
            actor_id=actor_id(actor),
            action="report.approve",
            target=report,
            summary=f"{report.year}: {approval.number}, {discharge.number}",
        )
    return report
