"""Writes in the marketplace: requests, offers, "ik help", the service lifecycle (plan, move,
cancel, register hours, confirm, feedback), a member's settings, what a confirmed service owes,
and the background notices (digests, reminders, expiry, the coordinators' summary).

The cooperative's house rules are checked here, each refusal with its own Dutch message and
code; nothing is half-written.

The notices work in the current schema (the Celery task runs them in its cooperative's schema)
and are idempotent through the marker fields on the models: each row is handled in its own
transaction under a row lock that a second worker skips (``skip_locked``), the lock's query
re-checks that the marker is still empty, and the marker is set in the same transaction in
which the email goes out. So running one twice, or on two workers at once, sends nothing twice;
an email that fails rolls its marker back and the next run tries again. A member without email
is not mailed: the coordinators' summary lists them to be phoned.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cooperatives.marketplace import emails, hooks, selectors
from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    HoursDispute,
    MemberSettings,
    Offer,
    Reach,
    Service,
    ServiceMessage,
)
from cooperatives.marketplace.selectors import OPEN_STATUSES, PAID, may
from cooperatives.members.models import DAY_PARTS, Member
from cooperatives.rules.models import Compensation
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster
from cooperatives.setup.selectors import neighbourhood_for_address
from shared.audit.services import audit_record
from shared.mail import Mail, cooperative_link, mail_send
from shared.tenancy.current import current_cooperative
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error as _refuse
from shared.validation import normalize_postcode

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Hours as a form ("1,5"), the API ("1.5") or code (Decimal) gives them.
HoursInput = Decimal | int | float | str
DIGEST_DAYS = {MemberSettings.Digest.DAILY: 1, MemberSettings.Digest.WEEKLY: 7}
RENEWAL_NOTICE_DAYS = 7
FEEDBACK_NOTICE_DAYS = 2


def _notify(
    members: Iterable[Member],
    *,
    subject: StrOrPromise,
    body: StrOrPromise,
    link: str,
    label: StrOrPromise,
    **values: object,
) -> None:
    """Email members after the commit, through shared.mail: each in their own language (the
    texts are lazy, translated when composed), with the link to the page where what the mail
    asks is done. One mail each, so nobody learns another's address from it."""
    recipients = [m for m in members if m.email]

    def compose() -> Mail:
        return Mail(
            subject=str(subject) % values,
            body=str(body) % values,
            link=link,
            link_label=str(label),
        )

    for member in recipients:
        mail_send(to=[member], compose=compose)


def _link(name: str, *args: object, anchor: str = "") -> str:
    """The full address of a page of this cooperative, for an email."""
    return cooperative_link(reverse(name, args=args) + (f"#{anchor}" if anchor else ""))


def _on_behalf(actor: Member, member: Member) -> bool:
    """True when ``actor`` acts for someone else; refuses if they may not."""
    if actor.pk == member.pk:
        return False
    if not may(actor, "service.coordinate", about=member):
        raise _refuse(None, _("U mag dit niet namens dit lid doen."), "forbidden")
    return True


def _hours(value: HoursInput, field: str) -> Decimal:
    try:
        hours = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except Exception:
        raise _refuse(field, _("Vul een aantal uren in, bijvoorbeeld 1,5."), "invalid") from None
    if hours <= 0:
        raise _refuse(field, _("Vul een aantal uren groter dan 0 in."), "invalid")
    return hours


# --- requests ----------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor: Member,
    requester: Member,
    cluster: Cluster,
    title: str,
    expected_hours: HoursInput,
    description: str = "",
    preferred_dates: Sequence[dt.date] = (),
    preferred_parts: Sequence[str] = (),
    street: str | None = None,
    house_number: str | None = None,
    postcode: str | None = None,
    repeats_weekly: bool = False,
    network_checked: bool = False,
) -> HelpRequest:
    """A member asks for help, or a coordinator or neighbourhood assistant asks for them.
    Every house rule in force today is checked here, each with its own message."""
    on_behalf = actor.pk != requester.pk
    if on_behalf and not may(actor, "request.create_on_behalf", about=requester):
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
    # A large paid klus goes to the partners (at their social rates), before the longest a
    # service may last is even asked: it is not "too long", it is not ours to do.
    referral = selectors.klus_referral_hours(rulebook=rulebook, compensation=compensation)
    if referral and hours > referral:
        raise _refuse(
            "expected_hours",
            _(
                "Een klus van meer dan %(max)s uur doen wij niet zelf: daarvoor hebben we "
                "afspraken met partners tegen een sociaal tarief. Neem contact op met: "
                "%(partners)s."
            )
            % {
                "max": _uur(referral),
                "partners": selectors.partner_referral_text(rulebook=rulebook),
            },
            "referred_to_partner",
        )
    if rulebook and rulebook.max_service_hours and hours > rulebook.max_service_hours:
        raise _refuse(
            "expected_hours",
            _("Een dienst duurt hoogstens %(max)s uur. Vraag hulp in kortere delen.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    if (
        selectors.request_needs_network_check(rulebook=rulebook, cluster=cluster)
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
    if request.services.filter(
        status__in=[Service.Status.REGISTERED, Service.Status.DISPUTED]
    ).exists():
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
    availability: Sequence[str] = (),
    reach: str = Reach.NEIGHBOURHOOD,
) -> Offer:
    if not may(actor, "offer.create"):
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
    if not may(volunteer, "request.respond"):
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
            subject=_lazy("Iemand wil u helpen"),
            body=_lazy("%(name)s wil helpen bij uw hulpvraag '%(title)s'."),
            link=_link("request-detail", request.pk),
            label=_lazy("Kies wie u helpt"),
            name=volunteer.name,
            title=request.title,
        )
    return response


@transaction.atomic
def response_accept(
    *,
    actor: Member,
    response: HelpResponse,
    date: dt.date,
    start_time: dt.time,
    planned_hours: HoursInput | None = None,
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
        subject=_lazy("U bent gekozen"),
        body=_lazy("U helpt bij '%(title)s' op %(when)s."),
        link=_link("service-detail", service.pk),
        label=_lazy("Bekijk de afspraak"),
        title=request.title,
        when=when,
    )
    _notify(
        [r.volunteer for r in others],
        subject=_lazy("Een andere vrijwilliger helpt"),
        body=_lazy("Voor '%(title)s' is een andere vrijwilliger gekozen. Dank voor uw aanbod!"),
        link=_link("marketplace"),
        label=_lazy("Bekijk andere hulpvragen"),
        title=request.title,
    )
    return service


# --- planning ----------------------------------------------------------------------------------


def _require(actor: Member, service: Service, action: str) -> None:
    if not selectors.service_may(actor=actor, service=service, action=action):
        raise _refuse(None, _("U mag dit bij deze dienst niet doen."), "forbidden")


def _tell_both(
    service: Service, *, subject: StrOrPromise, body: StrOrPromise, **values: object
) -> None:
    """Both sides of the service hear of a change, with the link to its page."""
    _notify(
        [service.requester, service.volunteer],
        subject=subject,
        body=body,
        link=_link("service-detail", service.pk),
        label=_lazy("Bekijk de afspraak"),
        **values,
    )


def _coordinators_of(service: Service) -> list[Member]:
    """The coordinators, and the assistants of the requester's buurt, who look after it."""
    return [
        c
        for c in selectors.coordinators_to_mail()
        if may(c, "service.coordinate", about=service.requester)
        and c.pk not in (service.requester_id, service.volunteer_id)
    ]


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
        subject=_lazy("Dienst verzet"),
        body=_lazy("De dienst '%(title)s' van %(old)s is verzet naar %(new)s. Reden: %(reason)s"),
        title=service.request.title,
        old=old,
        new=new,
        reason=reason,
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
        subject=_lazy("Dienst geannuleerd"),
        body=_lazy("De dienst '%(title)s' van %(when)s gaat niet door. Reden: %(reason)s"),
        title=request.title,
        when=_when(service),
        reason=reason,
    )
    return service


# --- after the appointment ---------------------------------------------------------------------


@transaction.atomic
def service_register_hours(*, actor: Member, service: Service, hours: HoursInput) -> Service:
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
    worked = _hours(hours, "hours")
    rulebook = service.rulebook
    if rulebook and rulebook.max_service_hours and worked > rulebook.max_service_hours:
        raise _refuse(
            "hours",
            _("Volgens de spelregels duurt een dienst hoogstens %(max)s uur.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    service.registered_hours, service.registered_at = worked, timezone.now()
    service.status = Service.Status.REGISTERED
    service.save(update_fields=["registered_hours", "registered_at", "status"])
    audit_record(
        actor_id=actor.pk,
        action="service.register",
        target=service,
        summary=f"Dienst #{service.pk}: {worked} uur geregistreerd",
    )
    _notify(
        [service.requester],
        subject=_lazy("Bevestig de geholpen uren"),
        body=_lazy(
            "%(name)s heeft %(hours)s uur geregistreerd voor '%(title)s'. Klopt dat? Bevestig "
            "de uren, of laat weten wat er niet klopt."
        ),
        link=_link("service-detail", service.pk, anchor="bevestigen"),
        label=_lazy("Bevestig de uren"),
        name=service.volunteer.name,
        hours=_uur(worked),
        title=service.request.title,
    )
    return service


def _confirm(actor: Member, service: Service, *, approve_quality: bool) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "confirm_approve" if approve_quality else "confirm")
    hours = service.registered_hours
    if service.status == Service.Status.DISPUTED:
        raise _refuse(
            None,
            _(
                "U heeft laten weten dat de uren niet kloppen. Ze worden eerst aangepast; "
                "daarna bevestigt u ze."
            ),
            "disputed",
        )
    if service.status != Service.Status.REGISTERED or hours is None:
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
    compensation_record(service=service, approved_by=actor if approve_quality else None)
    _next_week(service)
    audit_record(
        actor_id=actor.pk,
        action="service.confirm_approve" if approve_quality else "service.confirm",
        target=service,
        summary=f"Dienst #{service.pk} bevestigd"
        + (" en kwaliteit goedgekeurd" if approve_quality else "")
        + ("" if actor.pk == service.requester_id else " (namens de hulpvrager)"),
    )
    _notify(
        [service.volunteer],
        subject=_lazy("Uw uren zijn bevestigd"),
        body=_lazy("%(hours)s uur voor '%(title)s' is bevestigd. Dank u wel!"),
        link=_link("service-detail", service.pk),
        label=_lazy("Bekijk de afspraak"),
        hours=_uur(hours),
        title=service.request.title,
    )
    return service


def _next_week(service: Service) -> None:
    """After a confirmed service of weekly help: plan the same volunteer a week later, or,
    when a paid klus would take them over the yearly allowance, open the request again; a
    one-off request closes."""
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
            subject=_lazy("Volgende week zoeken we een andere vrijwilliger"),
            body=_lazy(
                "%(name)s heeft de grens van de vrijwilligersvergoeding voor %(year)s bereikt. "
                "De hulpvraag '%(title)s' staat weer open, zodat een andere vrijwilliger kan "
                "helpen."
            ),
            name=service.volunteer.name,
            year=next_date.year,
            title=request.title,
        )
    elif request.repeats_weekly and request.status == HelpRequest.Status.MATCHED:
        # Weekly help: the same volunteer, a week later, same time.
        Service.objects.create(
            request=request,
            requester=service.requester,
            volunteer=service.volunteer,
            cluster=service.cluster,
            rulebook=rulebook_current() or service.rulebook,
            compensation=service.compensation,
            date=next_date,
            start_time=service.start_time,
            planned_hours=service.planned_hours,
        )
    elif request.status == HelpRequest.Status.MATCHED:
        request.status, request.closed_at = HelpRequest.Status.CLOSED, timezone.now()
        request.save(update_fields=["status", "closed_at"])


@transaction.atomic
def service_confirm(*, actor: Member, service: Service) -> Service:
    """The requester (or a coordinator for them) confirms the registered hours: the
    compensation is settled through the one settlement interface, and feedback becomes due.
    Where the rules let the recipient approve the quality first, the points wait for that
    approval (``service_confirm_and_approve`` does both in one step)."""
    return _confirm(actor, service, approve_quality=False)


@transaction.atomic
def service_confirm_and_approve(*, actor: Member, service: Service) -> Service:
    """Confirm the hours and approve the quality in one step: where the rules let the
    recipient approve the quality before points are booked (WIJ), the points are booked at
    once, with nothing left pending. Elsewhere the same as confirming."""
    return _confirm(actor, service, approve_quality=True)


@transaction.atomic
def service_dispute(*, actor: Member, service: Service, reason: str) -> Service:
    """The requester (or a coordinator for them) says the registered hours are not right, and
    why. Nothing is settled meanwhile: no points are booked and no klus is recorded until the
    volunteer or a coordinator corrects the hours and the requester confirms them. The
    volunteer and the coordinators of the buurt hear of it, with the link to the service."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "dispute")
    if service.status != Service.Status.REGISTERED or service.registered_hours is None:
        raise _refuse(
            None,
            _("Alleen uren die zijn geregistreerd en nog niet bevestigd, kunt u betwisten."),
            "not_registered",
        )
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise _refuse(
            "reason",
            _("Schrijf op wat er niet klopt; de vrijwilliger en de coördinator lezen het."),
            "required",
        )
    HoursDispute.objects.create(
        service=service, raised_by=actor, reason=reason, disputed_hours=service.registered_hours
    )
    service.status = Service.Status.DISPUTED
    service.save(update_fields=["status"])
    audit_record(
        actor_id=actor.pk,
        action="service.dispute",
        target=service,
        summary=f"Dienst #{service.pk}: uren betwist"
        + ("" if actor.pk == service.requester_id else " (namens de hulpvrager)"),
    )
    values = {
        "requester": service.requester.name,
        "volunteer": service.volunteer.name,
        "hours": _uur(service.registered_hours),
        "title": service.request.title,
        "reason": reason,
    }
    link = _link("service-detail", service.pk, anchor="aanpassen")
    _notify(
        [service.volunteer],
        subject=_lazy("De uren voor '%(title)s' kloppen niet volgens %(requester)s"),
        body=_lazy(
            "%(requester)s laat weten dat de %(hours)s uur voor '%(title)s' niet kloppen: "
            '"%(reason)s". Pas de uren aan; daarna bevestigt %(requester)s ze opnieuw. Tot '
            "dan wordt niets verrekend."
        ),
        link=link,
        label=_lazy("Pas de uren aan"),
        **values,
    )
    _notify(
        _coordinators_of(service),
        subject=_lazy("Uren betwist: '%(title)s'"),
        body=_lazy(
            "%(requester)s zegt dat de %(hours)s uur die %(volunteer)s registreerde voor "
            "'%(title)s' niet kloppen: \"%(reason)s\". %(volunteer)s kan de uren aanpassen; u "
            "kunt ze ook vaststellen."
        ),
        link=link,
        label=_lazy("Bekijk de afspraak"),
        **values,
    )
    return service


@transaction.atomic
def service_dispute_resolve(
    *, actor: Member, service: Service, hours: HoursInput, note: str = ""
) -> Service:
    """The volunteer registers corrected hours, or a coordinator sets them, after the
    requester said they were not right. The requester then confirms again (nothing was
    settled meanwhile)."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "resolve")
    dispute = (
        HoursDispute.objects.select_for_update()
        .filter(service=service, resolved_at__isnull=True)
        .first()
    )
    if service.status != Service.Status.DISPUTED or dispute is None:
        raise _refuse(None, _("Over de uren van deze dienst is geen bezwaar."), "not_disputed")
    worked = _hours(hours, "hours")
    rulebook = service.rulebook
    if rulebook and rulebook.max_service_hours and worked > rulebook.max_service_hours:
        raise _refuse(
            "hours",
            _("Volgens de spelregels duurt een dienst hoogstens %(max)s uur.")
            % {"max": _uur(rulebook.max_service_hours)},
            "too_long",
        )
    note = " ".join((note or "").split())[:500]
    now = timezone.now()
    dispute.resolved_by, dispute.resolved_at = actor, now
    dispute.corrected_hours, dispute.resolution_note = worked, note
    dispute.save(update_fields=["resolved_by", "resolved_at", "corrected_hours", "resolution_note"])
    before = service.registered_hours
    service.registered_hours, service.registered_at = worked, now
    service.status = Service.Status.REGISTERED
    service.save(update_fields=["registered_hours", "registered_at", "status"])
    audit_record(
        actor_id=actor.pk,
        action="service.resolve",
        target=service,
        summary=f"Dienst #{service.pk}: uren vastgesteld op {worked}"
        + ("" if actor.pk == service.volunteer_id else " (namens de vrijwilliger)"),
        changes={"registered_hours": [str(before), str(worked)]},
    )
    _notify(
        [service.requester],
        subject=_lazy("De uren voor '%(title)s' zijn aangepast"),
        body=_lazy(
            "%(name)s heeft de uren voor '%(title)s' vastgesteld op %(hours)s uur. %(note)s"
            "Klopt het nu? Bevestig de uren, of laat weten wat er nog niet klopt."
        ),
        link=_link("service-detail", service.pk, anchor="bevestigen"),
        label=_lazy("Bevestig de uren"),
        name=actor.name,
        title=service.request.title,
        hours=_uur(worked),
        note=f'"{note}" ' if note else "",
    )
    return service


@transaction.atomic
def service_quality_approve(*, actor: Member, service: Service) -> Service:
    """For a service confirmed without approving the quality (through the API, or before the
    two were one step): the requester (or a coordinator for them) approves it on the service
    page, and the points held for it are booked."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "approve")
    due = next(
        (
            d
            for d in service.dues.all()
            if d.kind == CompensationDue.Kind.POINTS and d.status == CompensationDue.Status.OWED
        ),
        None,
    )
    approve = hooks.quality_approver_for(CompensationDue.Kind.POINTS)
    if (
        service.status != Service.Status.CONFIRMED
        or due is None
        or approve is None
        or not selectors.points_waiting_for_approval(service=service)
    ):
        raise _refuse(None, _("Er wacht hier niets op uw goedkeuring."), "nothing_to_approve")
    now = timezone.now()
    CompensationDue.objects.filter(pk=due.pk).update(
        quality_approved_at=now, quality_approved_by_id=actor.pk
    )
    due.quality_approved_at, due.quality_approved_by_id = now, actor.pk
    _settle_or_hold(due, actor=actor)
    audit_record(
        actor_id=actor.pk,
        action="service.approve",
        target=service,
        summary=f"Dienst #{service.pk}: kwaliteit goedgekeurd"
        + ("" if actor.pk == service.requester_id else " (namens de hulpvrager)"),
    )
    return service


@transaction.atomic
def service_dues_settle(*, actor: Member, service: Service) -> Service:
    """A coordinator books what a confirmed service owes that could not be booked when it was
    confirmed (a balance limit, say), once that is possible (after a contribution from the
    solidarity pot, for instance). Still impossible: refused with the reason, nothing
    changes."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "settle")
    held = selectors.dues_held(service=service)
    if service.status != Service.Status.CONFIRMED or not held:
        raise _refuse(None, _("Bij deze dienst staat niets te boeken."), "nothing_held")
    for due in held:
        reason = _settle_or_hold(due, actor=actor)
        if reason:
            raise _refuse(None, reason, "still_held")
    audit_record(
        actor_id=actor.pk,
        action="service.settle",
        target=service,
        summary=f"Dienst #{service.pk}: alsnog geboekt",
    )
    return service


@transaction.atomic
def service_feedback(
    *, actor: Member, service: Service, rating: int | str | None, comment: str = ""
) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    _require(actor, service, "feedback")
    if service.status != Service.Status.CONFIRMED:
        raise _refuse(
            None, _("Terugkoppeling geeft u nadat de uren zijn bevestigd."), "not_confirmed"
        )
    if service.feedback_at is not None:
        raise _refuse(None, _("Voor deze dienst is al terugkoppeling gegeven."), "already_given")
    try:
        stars = int(rating or 0)
    except ValueError:
        stars = 0
    if not 1 <= stars <= 5:
        raise _refuse("rating", _("Kies een waardering van 1 tot en met 5."), "invalid")
    service.rating, service.feedback = stars, (comment or "").strip()[:2000]
    service.feedback_at = timezone.now()
    service.save(update_fields=["rating", "feedback", "feedback_at"])
    audit_record(
        actor_id=actor.pk,
        action="service.feedback",
        target=service,
        summary=f"Terugkoppeling op dienst #{service.pk}",
    )
    return service


# --- reaching each other ------------------------------------------------------------------------


@transaction.atomic
def service_message_send(*, actor: Member, service: Service, body: str) -> ServiceMessage:
    """A message on the service page, from one side to the other (or from a coordinator or the
    assistant of the buurt to both). Kept with the service; the other side gets a mail with
    the link, and a member without email hears it through the coordinators' daily list."""
    service = Service.objects.select_related("request", "requester", "volunteer").get(pk=service.pk)
    _require(actor, service, "message")
    if service.status == Service.Status.CANCELLED:
        raise _refuse(
            None,
            _("Bij een afspraak die niet doorgaat, kunt u geen berichten sturen."),
            "cancelled",
        )
    text = (body or "").strip()[:2000]
    if not text:
        raise _refuse("body", _("Schrijf eerst uw bericht."), "required")
    recipients = selectors.message_recipients(service=service, author=actor)
    message = ServiceMessage.objects.create(
        service=service,
        author=actor,
        body=text,
        relay_due=any(not m.email for m in recipients),
    )
    _notify(
        recipients,
        subject=_lazy("Bericht van %(name)s over '%(title)s'"),
        body=_lazy("%(name)s schreef u over '%(title)s':\n\n%(text)s"),
        link=_link("service-detail", service.pk, anchor="berichten"),
        label=_lazy("Lees en beantwoord het bericht"),
        name=selectors.first_name(actor),
        title=service.request.title,
        text=text,
    )
    return message


@transaction.atomic
def contact_sharing_set(
    *, actor: Member, member: Member, share_phone: bool, share_email: bool
) -> MemberSettings:
    """What ``member`` lets the other side of a matched service see: their phone number, their
    email address, both or neither. Their own choice, or set by a coordinator or the
    assistant of their buurt for a member without internet (then audited)."""
    on_behalf = actor.pk != member.pk
    if on_behalf and not may(actor, "member.edit", about=member):
        raise _refuse(None, _("U mag dit niet namens dit lid doen."), "forbidden")
    settings_row = member_settings_ensure(member=member)
    before = {"share_phone": settings_row.share_phone, "share_email": settings_row.share_email}
    settings_row.share_phone, settings_row.share_email = bool(share_phone), bool(share_email)
    settings_row.save(update_fields=["share_phone", "share_email"])
    if on_behalf:
        audit_record(
            actor_id=actor.pk,
            action="member.contact_sharing",
            target=member,
            summary=f"Contactgegevens delen ingesteld voor lid #{member.pk}",
            changes={
                key: [before[key], getattr(settings_row, key)]
                for key in before
                if before[key] != getattr(settings_row, key)
            },
        )
    return settings_row


# --- member settings ---------------------------------------------------------------------------


def member_settings_ensure(*, member: Member) -> MemberSettings:
    """The member's settings, made with a secret calendar address the first time."""
    settings_row, _created = MemberSettings.objects.get_or_create(
        member=member, defaults={"calendar_token": secrets.token_urlsafe(32)}
    )
    return settings_row


@transaction.atomic
def calendar_token_renew(*, member: Member) -> MemberSettings:
    """A new secret calendar address; the old one stops working at once."""
    settings_row = member_settings_ensure(member=member)
    settings_row.calendar_token = secrets.token_urlsafe(32)
    settings_row.save(update_fields=["calendar_token"])
    return settings_row


@transaction.atomic
def digest_set(*, member: Member, digest: str) -> MemberSettings:
    if digest not in MemberSettings.Digest.values:
        raise _refuse("digest", _("Kies dagelijks, wekelijks of geen."), "invalid")
    settings_row = member_settings_ensure(member=member)
    settings_row.digest = digest
    settings_row.save(update_fields=["digest"])
    return settings_row


# --- what a confirmed service owes ------------------------------------------------------------


@transaction.atomic
def compensation_record(
    *, service: Service, approved_by: Member | None = None
) -> list[CompensationDue]:
    """Record what the confirmed ``service`` owes. Idempotent: calling it again returns the
    rows already recorded (one per kind, enforced by a unique constraint). A service that is
    not confirmed (its hours registered, or disputed) owes nothing yet. ``approved_by``: the
    requester approved the quality while confirming, so points are booked at once.

    Each due goes to the settler of its kind (cooperatives/marketplace/hooks.py): the points
    ledger books points (or holds them for the recipient's approval), billing records euros as
    a klus to pay. A settler that refuses (a balance limit, say) leaves the due owed with its
    reason, for a coordinator to book later (``service_dues_settle``): confirming the hours
    never fails on it."""
    dues: list[CompensationDue] = []
    if service.registered_hours is None or service.status != Service.Status.CONFIRMED:
        return dues
    approved_at = timezone.now() if approved_by is not None else None
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
                "quality_approved_at": approved_at,
                "quality_approved_by_id": approved_by.pk if approved_by else None,
            },
        )
        dues.append(due)
        if due.status == CompensationDue.Status.OWED and _settle_or_hold(due, actor=approved_by):
            _tell_held(service, due)
    return dues


def _settle_or_hold(due: CompensationDue, *, actor: Member | None) -> str:
    """Hand ``due`` to the settler of its kind, and, when its quality was approved, to the
    approver that books what was held for that. A refusal rolls back only this attempt and
    is kept on the due as the reason it waits (returned); "" when nothing stands in the way."""
    try:
        with transaction.atomic():
            settle = hooks.settler_for(due.kind)
            if settle is not None:
                settle(due)
            approve = hooks.quality_approver_for(due.kind)
            if due.quality_approved_at is not None and approve is not None and actor is not None:
                approve(due, actor)
    except ValidationError as error:
        reason = " ".join(error.messages)[:300]
        CompensationDue.objects.filter(pk=due.pk).update(held_reason=reason)
        return reason
    if due.held_reason:
        CompensationDue.objects.filter(pk=due.pk).update(held_reason="")
    return ""


def _tell_held(service: Service, due: CompensationDue) -> None:
    _notify(
        _coordinators_of(service),
        subject=_lazy("Nog te boeken: '%(title)s'"),
        body=_lazy(
            "De uren van '%(title)s' (%(requester)s, geholpen door %(volunteer)s) zijn "
            "bevestigd, maar wat de dienst oplevert kon niet worden geboekt."
        ),
        link=_link("service-detail", service.pk, anchor="boeken"),
        label=_lazy("Bekijk en boek het"),
        title=service.request.title,
        requester=service.requester.name,
        volunteer=service.volunteer.name,
    )


def due_mark_settled(*, service_id: int, kind: str) -> int:
    """A settler marks what a service owed of ``kind`` settled (the number of rows changed)."""
    return CompensationDue.objects.filter(
        service_id=service_id, kind=kind, status=CompensationDue.Status.OWED
    ).update(status=CompensationDue.Status.SETTLED, settled_at=timezone.now())


# --- background notices ------------------------------------------------------------------------

ModelT = TypeVar("ModelT", bound=models.Model)


class _Cooperative(Protocol):
    slug: str
    name: str


@dataclass
class NoticeRun:
    """What one run of notices did: emails sent per kind, and what the coordinators should hear
    of (members without email to phone, requests still unmatched, requests that expired)."""

    sent: Counter[str] = field(default_factory=Counter)
    # who, why, about (a relayed message's text is its "why")
    phone: list[tuple[Member, StrOrPromise, str]] = field(default_factory=list)
    unmatched: list[HelpRequest] = field(default_factory=list)
    expired: list[HelpRequest] = field(default_factory=list)
    cooperative: _Cooperative = field(default_factory=current_cooperative)

    def link(self, name: str, *args: object) -> str:
        """The full address of a page on this cooperative's subdomain, for an email."""
        return cooperative_url(slug=self.cooperative.slug, path=reverse(name, args=args))


def _mail(
    run: NoticeRun, member: Member, kind: str, *, link: str, about: str = "", **context: object
) -> None:
    """Send one notice now, inside the row's transaction (so a mail that fails rolls its
    marker back), through shared.mail: in the member's language, with ``link`` to the page
    where its action is done. A member without email goes on the coordinators' list to
    phone."""
    if not member.email:
        run.phone.append((member, emails.PHONE_REASONS[kind], about))
        return
    mail_send(
        to=[member],
        compose=lambda: emails.notice_compose(
            kind, cooperative_name=run.cooperative.name, member=member, link=link, **context
        ),
        after_commit=False,
    )
    run.sent[kind] += 1


def _each(lock: QuerySet[ModelT], pks: Iterable[int], handle: Callable[[ModelT], None]) -> None:
    """Handle each row in a transaction of its own, locked; ``lock`` carries the conditions
    (marker still empty), so a row another worker holds or has done is left alone."""
    for pk in pks:
        with transaction.atomic():
            row = lock.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if row is not None:
                handle(row)


def digests_send(*, now: dt.datetime | None = None, run: NoticeRun | None = None) -> NoticeRun:
    """The daily or weekly overview of new requests, to every member who can answer "ik help"
    and has an email address (weekly unless they chose otherwise)."""
    now, run = now or timezone.now(), run or NoticeRun()
    due = selectors.digest_due(today=timezone.localdate(now))
    readers = selectors.digest_readers()
    for member in readers.filter(marketplace_settings__isnull=True):
        member_settings_ensure(member=member)
    for member in (
        readers.filter(marketplace_settings__in=due)
        .select_related("neighbourhood", "marketplace_settings")
        .prefetch_related(
            "role_assignments",
            "seats__body",
            "help_clusters",
            "neighbourhood__adjacent",
            Prefetch("offers", queryset=Offer.objects.filter(status=Offer.Status.ACTIVE)),
        )
    ):
        if not may(member, "request.respond"):
            continue

        def handle(row: MemberSettings, member: Member = member) -> None:
            since = row.last_digest_at or now - dt.timedelta(
                days=DIGEST_DAYS[MemberSettings.Digest(row.digest)]
            )
            requests = list(selectors.digest_requests(member=member, since=since, until=now))
            if requests:
                _mail(
                    run,
                    member,
                    "digest",
                    link=run.link("marketplace"),
                    requests=[(r, run.link("request-detail", r.pk)) for r in requests],
                    daily=row.digest == MemberSettings.Digest.DAILY,
                    settings_link=run.link("member-settings"),
                )
            row.last_digest_at = now
            row.save(update_fields=["last_digest_at"])

        _each(due, [member.marketplace_settings.pk], handle)
    return run


def service_reminders_send(
    *, now: dt.datetime | None = None, run: NoticeRun | None = None
) -> NoticeRun:
    """The day before a planned service, both sides hear of it once. The marker is the date
    the reminder was for, so a service moved to another day is reminded again."""
    now, run = now or timezone.now(), run or NoticeRun()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    lock = (
        Service.objects.filter(status=Service.Status.PLANNED, date=tomorrow)
        .exclude(reminder_sent_for=tomorrow)
        .select_related("request", "requester", "volunteer", "cluster")
    )

    def handle(service: Service) -> None:
        for member, kind in (
            (service.requester, "service_reminder_requester"),
            (service.volunteer, "service_reminder_volunteer"),
        ):
            _mail(
                run,
                member,
                kind,
                about=service.request.title,
                service=service,
                link=run.link("service-detail", service.pk),
            )
        service.reminder_sent_for = service.date
        service.save(update_fields=["reminder_sent_for"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def feedback_reminders_send(
    *, now: dt.datetime | None = None, run: NoticeRun | None = None
) -> NoticeRun:
    """Two days before the feedback deadline, the requester is reminded once."""
    now, run = now or timezone.now(), run or NoticeRun()
    today = timezone.localdate(now)
    lock = Service.objects.filter(
        status=Service.Status.CONFIRMED,
        feedback_at__isnull=True,
        feedback_reminder_sent_at__isnull=True,
        feedback_due__gte=today,
        feedback_due__lte=today + dt.timedelta(days=FEEDBACK_NOTICE_DAYS),
        # Not on the day of confirming itself, when the requester has just been on the site.
        confirmed_at__lt=selectors.start_of(today),
    ).select_related("request", "requester", "volunteer")

    def handle(service: Service) -> None:
        _mail(
            run,
            service.requester,
            "feedback_reminder",
            about=service.request.title,
            service=service,
            link=run.link("service-detail", service.pk),
        )
        service.feedback_reminder_sent_at = now
        service.save(update_fields=["feedback_reminder_sent_at"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def requests_expire(*, now: dt.datetime | None = None, run: NoticeRun | None = None) -> NoticeRun:
    """After request_expiry_days without a volunteer a request closes as expired, with a notice
    to the requester. Nothing is deleted: the request and any answers stay as they were."""
    now, run = now or timezone.now(), run or NoticeRun()
    due = selectors.requests_waiting(rule="request_expiry_days", now=now)
    lock = HelpRequest.objects.filter(status=HelpRequest.Status.OPEN).select_related(
        "requester", "cluster"
    )

    def handle(request: HelpRequest) -> None:
        request.status, request.closed_at = HelpRequest.Status.EXPIRED, now
        request.save(update_fields=["status", "closed_at"])
        audit_record(
            actor_id=None,
            action="request.expire",
            target=request,
            summary=f"Hulpvraag #{request.pk} verlopen na {due[request.pk]} dagen",
        )
        _mail(
            run,
            request.requester,
            "request_expired",
            about=request.title,
            request=request,
            link=run.link("request-create"),
        )
        run.expired.append(request)

    _each(lock, list(due), handle)
    return run


def requests_remind(*, now: dt.datetime | None = None, run: NoticeRun | None = None) -> NoticeRun:
    """After request_reminder_days without a volunteer the requester hears that we are still
    looking (and whether volunteers are waiting for their choice); the coordinators see the
    request in their summary."""
    now, run = now or timezone.now(), run or NoticeRun()
    due = selectors.requests_waiting(rule="request_reminder_days", now=now)
    lock = HelpRequest.objects.filter(
        status=HelpRequest.Status.OPEN, reminder_sent_at__isnull=True
    ).select_related("requester", "cluster", "rulebook")

    def handle(request: HelpRequest) -> None:
        _mail(
            run,
            request.requester,
            "request_reminder",
            about=request.title,
            request=request,
            waiting=selectors.waiting_responses(request=request),
            days=due[request.pk],
            link=run.link("request-detail", request.pk),
        )
        request.reminder_sent_at = now
        request.save(update_fields=["reminder_sent_at"])
        run.unmatched.append(request)

    _each(lock, list(due), handle)
    return run


def offers_expire(*, now: dt.datetime | None = None, run: NoticeRun | None = None) -> NoticeRun:
    """An offer not renewed by its date leaves the marketplace (status expired, kept)."""
    now, run = now or timezone.now(), run or NoticeRun()
    lock = Offer.objects.filter(
        status=Offer.Status.ACTIVE, renew_by__lt=timezone.localdate(now)
    ).select_related("volunteer", "cluster")

    def handle(offer: Offer) -> None:
        offer.status = Offer.Status.EXPIRED
        offer.save(update_fields=["status"])
        audit_record(
            actor_id=None,
            action="offer.expire",
            target=offer,
            summary=f"Aanbod #{offer.pk} verlopen",
        )
        _mail(
            run,
            offer.volunteer,
            "offer_expired",
            about=offer.cluster.name,
            offer=offer,
            link=run.link("my-marketplace"),
        )

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def offers_ask_renewal(
    *, now: dt.datetime | None = None, run: NoticeRun | None = None
) -> NoticeRun:
    """A week before an offer's renew-by date the volunteer is asked once to renew it."""
    now, run = now or timezone.now(), run or NoticeRun()
    today = timezone.localdate(now)
    lock = Offer.objects.filter(
        status=Offer.Status.ACTIVE,
        renewal_asked_at__isnull=True,
        renew_by__gte=today,
        renew_by__lte=today + dt.timedelta(days=RENEWAL_NOTICE_DAYS),
    ).select_related("volunteer", "cluster")

    def handle(offer: Offer) -> None:
        _mail(
            run,
            offer.volunteer,
            "offer_renewal",
            about=offer.cluster.name,
            offer=offer,
            link=run.link("my-marketplace"),
        )
        offer.renewal_asked_at = now
        offer.save(update_fields=["renewal_asked_at"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def messages_relay(*, now: dt.datetime | None = None, run: NoticeRun | None = None) -> NoticeRun:
    """Messages on a service for a member without email go on the coordinators' daily list,
    to be passed on by phone; each message once."""
    now, run = now or timezone.now(), run or NoticeRun()
    lock = selectors.messages_to_relay()

    def handle(message: ServiceMessage) -> None:
        for member in selectors.message_recipients(service=message.service, author=message.author):
            if not member.email:
                why = format_lazy(
                    _lazy("bericht van {name}: “{text}”"),
                    name=message.author.name,
                    text=message.body,
                )
                run.phone.append((member, why, message.service.request.title))
        message.relayed_at = now
        message.save(update_fields=["relayed_at"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def coordinator_summaries_send(*, run: NoticeRun) -> NoticeRun:
    """What this run leaves for people to do: members without email to phone, requests still
    without a volunteer, requests that expired. Each coordinator gets what is theirs (a
    neighbourhood assistant: their buurten); nothing to report, no email. Idempotent because
    the run only reports rows it marked itself."""
    if not (run.phone or run.unmatched or run.expired):
        return run
    for coordinator in selectors.coordinators_to_mail():

        def theirs(member: Member, coordinator: Member = coordinator) -> bool:
            return may(coordinator, "service.coordinate", about=member)

        phone = [entry for entry in run.phone if theirs(entry[0])]
        unmatched = [r for r in run.unmatched if theirs(r.requester)]
        expired = [r for r in run.expired if theirs(r.requester)]
        if phone or unmatched or expired:
            _mail(
                run,
                coordinator,
                "coordinator_summary",
                link=run.link("coordinator-board"),
                phone=phone,
                unmatched=unmatched,
                expired=expired,
            )
    return run


def notices_run_daily(*, now: dt.datetime | None = None) -> NoticeRun:
    """Everything once a day. Expiry goes before reminders and digests, so nobody is reminded
    of, or offered, something that closes in the same run."""
    now = now or timezone.now()
    run = NoticeRun()
    for step in (
        offers_expire,
        offers_ask_renewal,
        requests_expire,
        requests_remind,
        feedback_reminders_send,
        service_reminders_send,
        digests_send,
        messages_relay,
    ):
        step(now=now, run=run)
    return coordinator_summaries_send(run=run)


def notices_run_hourly(*, now: dt.datetime | None = None) -> NoticeRun:
    """Day-before reminders for services planned after the morning run."""
    return coordinator_summaries_send(run=service_reminders_send(now=now))
