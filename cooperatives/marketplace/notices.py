"""Background notices inside one cooperative: digests of new requests for volunteers, the
reminder the day before a service, feedback reminders, reminders and expiry of requests that
found no volunteer, renewal and expiry of offers, and the coordinators' daily summary.

Every function works in the current schema (the Celery task runs it in its cooperative's
schema) and is idempotent through the marker fields on the models: each row is handled in its
own transaction under a row lock that a second worker skips (``skip_locked``), the lock's
query re-checks that the marker is still empty, and the marker is set in the same transaction
in which the email goes out. So running a function twice, or on two workers at once, sends
nothing twice; an email that fails rolls its marker back and the next run tries again.

A member without email is not mailed: the coordinators' summary lists them to be phoned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cooperatives.marketplace.models import (
    HelpRequest,
    HelpResponse,
    MemberSettings,
    Offer,
    Reach,
    Service,
)
from cooperatives.marketplace.services import member_settings
from cooperatives.members.models import Member
from cooperatives.rules.models import Rulebook
from cooperatives.rules.selectors import rulebook_current
from shared import permissions
from shared.audit.services import audit_record
from shared.tenancy.urls import cooperative_url
from tenants.models import Cooperative

# What a coordinator reads next to the name of a member without email, per kind of notice.
PHONE_REASONS = {
    "service_reminder_requester": _("herinnering: morgen komt er een vrijwilliger"),
    "service_reminder_volunteer": _("herinnering: morgen helpt dit lid iemand"),
    "feedback_reminder": _("vragen om terugkoppeling"),
    "request_reminder": _("hulpvraag nog zonder vrijwilliger"),
    "request_expired": _("hulpvraag gesloten zonder vrijwilliger"),
    "offer_renewal": _("aanbod verloopt binnenkort: verlengen?"),
    "offer_expired": _("aanbod verlopen"),
}
DIGEST_DAYS = {MemberSettings.Digest.DAILY: 1, MemberSettings.Digest.WEEKLY: 7}
RENEWAL_NOTICE_DAYS = 7
FEEDBACK_NOTICE_DAYS = 2
EVERYWHERE = Q(pk__isnull=False)  # not Q(): an empty Q disappears when OR-ed with another


def _here() -> Cooperative:
    return Cooperative.objects.get(schema_name=connection.schema_name)


@dataclass
class Run:
    """What one run did: emails sent per kind, and what the coordinators should hear of."""

    sent: Counter[str] = field(default_factory=Counter)
    phone: list[tuple[Member, Any, str]] = field(default_factory=list)  # member, why, about
    unmatched: list[HelpRequest] = field(default_factory=list)
    expired: list[HelpRequest] = field(default_factory=list)
    cooperative: Cooperative = field(default_factory=_here)

    def link(self, name: str, *args: object) -> str:
        """The full address of a page on this cooperative's subdomain, for an email."""
        return cooperative_url(slug=self.cooperative.slug, path=reverse(name, args=args))


def _mail(run: Run, member: Member, template: str, about: str = "", **context: Any) -> None:
    """Send one notice from marketplace/email/<template>.txt (first line: the subject)."""
    if not member.email:
        run.phone.append((member, PHONE_REASONS[template], about))
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(
            f"marketplace/email/{template}.txt",
            {"cooperative": run.cooperative.name, "member": member, **context},
        )
    subject, _newline, body = text.strip().partition("\n")
    body = re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"
    send_mail(subject.strip(), body, None, [member.email])
    run.sent[template] += 1


def _each(lock: QuerySet, pks: Iterable[int], handle: Callable[[Any], None]) -> None:
    """Handle each row in a transaction of its own, locked; ``lock`` carries the conditions
    (marker still empty), so a row another worker holds or has done is left alone."""
    for pk in pks:
        with transaction.atomic():
            row = lock.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if row is not None:
                handle(row)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


# --- digests of new requests -------------------------------------------------------------------


def _digest_due(today: dt.date) -> Q:
    daily, weekly = MemberSettings.Digest.DAILY, MemberSettings.Digest.WEEKLY
    return (
        Q(digest__in=[daily, weekly], last_digest_at__isnull=True)
        | Q(digest=daily, last_digest_at__lt=_start_of(today))
        | Q(digest=weekly, last_digest_at__lt=_start_of(today - dt.timedelta(days=6)))
    )


def digest_requests(*, member: Member, since: dt.datetime, until: dt.datetime) -> QuerySet:
    """Open requests made in (since, until] that ``member`` can help with: in their clusters
    (help_clusters) in their own or a neighbouring buurt, and in the clusters of their active
    offers as far as each offer reaches. A member who named no cluster hears of everything
    nearby; one whose buurt is unknown, of the whole cooperative. Requests without a buurt are
    shown to all, since nobody could say they are far away."""
    near = EVERYWHERE
    if member.neighbourhood_id:
        buurten = [member.neighbourhood_id, *(n.pk for n in member.neighbourhood.adjacent.all())]
        near = Q(neighbourhood_id__in=buurten) | Q(neighbourhood__isnull=True)
    clusters = [c.pk for c in member.help_clusters.all()]
    wanted = [Q(cluster_id__in=clusters) & near] if clusters else []
    for offer in member.offers.all():
        if offer.status != Offer.Status.ACTIVE:
            continue
        reach = {
            Reach.COOPERATIVE: EVERYWHERE,
            Reach.NEIGHBOURHOOD: near,
            Reach.STREET: Q(street__iexact=member.street) if member.street else near,
        }[offer.reach]
        wanted.append(Q(cluster_id=offer.cluster_id) & reach)
    return (
        HelpRequest.objects.filter(
            reduce(or_, wanted or [near]),
            status=HelpRequest.Status.OPEN,
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(requester=member)
        .exclude(created_by=member)
        .exclude(responses__volunteer=member)
        .select_related("cluster", "neighbourhood")
        .order_by("created_at")
    )


def digests_send(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """The daily or weekly overview of new requests, to every member who can answer "ik help"
    and has an email address (weekly unless they chose otherwise)."""
    now, run = now or timezone.now(), run or Run()
    due = MemberSettings.objects.filter(_digest_due(timezone.localdate(now)))
    responders = (
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            role_assignments__role__in=permissions.ACTIONS["request.respond"],
        )
        .exclude(email="")
        .distinct()
    )
    for member in responders.filter(marketplace_settings__isnull=True):
        member_settings(member=member)
    for member in (
        responders.filter(marketplace_settings__in=due)
        .select_related("neighbourhood", "marketplace_settings")
        .prefetch_related(
            "role_assignments",
            "help_clusters",
            "neighbourhood__adjacent",
            Prefetch("offers", queryset=Offer.objects.filter(status=Offer.Status.ACTIVE)),
        )
    ):
        if not permissions.can(member, "request.respond"):
            continue

        def handle(row: MemberSettings, member: Member = member) -> None:
            since = row.last_digest_at or now - dt.timedelta(days=DIGEST_DAYS[row.digest])
            requests = list(digest_requests(member=member, since=since, until=now))
            if requests:
                _mail(
                    run,
                    member,
                    "digest",
                    requests=[(r, run.link("request-detail", r.pk)) for r in requests],
                    daily=row.digest == MemberSettings.Digest.DAILY,
                    link=run.link("member-settings"),
                )
            row.last_digest_at = now
            row.save(update_fields=["last_digest_at"])

        _each(due, [member.marketplace_settings.pk], handle)
    return run


# --- services: the day before, and feedback ----------------------------------------------------


def service_reminders_send(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """The day before a planned service, both sides hear of it once. The marker is the date
    the reminder was for, so a service moved to another day is reminded again."""
    now, run = now or timezone.now(), run or Run()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    lock = (
        Service.objects.filter(status=Service.Status.PLANNED, date=tomorrow)
        .exclude(reminder_sent_for=tomorrow)
        .select_related("request", "requester", "volunteer", "cluster")
    )

    def handle(service: Service) -> None:
        for member, template in (
            (service.requester, "service_reminder_requester"),
            (service.volunteer, "service_reminder_volunteer"),
        ):
            _mail(
                run,
                member,
                template,
                service.request.title,
                service=service,
                link=run.link("service-detail", service.pk),
            )
        service.reminder_sent_for = service.date
        service.save(update_fields=["reminder_sent_for"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def feedback_reminders_send(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """Two days before the feedback deadline, the requester is reminded once."""
    now, run = now or timezone.now(), run or Run()
    today = timezone.localdate(now)
    lock = Service.objects.filter(
        status=Service.Status.CONFIRMED,
        feedback_at__isnull=True,
        feedback_reminder_sent_at__isnull=True,
        feedback_due__gte=today,
        feedback_due__lte=today + dt.timedelta(days=FEEDBACK_NOTICE_DAYS),
        # Not on the day of confirming itself, when the requester has just been on the site.
        confirmed_at__lt=_start_of(today),
    ).select_related("request", "requester", "volunteer")

    def handle(service: Service) -> None:
        _mail(
            run,
            service.requester,
            "feedback_reminder",
            service.request.title,
            service=service,
            link=run.link("service-detail", service.pk),
        )
        service.feedback_reminder_sent_at = now
        service.save(update_fields=["feedback_reminder_sent_at"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


# --- requests without a match ------------------------------------------------------------------


def _open_requests(rule: str, now: dt.datetime) -> dict[int, int]:
    """{request id: days} for open requests that have waited at least the days ``rule`` of
    their rulebook sets. A request reopened after a cancelled service counts from the time of
    that service, not from when it was first made."""
    last_service = (
        Service.objects.filter(request=OuterRef("pk")).order_by("-created_at").values("created_at")
    )
    current = rulebook_current()
    requests = (
        HelpRequest.objects.filter(status=HelpRequest.Status.OPEN)
        .annotate(
            open_since=Greatest("created_at", Coalesce(Subquery(last_service[:1]), "created_at"))
        )
        .select_related("rulebook")
    )
    out = {}
    for request in requests:
        rulebook: Rulebook | None = request.rulebook or current
        days = getattr(rulebook, rule, None)
        if days and request.open_since <= now - dt.timedelta(days=days):
            out[request.pk] = days
    return out


def requests_expire(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """After request_expiry_days without a volunteer a request closes as expired, with a notice
    to the requester. Nothing is deleted: the request and any answers stay as they were."""
    now, run = now or timezone.now(), run or Run()
    due = _open_requests("request_expiry_days", now)
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
            request.title,
            request=request,
            link=run.link("request-create"),
        )
        run.expired.append(request)

    _each(lock, list(due), handle)
    return run


def requests_remind(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """After request_reminder_days without a volunteer the requester hears that we are still
    looking (and whether volunteers are waiting for their choice); the coordinators see the
    request in their summary."""
    now, run = now or timezone.now(), run or Run()
    due = _open_requests("request_reminder_days", now)
    lock = HelpRequest.objects.filter(
        status=HelpRequest.Status.OPEN, reminder_sent_at__isnull=True
    ).select_related("requester", "cluster", "rulebook")

    def handle(request: HelpRequest) -> None:
        waiting = request.responses.filter(status=HelpResponse.Status.WAITING).count()
        _mail(
            run,
            request.requester,
            "request_reminder",
            request.title,
            request=request,
            waiting=waiting,
            days=due[request.pk],
            link=run.link("request-detail", request.pk),
        )
        request.reminder_sent_at = now
        request.save(update_fields=["reminder_sent_at"])
        run.unmatched.append(request)

    _each(lock, list(due), handle)
    return run


# --- offers ------------------------------------------------------------------------------------


def offers_expire(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """An offer not renewed by its date leaves the marketplace (status expired, kept)."""
    now, run = now or timezone.now(), run or Run()
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
            offer.cluster.name,
            offer=offer,
            link=run.link("my-marketplace"),
        )

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


def offers_ask_renewal(*, now: dt.datetime | None = None, run: Run | None = None) -> Run:
    """A week before an offer's renew-by date the volunteer is asked once to renew it."""
    now, run = now or timezone.now(), run or Run()
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
            offer.cluster.name,
            offer=offer,
            link=run.link("my-marketplace"),
        )
        offer.renewal_asked_at = now
        offer.save(update_fields=["renewal_asked_at"])

    _each(lock, list(lock.values_list("pk", flat=True)), handle)
    return run


# --- the coordinators' summary -----------------------------------------------------------------


def coordinator_summaries_send(*, run: Run) -> Run:
    """What this run leaves for people to do: members without email to phone, requests still
    without a volunteer, requests that expired. Each coordinator gets what is theirs (a
    neighbourhood assistant: their buurten); nothing to report, no email. Idempotent because
    the run only reports rows it marked itself."""
    if not (run.phone or run.unmatched or run.expired):
        return run
    coordinators = (
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            role_assignments__role__in=permissions.ACTIONS["service.coordinate"],
        )
        .exclude(email="")
        .distinct()
        .prefetch_related("role_assignments")
    )
    for coordinator in coordinators:

        def theirs(member: Member, coordinator: Member = coordinator) -> bool:
            return permissions.can(coordinator, "service.coordinate", about=member)

        report = {
            "phone": [entry for entry in run.phone if theirs(entry[0])],
            "unmatched": [r for r in run.unmatched if theirs(r.requester)],
            "expired": [r for r in run.expired if theirs(r.requester)],
        }
        if any(report.values()):
            _mail(
                run,
                coordinator,
                "coordinator_summary",
                link=run.link("coordinator-board"),
                **report,
            )
    return run


# --- the runs the periodic tasks make ----------------------------------------------------------


def daily_run(*, now: dt.datetime | None = None) -> Run:
    """Everything once a day. Expiry goes before reminders and digests, so nobody is reminded
    of, or offered, something that closes in the same run."""
    now = now or timezone.now()
    run = Run()
    for step in (
        offers_expire,
        offers_ask_renewal,
        requests_expire,
        requests_remind,
        feedback_reminders_send,
        service_reminders_send,
        digests_send,
    ):
        step(now=now, run=run)
    return coordinator_summaries_send(run=run)


def hourly_run(*, now: dt.datetime | None = None) -> Run:
    """Day-before reminders for services planned after the morning run."""
    run = service_reminders_send(now=now)
    return coordinator_summaries_send(run=run)
