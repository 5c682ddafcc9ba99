"""Writes in the marketplace: requests, offers, "ik help", and the service lifecycle (plan,
move, cancel, register hours, confirm, feedback). The cooperative's house rules are checked
here, each refusal with its own Dutch message and code; nothing is half-written."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperatives.marketplace import hooks, selectors
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    MemberSettings,
    Offer,
    Reach,
    Service,
)
from cooperatives.members.models import DAY_PARTS, Member
from cooperatives.rules.models import Compensation
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster, Partner
from cooperatives.setup.selectors import neighbourhood_for_address
from shared import permissions
from shared.audit.services import audit_record
from shared.validation import field_error as _refuse
from shared.validation import normalize_postcode

PAID = (Compensation.EUROS, Compensation.BOTH)
OPEN_STATUSES = (HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED)


def _notify(members: list[Member], subject: str, body: str) -> None:
    """Email members after the commit (a member without email is phoned by a coordinator)."""
    recipients = [m.email for m in members if m.email]
    if recipients:
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))


def _on_behalf(actor: Member, member: Member) -> bool:
    """True when ``actor`` acts for someone else; refuses if they may not."""
    if actor.pk == member.pk:
        return False
    if not permissions.can(actor, "service.coordinate", about=member):
        raise _refuse(None, _("U mag dit niet namens dit lid doen."), "forbidden")
    return True


def _hours(value: Any, field: str) -> Decimal:
    try:
        hours = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except Exception:
        raise _refuse(field, _("Vul een aantal uren in, bijvoorbeeld 1,5."), "invalid") from None
    if hours <= 0:
        raise _refuse(field, _("Vul een aantal uren groter dan 0 in."), "invalid")
    return hours


def partner_referral_text() -> str:
    partners = Partner.objects.filter(is_active=True).order_by("name")
    lines = [
        ", ".join(
            p for p in (partner.name, partner.contact_name, partner.phone, partner.email) if p
        )
        for partner in partners
    ]
    return "; ".join(lines) or _("vraag de coördinator naar een partner")


# --- requests ----------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: Member,
    requester: Member,
    cluster: Cluster,
    title: str,
    expected_hours: Any,
    description: str = "",
    preferred_dates: list[dt.date] = (),
    preferred_parts: list[str] = (),
    street: str | None = None,
    house_number: str | None = None,
    postcode: str | None = None,
    repeats_weekly: bool = False,
    network_checked: bool = False,
) -> HelpRequest:
    """A member asks for help, or a coordinator or neighbourhood assistant asks for them.
    Every house rule in force today is checked here, each with its own message."""
    on_behalf = actor.pk != requester.pk
    if on_behalf and not permissions.can(actor, "request.create_on_behalf", about=requester):
        raise _refuse(None, _("U mag geen hulp vragen namens dit lid."), "forbidden")
    if requester.status != Member.Status.ACTIVE:
        raise _refuse("requester", _("Alleen actieve leden kunnen hulp vragen."), "inactive")
    title = " ".join((title or "").split())
    if not title:
        raise _refuse("title", _("Beschrijf in het kort waar u hulp bij zoekt."), "required")
    if not cluster.is_active:
        raise _refuse("cluster", _("Dit cluster is niet meer in gebruik."), "retired")
    hours = _hours(expected_hours, "expected_hours")
    parts = [p for p in dict.fromkeys(preferred_parts or []) if p in dict(DAY_PARTS)]
    today = timezone.localdate()
    dates = sorted(set(preferred_dates or []))
    if any(d < today for d in dates):
        raise _refuse("preferred_dates", _("Kies data vanaf vandaag."), "past")

    rulebook = rulebook_current()
    compensation = (rulebook.compensation_for(cluster) if rulebook else None) or Compensation.FREE
    if rulebook and rulebook.max_service_hours and hours > rulebook.max_service_hours:
        raise _refuse(
            "expected_hours",
            _("Een dienst duurt hoogstens %(max)s uur. Vraag hulp in kortere delen.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    referral = rulebook.partner_referral_hours if rulebook else None
    if compensation in PAID and referral and hours > referral:
        raise _refuse(
            "expected_hours",
            _(
                "Een klus van meer dan %(max)s uur doen wij niet zelf: daarvoor hebben we "
                "afspraken met partners tegen een sociaal tarief. Neem contact op met: "
                "%(partners)s."
            )
            % {
                "max": _uur(rulebook.partner_referral_hours),
                "partners": partner_referral_text(),
            },
            "referred_to_partner",
        )
    if (
        compensation in PAID
        and rulebook
        and rulebook.klus_needs_network_check
        and not network_checked
    ):
        raise _refuse(
            "network_checked",
            _(
                "Voor een klus vragen we eerst: kunnen familie, vrienden of buren niet helpen? "
                "Bevestig dat, dan zoeken wij een vrijwilliger."
            ),
            "network_check",
        )
    if rulebook and rulebook.max_open_services:
        # Lock the requester's row so two requests at once cannot both pass the limit.
        Member.objects.select_for_update().filter(pk=requester.pk).first()
        open_count = HelpRequest.objects.filter(
            requester=requester, status__in=OPEN_STATUSES
        ).count()
        if open_count >= rulebook.max_open_services:
            raise _refuse(
                None,
                _(
                    "U heeft al %(n)s open hulpvraag of dienst; volgens de spelregels kan dat er "
                    "hoogstens %(max)s zijn. Rond die eerst af of trek hem in."
                )
                % {"n": open_count, "max": rulebook.max_open_services},
                "too_many_open",
            )

    street = requester.street if street is None else street.strip()
    house_number = requester.house_number if house_number is None else house_number.strip()
    postcode = requester.postcode if postcode is None else normalize_postcode(postcode)
    request = HelpRequest.objects.create(
        requester=requester,
        created_by=actor,
        cluster=cluster,
        title=title[:120],
        description=(description or "").strip(),
        preferred_dates=dates,
        preferred_parts=parts,
        expected_hours=hours,
        street=street,
        house_number=house_number,
        postcode=postcode,
        neighbourhood=neighbourhood_for_address(postcode=postcode, street=street)
        or requester.neighbourhood,
        repeats_weekly=repeats_weekly,
        network_checked=network_checked,
        rulebook=rulebook,
        compensation=compensation,
    )
    audit_record(
        actor_id=actor.pk,
        action="request.create_on_behalf" if on_behalf else "request.create",
        target=request,
        summary=f"Hulpvraag #{request.pk} in {cluster.name}",
    )
    return request


@transaction.atomic
def request_cancel(*, actor: Member, request: HelpRequest, reason: str = "") -> HelpRequest:
    request = HelpRequest.objects.select_for_update().get(pk=request.pk)
    _on_behalf(actor, request.requester)
    if request.status not in OPEN_STATUSES:
        raise _refuse(None, _("Deze hulpvraag is al afgesloten."), "closed")
    if request.services.filter(status__in=[Service.Status.REGISTERED]).exists():
        raise _refuse(None, _("Er zijn al uren geregistreerd; bevestig die eerst."), "registered")
    for service in request.services.filter(status=Service.Status.PLANNED):
        service_cancel(actor=actor, service=service, reason=reason or _("hulpvraag ingetrokken"))
    request.status, request.closed_at = HelpRequest.Status.CANCELLED, timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit_record(
        actor_id=actor.pk,
        action="request.cancel",
        target=request,
        summary=f"Hulpvraag #{request.pk} ingetrokken",
    )
    return request


# --- offers ------------------------------------------------------------------------------------


def _renew_by() -> dt.date:
    rulebook = rulebook_current()
    days = rulebook.offer_renewal_days if rulebook and rulebook.offer_renewal_days else 3650
    return timezone.localdate() + dt.timedelta(days=days)


@transaction.atomic
def offer_create(
    *,
    actor: Member,
    cluster: Cluster,
    description: str,
    availability: list[str] = (),
    reach: str = Reach.NEIGHBOURHOOD,
) -> Offer:
    if not permissions.can(actor, "offer.create"):
        raise _refuse(None, _("Alleen vrijwilligers kunnen hulp aanbieden."), "not_volunteer")
    if not cluster.is_active:
        raise _refuse("cluster", _("Dit cluster is niet meer in gebruik."), "retired")
    description = (description or "").strip()
    if not description:
        raise _refuse("description", _("Beschrijf wat u aanbiedt."), "required")
    if reach not in Reach.values:
        raise _refuse("reach", _("Kies hoe ver u wilt gaan."), "invalid")
    offer = Offer.objects.create(
        volunteer=actor,
        cluster=cluster,
        description=description,
        availability=list(dict.fromkeys(availability or [])),
        reach=reach,
        renew_by=_renew_by(),
    )
    audit_record(
        actor_id=actor.pk, action="offer.create", target=offer, summary=f"Aanbod #{offer.pk}"
    )
    return offer


@transaction.atomic
def offer_renew(*, actor: Member, offer: Offer) -> Offer:
    _on_behalf(actor, offer.volunteer)
    if offer.status == Offer.Status.WITHDRAWN:
        raise _refuse(None, _("Dit aanbod is ingetrokken."), "withdrawn")
    offer.status, offer.renew_by, offer.renewal_asked_at = Offer.Status.ACTIVE, _renew_by(), None
    offer.save(update_fields=["status", "renew_by", "renewal_asked_at"])
    return offer


@transaction.atomic
def offer_withdraw(*, actor: Member, offer: Offer) -> Offer:
    _on_behalf(actor, offer.volunteer)
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status"])
    return offer


# --- matching: "ik help" and accepting ---------------------------------------------------------


@transaction.atomic
def response_create(*, volunteer: Member, request: HelpRequest, message: str = "") -> HelpResponse:
    """A volunteer answers "ik help". Answering twice changes nothing."""
    if not permissions.can(volunteer, "request.respond"):
        raise _refuse(
            None, _("Alleen vrijwilligers kunnen op een hulpvraag reageren."), "not_volunteer"
        )
    if volunteer.pk == request.requester_id:
        raise _refuse(None, _("U kunt niet op uw eigen hulpvraag reageren."), "own_request")
    if request.status != HelpRequest.Status.OPEN:
        raise _refuse(
            None, _("Deze hulpvraag heeft al een vrijwilliger of is gesloten."), "not_open"
        )
    response, created = HelpResponse.objects.get_or_create(
        request=request, volunteer=volunteer, defaults={"message": (message or "").strip()[:500]}
    )
    if created:
        _notify(
            [request.requester],
            _("Iemand wil u helpen"),
            _("%(name)s wil helpen bij uw hulpvraag '%(title)s'. Kijk op de website om te kiezen.")
            % {"name": volunteer.name, "title": request.title},
        )
    return response


@transaction.atomic
def response_accept(
    *,
    actor: Member,
    response: HelpResponse,
    date: dt.date,
    start_time: dt.time,
    planned_hours: Any = None,
) -> Service:
    """The requester (or a coordinator or neighbourhood assistant) accepts one volunteer and
    plans the first service. The other volunteers are told they were not chosen."""
    request = HelpRequest.objects.select_for_update().get(pk=response.request_id)
    _on_behalf(actor, request.requester)
    if request.status != HelpRequest.Status.OPEN:
        raise _refuse(
            None, _("Deze hulpvraag heeft al een vrijwilliger of is gesloten."), "not_open"
        )
    if date < timezone.localdate():
        raise _refuse("date", _("Kies een datum vanaf vandaag."), "past")
    hours = _hours(planned_hours or request.expected_hours, "planned_hours")
    rulebook = request.rulebook
    if rulebook and rulebook.max_service_hours and hours > rulebook.max_service_hours:
        raise _refuse(
            "planned_hours",
            _("Een dienst duurt hoogstens %(max)s uur.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    if request.compensation in PAID:
        # The volunteer allowance: from the yearly limit on, no more paid klussen that year
        # (unless the board made an exception).
        hooks.allowance_check_plannable(volunteer=response.volunteer, year=date.year)
    service = Service.objects.create(
        request=request,
        requester=request.requester,
        volunteer=response.volunteer,
        cluster=request.cluster,
        rulebook=rulebook,
        compensation=request.compensation,
        date=date,
        start_time=start_time,
        planned_hours=hours,
    )
    HelpResponse.objects.filter(pk=response.pk).update(status=HelpResponse.Status.ACCEPTED)
    others = list(request.responses.exclude(pk=response.pk).select_related("volunteer"))
    request.responses.exclude(pk=response.pk).update(status=HelpResponse.Status.NOT_CHOSEN)
    request.status = HelpRequest.Status.MATCHED
    request.save(update_fields=["status"])
    audit_record(
        actor_id=actor.pk,
        action="response.accept",
        target=service,
        summary=f"Dienst #{service.pk} gepland voor hulpvraag #{request.pk}",
    )
    when = f"{date:%d-%m-%Y} {start_time:%H:%M}"
    _notify(
        [response.volunteer],
        _("U bent gekozen"),
        _("U helpt bij '%(title)s' op %(when)s.") % {"title": request.title, "when": when},
    )
    _notify(
        [r.volunteer for r in others],
        _("Een andere vrijwilliger helpt"),
        _("Voor '%(title)s' is een andere vrijwilliger gekozen. Dank voor uw aanbod!")
        % {"title": request.title},
    )
    return service


# --- planning ----------------------------------------------------------------------------------


def service_may(*, actor: Member, service: Service, action: str) -> bool:
    """Who may ``action`` ("move", "cancel", "register", "confirm", "feedback") on a service,
    whatever its status. Both sides may move or cancel; registering hours is the volunteer's,
    confirming and feedback the requester's. Coordinators, and assistants of the buurt of the
    member concerned, act on that member's behalf (for members without internet)."""
    if action in ("move", "cancel"):
        if actor.pk in (service.requester_id, service.volunteer_id):
            return True
        return permissions.can(actor, "service.coordinate", about=service.requester)
    member = service.volunteer if action == "register" else service.requester
    return actor.pk == member.pk or permissions.can(actor, "service.coordinate", about=member)


def service_actions(*, actor: Member, service: Service) -> set[str]:
    """What ``actor`` can do with ``service`` now (who they are and where the service stands);
    pages and the API offer only these. The services below check the same again."""
    planned = service.status == Service.Status.PLANNED
    possible = {
        "move": planned,
        "cancel": planned,
        "register": planned and service.date <= timezone.localdate(),
        "confirm": service.status == Service.Status.REGISTERED,
        "feedback": service.status == Service.Status.CONFIRMED and service.feedback_at is None,
    }
    return {
        action
        for action, now in possible.items()
        if now and service_may(actor=actor, service=service, action=action)
    }


def _require(actor: Member, service: Service, action: str) -> None:
    if not service_may(actor=actor, service=service, action=action):
        raise _refuse(None, _("U mag dit bij deze dienst niet doen."), "forbidden")


def _tell_both(service: Service, subject: str, body: str) -> None:
    # One mail each, so neither side learns the other's email address from it.
    for member in (service.requester, service.volunteer):
        _notify([member], subject, body)


def _uur(hours: Decimal) -> str:
    """Hours as the Dutch write them: 2, 1,5."""
    return floatformat(hours, -1)


def _when(service: Service) -> str:
    return f"{service.date:%d-%m-%Y} {service.start_time:%H:%M}"


@transaction.atomic
def service_move(
    *, actor: Member, service: Service, date: dt.date, start_time: dt.time, reason: str
) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "move")
    if service.status != Service.Status.PLANNED:
        raise _refuse(None, _("Alleen een geplande dienst kan worden verzet."), "not_planned")
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise _refuse("reason", _("Geef een reden op; de ander krijgt die te lezen."), "required")
    if date < timezone.localdate():
        raise _refuse("date", _("Kies een datum vanaf vandaag."), "past")
    old = _when(service)
    service.date, service.start_time, service.reminder_sent_for = date, start_time, None
    service.save(update_fields=["date", "start_time", "reminder_sent_for"])
    new = _when(service)
    audit_record(
        actor_id=actor.pk,
        action="service.move",
        target=service,
        summary=f"Dienst #{service.pk} verzet",
        changes={"when": [old, new]},
    )
    _tell_both(
        service,
        _("Dienst verzet"),
        _("De dienst '%(title)s' van %(old)s is verzet naar %(new)s. Reden: %(reason)s")
        % {"title": service.request.title, "old": old, "new": new, "reason": reason},
    )
    return service


@transaction.atomic
def service_cancel(*, actor: Member, service: Service, reason: str) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "cancel")
    if service.status != Service.Status.PLANNED:
        raise _refuse(None, _("Alleen een geplande dienst kan worden geannuleerd."), "not_planned")
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise _refuse("reason", _("Geef een reden op; de ander krijgt die te lezen."), "required")
    service.status, service.cancel_reason, service.cancelled_by_id = (
        Service.Status.CANCELLED,
        reason,
        actor.pk,
    )
    service.save(update_fields=["status", "cancel_reason", "cancelled_by_id"])
    request = service.request
    if (
        request.status == HelpRequest.Status.MATCHED
        and not request.services.exclude(status=Service.Status.CANCELLED).exists()
    ):
        # Nobody helps any more: the request is open again for other volunteers, and may be
        # reminded about again if nobody answers.
        request.status, request.reminder_sent_at = HelpRequest.Status.OPEN, None
        request.save(update_fields=["status", "reminder_sent_at"])
    audit_record(
        actor_id=actor.pk,
        action="service.cancel",
        target=service,
        summary=f"Dienst #{service.pk} geannuleerd",
    )
    _tell_both(
        service,
        _("Dienst geannuleerd"),
        _("De dienst '%(title)s' van %(when)s gaat niet door. Reden: %(reason)s")
        % {"title": request.title, "when": _when(service), "reason": reason},
    )
    return service


# --- after the appointment ---------------------------------------------------------------------


@transaction.atomic
def service_register_hours(*, actor: Member, service: Service, hours: Any) -> Service:
    """The volunteer registers the hours actually spent; the rules cap them."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "register")
    if service.status != Service.Status.PLANNED:
        raise _refuse(
            None,
            _("Voor deze dienst zijn de uren al geregistreerd of hij is geannuleerd."),
            "not_planned",
        )
    if service.date > timezone.localdate():
        raise _refuse(None, _("Uren registreert u na de afspraak."), "too_early")
    hours = _hours(hours, "hours")
    rulebook = service.rulebook
    if rulebook and rulebook.max_service_hours and hours > rulebook.max_service_hours:
        raise _refuse(
            "hours",
            _("Volgens de spelregels duurt een dienst hoogstens %(max)s uur.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    service.registered_hours, service.registered_at = hours, timezone.now()
    service.status = Service.Status.REGISTERED
    service.save(update_fields=["registered_hours", "registered_at", "status"])
    audit_record(
        actor_id=actor.pk,
        action="service.register",
        target=service,
        summary=f"Dienst #{service.pk}: {hours} uur geregistreerd",
    )
    _notify(
        [service.requester],
        _("Bevestig de geholpen uren"),
        _("%(name)s heeft %(hours)s uur geregistreerd voor '%(title)s'. Wilt u dat bevestigen?")
        % {"name": service.volunteer.name, "hours": _uur(hours), "title": service.request.title},
    )
    return service


@transaction.atomic
def service_confirm(*, actor: Member, service: Service) -> Service:
    """The requester (or a coordinator for them) confirms the registered hours: the
    compensation is settled through the one settlement interface, and feedback becomes due."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "confirm")
    if service.status != Service.Status.REGISTERED:
        raise _refuse(
            None,
            _("Er zijn nog geen uren om te bevestigen, of ze zijn al bevestigd."),
            "not_registered",
        )
    rulebook = service.rulebook
    service.status, service.confirmed_at, service.confirmed_by_id = (
        Service.Status.CONFIRMED,
        timezone.now(),
        actor.pk,
    )
    if rulebook and rulebook.feedback_days:
        service.feedback_due = timezone.localdate() + dt.timedelta(days=rulebook.feedback_days)
    service.save(update_fields=["status", "confirmed_at", "confirmed_by_id", "feedback_due"])
    compensation_record(service=service)
    request = service.request
    next_date = service.date + dt.timedelta(days=7)
    if (
        request.repeats_weekly
        and request.status == HelpRequest.Status.MATCHED
        and service.compensation in PAID
        and hooks.allowance_reached(volunteer=service.volunteer, year=next_date.year)
    ):
        # A paid weekly klus, but the volunteer reached the yearly allowance limit: the
        # request opens again for another volunteer instead of planning the next week.
        request.status, request.reminder_sent_at = HelpRequest.Status.OPEN, None
        request.save(update_fields=["status", "reminder_sent_at"])
        _tell_both(
            service,
            _("Volgende week zoeken we een andere vrijwilliger"),
            _(
                "%(name)s heeft de grens van de vrijwilligersvergoeding voor %(year)s bereikt. "
                "De hulpvraag '%(title)s' staat weer open, zodat een andere vrijwilliger kan "
                "helpen."
            )
            % {"name": service.volunteer.name, "year": next_date.year, "title": request.title},
        )
    elif request.repeats_weekly and request.status == HelpRequest.Status.MATCHED:
        # Weekly help: the same volunteer, a week later, same time.
        Service.objects.create(
            request=request,
            requester=service.requester,
            volunteer=service.volunteer,
            cluster=service.cluster,
            rulebook=rulebook_current() or rulebook,
            compensation=service.compensation,
            date=next_date,
            start_time=service.start_time,
            planned_hours=service.planned_hours,
        )
    elif request.status == HelpRequest.Status.MATCHED:
        request.status, request.closed_at = HelpRequest.Status.CLOSED, timezone.now()
        request.save(update_fields=["status", "closed_at"])
    audit_record(
        actor_id=actor.pk,
        action="service.confirm",
        target=service,
        summary=f"Dienst #{service.pk} bevestigd",
    )
    _notify(
        [service.volunteer],
        _("Uw uren zijn bevestigd"),
        _("%(hours)s uur voor '%(title)s' is bevestigd. Dank u wel!")
        % {"hours": _uur(service.registered_hours), "title": request.title},
    )
    return service


@transaction.atomic
def service_feedback(*, actor: Member, service: Service, rating: Any, comment: str = "") -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "feedback")
    if service.status != Service.Status.CONFIRMED:
        raise _refuse(
            None, _("Terugkoppeling geeft u nadat de uren zijn bevestigd."), "not_confirmed"
        )
    if service.feedback_at is not None:
        raise _refuse(None, _("Voor deze dienst is al terugkoppeling gegeven."), "already_given")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise _refuse("rating", _("Kies een waardering van 1 tot en met 5."), "invalid")
    service.rating, service.feedback = rating, (comment or "").strip()[:2000]
    service.feedback_at = timezone.now()
    service.save(update_fields=["rating", "feedback", "feedback_at"])
    audit_record(
        actor_id=actor.pk,
        action="service.feedback",
        target=service,
        summary=f"Terugkoppeling op dienst #{service.pk}",
    )
    return service


# --- member settings ---------------------------------------------------------------------------


def member_settings(*, member: Member) -> MemberSettings:
    settings_row, _created = MemberSettings.objects.get_or_create(
        member=member, defaults={"calendar_token": secrets.token_urlsafe(32)}
    )
    return settings_row


@transaction.atomic
def calendar_token_renew(*, member: Member) -> MemberSettings:
    """A new secret calendar address; the old one stops working at once."""
    settings_row = member_settings(member=member)
    settings_row.calendar_token = secrets.token_urlsafe(32)
    settings_row.save(update_fields=["calendar_token"])
    return settings_row


@transaction.atomic
def digest_set(*, member: Member, digest: str) -> MemberSettings:
    if digest not in MemberSettings.Digest.values:
        raise _refuse("digest", _("Kies dagelijks, wekelijks of geen."), "invalid")
    settings_row = member_settings(member=member)
    settings_row.digest = digest
    settings_row.save(update_fields=["digest"])
    return settings_row


# --- what a confirmed service owes ------------------------------------------------------------


@transaction.atomic
def compensation_record(*, service: Service) -> list[CompensationDue]:
    """Record what the confirmed ``service`` owes. Idempotent: calling it again returns the
    rows already recorded (one per kind, enforced by a unique constraint)."""
    dues = []
    for kind, (amount, share) in selectors.compensation_amounts(
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
        # The settler of the kind takes it (cooperatives/marketplace/hooks.py): the points
        # ledger books points at once (or holds them for the recipient's approval), billing
        # records euros as a klus to pay.
        settle = hooks.settler_for(kind)
        if settle is not None:
            settle(due)
    return dues


def due_mark_settled(*, service_id: int, kind: str) -> int:
    return CompensationDue.objects.filter(
        service_id=service_id, kind=kind, status=CompensationDue.Status.OWED
    ).update(status=CompensationDue.Status.SETTLED, settled_at=timezone.now())
