"""Everything the cooperative holds about one member, for the member (AVG art. 15 and 20).

One dict of plain JSON values with Dutch keys, in sections: the profile and consents, the
marketplace (requests, offers, answers, services with their hours and feedback, messages,
disputes), the points ledger, governance (open votes, proxies, attendance, proposals),
surveys taken part in, and who read the member's care data. The JSON download and the PDF
(``cooperatives.members.pdf``) are both made from it.

Klussen in euros live in ``billing.klussen``, a layer above the cooperative apps, which may not
import billing: billing registers its section here (``export_section_register``, through
``cooperatives.settlement``), as it registers its figures and annual-report sections. Secret
ballots are not in the export: only the register says that the member voted, never how.
Anonymous survey answers are not linked to anyone and so cannot be in it either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q

from cooperatives.carelog.models import CareAccess
from cooperatives.carelog.selectors import route_label
from cooperatives.joining.models import Invitation
from cooperatives.marketplace.models import (
    HelpRequest,
    HelpResponse,
    HoursDispute,
    MemberSettings,
    Offer,
    Service,
    ServiceMessage,
)
from cooperatives.meetings.models import Attendance, BallotRegister, OpenVote, Proxy, Rsvp
from cooperatives.members.models import EmailChange, Member
from cooperatives.points.models import Account, Posting
from cooperatives.proposals.models import Proposal, ProposalSupport
from cooperatives.surveys.models import Participation

# A section computed outside the cooperative apps: ``provider(*, member) -> JSON value``.
ExportSection = Callable[..., Any]
_sections: dict[str, ExportSection] = {}


def export_section_register(key: str, provider: ExportSection) -> None:
    """Add section ``key`` to every member's export (again under the same key replaces it:
    ``ready()`` may run twice)."""
    _sections[key] = provider


def _when(value: datetime | date | time | None) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _profile(member: Member) -> dict[str, Any]:
    neighbourhood = member.neighbourhood
    return {
        "nummer": member.pk,
        "soort": member.kind,
        "naam": member.name,
        "straat": member.street,
        "huisnummer": member.house_number,
        "postcode": member.postcode,
        "buurt": neighbourhood.name if neighbourhood else None,
        "buurt_zelf_gekozen_door_coordinator": member.neighbourhood_fixed,
        "telefoon": member.phone,
        "e-mail": member.email,
        "geboortejaar": member.year_of_birth,
        "talen": member.languages,
        "talenten": member.talents,
        "helpt_bij": sorted(member.help_clusters.values_list("name", flat=True)),
        "beschikbaarheid": member.availability,
        "gebruikt_internet": member.uses_internet,
        "heeft_een_login": member.user_id is not None,
        "taal": member.language,
        "status": member.status,
        "lid_sinds": _when(member.joined_at),
        "opgezegd_op": _when(member.left_at),
    }


def _consents(member: Member) -> dict[str, Any]:
    registered_by = member.registered_by
    return {
        "privacyverklaring": member.privacy_version,
        "privacy_geaccepteerd_op": _when(member.privacy_accepted_at),
        "spelregels_versie": member.disclaimer_version,
        "spelregels_geaccepteerd_op": _when(member.disclaimer_accepted_at),
        "namens_u_gegeven": member.consent_on_behalf,
        "ingeschreven_door": registered_by.name if registered_by else None,
    }


def _joining(member: Member) -> dict[str, Any]:
    by_email = Q(email__iexact=member.email) if member.email else Q(pk__in=[])
    return {
        "aanmeldingen": [
            {
                "datum": _when(a.created_at),
                "status": a.status,
                "bericht": a.message,
                "reden": a.decision_reason,
            }
            for a in member.applications.all()
        ],
        "uitnodigingen": [
            {"datum": _when(i.created_at), "naam": i.name, "e-mail": i.email}
            for i in Invitation.objects.filter(Q(member=member) | by_email).order_by("id")
        ],
        "e-mailwijzigingen": [
            {
                "gevraagd_op": _when(c.created_at),
                "nieuw_adres": c.new_email,
                "gebruikt": _when(c.used_at),
            }
            for c in EmailChange.objects.filter(member=member).order_by("id")
        ],
    }


def _requests(member: Member) -> list[dict[str, Any]]:
    rows = HelpRequest.objects.filter(requester=member).select_related("cluster", "created_by")
    return [
        {
            "nummer": r.pk,
            "cluster": r.cluster.name,
            "korte_omschrijving": r.title,
            "toelichting": r.description,
            "zorggegevens": r.cluster.holds_care,
            "straat": r.street,
            "huisnummer": r.house_number,
            "postcode": r.postcode,
            "voorkeursdata": [d.isoformat() for d in r.preferred_dates],
            "dagdelen": r.preferred_parts,
            "verwachte_uren": _number(r.expected_hours),
            "elke_week": r.repeats_weekly,
            "status": r.status,
            "gevraagd_op": _when(r.created_at),
            "afgesloten_op": _when(r.closed_at),
            "namens_u_gevraagd_door": r.created_by.name if r.created_by_id != member.pk else None,
        }
        for r in rows.order_by("created_at", "id")
    ]


def _offers(member: Member) -> list[dict[str, Any]]:
    return [
        {
            "nummer": o.pk,
            "cluster": o.cluster.name,
            "omschrijving": o.description,
            "beschikbaarheid": o.availability,
            "hoe_ver": o.reach,
            "status": o.status,
            "aangeboden_op": _when(o.created_at),
            "verlengen_voor": _when(o.renew_by),
        }
        for o in Offer.objects.filter(volunteer=member).select_related("cluster").order_by("id")
    ]


def _responses(member: Member) -> list[dict[str, Any]]:
    rows = HelpResponse.objects.filter(volunteer=member).select_related("request")
    return [
        {
            "hulpvraag": r.request.title,
            "bericht": r.message,
            "status": r.status,
            "op": _when(r.created_at),
        }
        for r in rows.order_by("id")
    ]


def _services(member: Member) -> list[dict[str, Any]]:
    rows = (
        Service.objects.filter(Q(requester=member) | Q(volunteer=member))
        .select_related("request", "cluster", "requester", "volunteer")
        .order_by("date", "id")
    )
    return [
        {
            "nummer": s.pk,
            "u_was": "hulpvrager" if s.requester_id == member.pk else "vrijwilliger",
            "met": s.volunteer.name if s.requester_id == member.pk else s.requester.name,
            "hulpvraag": s.request.title,
            "cluster": s.cluster.name,
            "datum": _when(s.date),
            "begintijd": _when(s.start_time),
            "geplande_uren": _number(s.planned_hours),
            "gewerkte_uren": _number(s.registered_hours),
            "status": s.status,
            "reden_annulering": s.cancel_reason,
            "bevestigd_op": _when(s.confirmed_at),
            "waardering": s.rating,
            "terugkoppeling": s.feedback,
        }
        for s in rows
    ]


def _hours(member: Member) -> dict[str, Any]:
    confirmed = Service.objects.filter(status=Service.Status.CONFIRMED)

    def total(qs: Any) -> str:
        return str(sum((s.registered_hours or Decimal(0) for s in qs), Decimal(0)))

    return {
        "gegeven_bevestigd": total(confirmed.filter(volunteer=member)),
        "ontvangen_bevestigd": total(confirmed.filter(requester=member)),
    }


def _feedback(member: Member) -> dict[str, list[dict[str, Any]]]:
    with_feedback = Service.objects.filter(
        Q(rating__isnull=False) | ~Q(feedback="")
    ).select_related("request", "requester", "volunteer")

    def rows(qs: Any, other: str) -> list[dict[str, Any]]:
        return [
            {
                "dienst": s.pk,
                "hulpvraag": s.request.title,
                "over" if other == "volunteer" else "van": getattr(s, other).name,
                "waardering": s.rating,
                "terugkoppeling": s.feedback,
                "op": _when(s.feedback_at),
            }
            for s in qs.order_by("id")
        ]

    # The requester gives feedback on the help; the volunteer receives it.
    return {
        "gegeven": rows(with_feedback.filter(requester=member), "volunteer"),
        "ontvangen": rows(with_feedback.filter(volunteer=member), "requester"),
    }


def _messages(member: Member) -> list[dict[str, Any]]:
    rows = (
        ServiceMessage.objects.filter(
            Q(author=member) | Q(service__requester=member) | Q(service__volunteer=member)
        )
        .select_related("author")
        .order_by("created_at", "id")
    )
    return [
        {
            "dienst": m.service_id,
            "van": "u" if m.author_id == member.pk else m.author.name,
            "bericht": m.body,
            "op": _when(m.created_at),
        }
        for m in rows
    ]


def _disputes(member: Member) -> list[dict[str, Any]]:
    rows = HoursDispute.objects.filter(
        Q(raised_by=member) | Q(service__requester=member) | Q(service__volunteer=member)
    ).order_by("id")
    return [
        {
            "dienst": d.service_id,
            "door_u": d.raised_by_id == member.pk,
            "wat_klopt_er_niet": d.reason,
            "uren_volgens_bezwaar": _number(d.disputed_hours),
            "gecorrigeerde_uren": _number(d.corrected_hours),
            "toelichting": d.resolution_note,
            "op": _when(d.created_at),
        }
        for d in rows
    ]


def _settings(member: Member) -> dict[str, Any] | None:
    row = MemberSettings.objects.filter(member=member).first()
    if row is None:
        return None
    return {
        "overzicht_nieuwe_hulpvragen": row.digest,
        "telefoon_delen": row.share_phone,
        "e-mail_delen": row.share_email,
    }


def _points(member: Member) -> dict[str, Any]:
    account = Account.objects.filter(member=member).first()
    if account is None:
        return {"saldo": None, "boekingen": []}
    postings = Posting.objects.filter(account=account).select_related("transfer").order_by("id")
    return {
        "saldo": str(account.balance),
        "boekingen": [
            {
                "op": _when(p.created_at),
                "soort": p.transfer.kind,
                "status": p.transfer.status,
                "omschrijving": p.transfer.memo,
                "bedrag": str(p.amount),
                "saldo_daarna": str(p.balance_after),
            }
            for p in postings
        ],
    }


def _governance(member: Member) -> dict[str, Any]:
    votes = OpenVote.objects.filter(member=member).select_related("item__meeting", "cast_by")
    return {
        "open_stemmen": [
            {
                "vergadering": v.item.meeting.title,
                "onderwerp": v.item.title,
                "stem": v.choice,
                "bij_volmacht": v.by_proxy,
                "uitgebracht_door": v.cast_by.name if v.cast_by else None,
                "op": _when(v.cast_at),
            }
            for v in votes.order_by("cast_at", "id")
        ],
        # Only that the member voted in a secret ballot: how is never linked to anyone.
        "geheime_stemmingen_waaraan_u_deelnam": [
            {"vergadering": b.item.meeting.title, "onderwerp": b.item.title}
            for b in BallotRegister.objects.filter(member=member)
            .select_related("item__meeting")
            .order_by("id")
        ],
        "machtigingen": [
            {
                "vergadering": p.meeting.title,
                "gegeven_aan": p.holder.name if p.grantor_id == member.pk else None,
                "gekregen_van": p.grantor.name if p.holder_id == member.pk else None,
            }
            for p in Proxy.objects.filter(Q(grantor=member) | Q(holder=member))
            .select_related("meeting", "grantor", "holder")
            .order_by("id")
        ],
        "aanwezig": [
            {"vergadering": a.meeting.title, "online": a.online}
            for a in Attendance.objects.filter(member=member).select_related("meeting")
        ],
        "komt_u": [
            {"vergadering": r.meeting.title, "antwoord": r.answer}
            for r in Rsvp.objects.filter(member=member).select_related("meeting")
        ],
        "voorstellen": [
            {
                "titel": p.title,
                "beschrijving": p.description,
                "contact": p.contact,
                "status": p.status,
            }
            for p in Proposal.objects.filter(submitted_by=member).order_by("id")
        ],
        "voorstellen_gesteund": [
            s.proposal.title
            for s in ProposalSupport.objects.filter(member=member).select_related("proposal")
        ],
    }


def _surveys(member: Member) -> list[dict[str, Any]]:
    rows = Participation.objects.filter(member=member).select_related("survey").order_by("id")
    return [{"peiling": p.survey.title, "manier": p.channel} for p in rows]


def _care_access(member: Member) -> list[dict[str, Any]]:
    rows = CareAccess.objects.filter(subject=member).select_related("viewer").order_by("id")
    return [
        {"op": _when(a.created_at), "door": a.viewer.name, "waar": route_label(a.route)}
        for a in rows
    ]


def member_export_full(*, member: Member) -> dict[str, Any]:
    """Everything held about ``member`` (see the module's opening comment)."""
    data: dict[str, Any] = {
        "lid": _profile(member),
        "toestemming": _consents(member),
        "rollen": sorted(member.current_roles()),
        "zetels": [
            {
                "orgaan": seat.body.name,
                "functie": seat.position,
                "begin": _when(seat.start),
                "einde": _when(seat.end),
            }
            for seat in member.seats.all()
        ],
        "buurtassistent_voor": sorted(
            member.assisted_neighbourhoods.values_list("name", flat=True)
        ),
        **_joining(member),
        "instellingen": _settings(member),
        "hulpvragen": _requests(member),
        "aanbod": _offers(member),
        "reacties_ik_help": _responses(member),
        "diensten": _services(member),
        "uren": _hours(member),
        "terugkoppeling": _feedback(member),
        "berichten": _messages(member),
        "bezwaren_tegen_uren": _disputes(member),
        "punten": _points(member),
        **_governance(member),
        "peilingen": _surveys(member),
        "inzage_zorggegevens": _care_access(member),
    }
    for key, provider in sorted(_sections.items()):
        data[key] = provider(member=member)
    return data
