"""Reads in the marketplace, always within what the viewer may see, and the rules that decide
it: who sees an exact address, who may handle a request, an offer or a service, and which house
rule a request form has to ask about. Pages and the API read these same functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

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
from cooperatives.members.models import Member
from cooperatives.rules.models import Compensation, Rulebook
from cooperatives.rules.selectors import rulebook_current
from cooperatives.setup.models import Cluster, Partner
from shared import permissions
from shared.permissions import Actor

OPEN_STATUSES = (HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED)
PAID = (Compensation.EUROS, Compensation.BOTH)
# Cancelled services stay in the calendar feed this long after their date, so a calendar that
# already had them marks them cancelled instead of keeping a stale appointment.
CANCELLED_FEED_DAYS = 30
EVERYWHERE = Q(pk__isnull=False)  # not Q(): an empty Q disappears when OR-ed with another


def _actor(member: Member) -> Actor:
    # A member as the permission layer reads it. django-stubs does not see the reverse relation
    # ``assisted_neighbourhoods`` (declared on Neighbourhood by a relative model name), so mypy
    # cannot match Member to the protocol by itself.
    return cast(Actor, member)


def may(viewer: Member, action: str, *, about: Member | None = None) -> bool:
    """``shared.permissions.can`` for a member (about another member)."""
    return permissions.can(
        _actor(viewer), action, about=_actor(about) if about is not None else None
    )


def _assisted(viewer: Member) -> frozenset[int]:
    return permissions.assisted_neighbourhood_ids(_actor(viewer))


def _sees_every_buurt(viewer: Member, action: str) -> bool:
    return permissions.neighbourhood_filter_for(_actor(viewer), action) is None


# --- requests and offers on the marketplace --------------------------------------------------


def request_list() -> QuerySet[HelpRequest]:
    """Open requests for the marketplace, with everything a row shows loaded up front (so the
    page costs the same number of queries whatever the number of requests)."""
    return (
        HelpRequest.objects.filter(status=HelpRequest.Status.OPEN)
        .select_related("cluster", "neighbourhood", "requester", "rulebook")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at")
    )


def requests_filter(
    requests: QuerySet[HelpRequest],
    *,
    cluster_id: int | None = None,
    neighbourhood_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[HelpRequest]:
    """Requests in a cluster, in a buurt, and for a period: a request with a preferred date in
    it, or without preferred dates at all (any day suits). A period without a start begins
    today; one without an end lasts 60 days (at most a year is looked at)."""
    if cluster_id:
        requests = requests.filter(cluster_id=cluster_id)
    if neighbourhood_id:
        requests = requests.filter(neighbourhood_id=neighbourhood_id)
    if date_from or date_to:
        days = _days(date_from or timezone.localdate(), date_to)
        requests = requests.filter(Q(preferred_dates__len=0) | Q(preferred_dates__overlap=days))
    return requests


def _days(start: dt.date, end: dt.date | None) -> list[dt.date]:
    end = end or start + dt.timedelta(days=60)
    span = min((end - start).days, 366)
    return [start + dt.timedelta(days=i) for i in range(max(span, 0) + 1)]


def offer_list() -> QuerySet[Offer]:
    return (
        Offer.objects.filter(status=Offer.Status.ACTIVE)
        .select_related("cluster", "volunteer", "volunteer__neighbourhood")
        .order_by("-created_at")
    )


def offers_filter(
    offers: QuerySet[Offer], *, cluster_id: int | None = None, neighbourhood_id: int | None = None
) -> QuerySet[Offer]:
    """Offers in a cluster, and of volunteers who live in a buurt."""
    if cluster_id:
        offers = offers.filter(cluster_id=cluster_id)
    if neighbourhood_id:
        offers = offers.filter(volunteer__neighbourhood_id=neighbourhood_id)
    return offers


def request_get(*, pk: int) -> HelpRequest | None:
    return (
        HelpRequest.objects.select_related(
            "cluster", "neighbourhood", "requester", "created_by", "rulebook"
        )
        .filter(pk=pk)
        .first()
    )


# --- the house rules a request is asked under ----------------------------------------------------


def request_needs_network_check(*, rulebook: Rulebook | None, cluster: Cluster) -> bool:
    """The rules ask the requester of a paid klus to confirm first that family, friends and
    neighbours cannot help."""
    return bool(
        rulebook is not None
        and rulebook.klus_needs_network_check
        and rulebook.compensation_for(cluster) in PAID
    )


def network_check_asked(*, rulebook: Rulebook | None, cluster_id: str | None) -> bool:
    """Whether the request form shows the "family, friends and neighbours cannot help" box:
    for the chosen cluster, or before a cluster is chosen, if any active one needs it."""
    if rulebook is None or not rulebook.klus_needs_network_check:
        return False
    clusters = Cluster.objects.filter(is_active=True)
    if cluster_id and str(cluster_id).isdigit():
        clusters = Cluster.objects.filter(pk=cluster_id) or clusters
    return any(request_needs_network_check(rulebook=rulebook, cluster=c) for c in clusters)


def klus_referral_hours(*, rulebook: Rulebook | None, compensation: str | None) -> Decimal | None:
    """Above how many hours a paid klus goes to the partners instead of a volunteer: the
    rulebook's ``partner_referral_hours``; without it, where the rules say "we do not compete
    with social entrepreneurs", the longest a service may last (seed 002: large jobs go to the
    neighbourhood's social entrepreneurs at social rates). None: no referral."""
    if rulebook is None or compensation not in PAID:
        return None
    if rulebook.partner_referral_hours:
        return rulebook.partner_referral_hours
    if rulebook.no_competition_with_social_enterprises and rulebook.max_service_hours:
        return rulebook.max_service_hours
    return None


def referral_hours_asked(*, rulebook: Rulebook | None, cluster_id: str | None) -> Decimal | None:
    """For the request form's hint: above how many hours a klus goes to the partners, for the
    chosen cluster, or before one is chosen, for any active paid cluster."""
    if rulebook is None:
        return None
    clusters = Cluster.objects.filter(is_active=True)
    if cluster_id and str(cluster_id).isdigit():
        clusters = Cluster.objects.filter(pk=cluster_id) or clusters
    hours = [
        klus_referral_hours(rulebook=rulebook, compensation=rulebook.compensation_for(c))
        for c in clusters
    ]
    return min((h for h in hours if h), default=None)


@dataclass(frozen=True)
class PartnerContact:
    """A partner a large klus is referred to: how to reach them and their social rate."""

    partner: Partner
    social_rate: Decimal | None  # euros per hour under the rules in force

    @property
    def rate_text(self) -> str:
        if self.social_rate is None:
            return ""
        return _("€ %(rate)s per uur") % {"rate": formats.number_format(self.social_rate, 2)}


def partner_referral(*, rulebook: Rulebook | None) -> list[PartnerContact]:
    """The partners a large klus goes to: the active ones with a social rate in the rules and
    the social enterprises, those with a rate first. Without either, every active partner
    (a neighbourhood partner may still know who can help)."""
    rates: dict[str, str] = (rulebook.partner_rates if rulebook else None) or {}
    active = list(Partner.objects.filter(is_active=True).order_by("name", "id"))
    chosen = [
        p for p in active if str(p.pk) in rates or p.kind == Partner.Kind.SOCIAL_ENTERPRISE
    ] or active
    contacts = [
        PartnerContact(p, Decimal(rates[str(p.pk)]) if str(p.pk) in rates else None) for p in chosen
    ]
    return sorted(contacts, key=lambda c: c.social_rate is None)


def partner_referral_text(*, rulebook: Rulebook | None = None) -> str:
    """The partners a large klus is referred to, with how to reach them, in one line."""
    lines = [
        ", ".join(
            part
            for part in (
                c.partner.name,
                c.partner.contact_name,
                c.partner.phone,
                c.partner.email,
                c.rate_text,
            )
            if part
        )
        for c in partner_referral(rulebook=rulebook)
    ]
    return "; ".join(lines) or _("vraag de coördinator naar een partner")


# --- who may see and handle what -----------------------------------------------------------------


def may_see_address(*, viewer: Member, request: HelpRequest) -> bool:
    """Exact addresses: the requester, the matched volunteer and coordinators only."""
    if viewer.pk == request.requester_id:
        return True
    if may(viewer, "service.coordinate", about=request.requester):
        return True
    return (
        request.services.filter(volunteer=viewer).exclude(status=Service.Status.CANCELLED).exists()
    )


def request_requester_phone(*, viewer: Member, request: HelpRequest) -> str:
    """The requester's phone number on the request page: for the requester and whoever looks
    after them; for the matched volunteer only when the requester shares it (as on the
    service page); for nobody else."""
    if may_manage_request(viewer=viewer, request=request):
        return request.requester.phone
    matched = (
        request.services.filter(volunteer=viewer).exclude(status=Service.Status.CANCELLED).exists()
    )
    settings_row = _sharing(request.requester) if matched else None
    return request.requester.phone if settings_row and settings_row.share_phone else ""


def may_manage_request(*, viewer: Member, request: HelpRequest) -> bool:
    """The requester, or a coordinator or the assistant of the requester's buurt: they see
    who answered and the suggested volunteers, accept one and cancel the request."""
    return viewer.pk == request.requester_id or may(
        viewer, "service.coordinate", about=request.requester
    )


def may_respond(*, viewer: Member, request: HelpRequest) -> bool:
    """Volunteers may answer "ik help" to an open request of someone else."""
    return (
        request.status == HelpRequest.Status.OPEN
        and viewer.pk != request.requester_id
        and may(viewer, "request.respond")
    )


def _in_board_scope(viewer: Member, request: HelpRequest) -> bool:
    if not may(viewer, "marketplace.board"):
        return False
    if _sees_every_buurt(viewer, "marketplace.board"):
        return True
    return request.neighbourhood_id in _assisted(viewer)


def request_visible(*, viewer: Member, pk: int) -> HelpRequest | None:
    """A request the viewer may open: an open one is on the marketplace for every member;
    afterwards only for those involved, coordinators and the board (an assistant: their
    buurten). Anything else, and another cooperative's ids, does not exist for them."""
    request = request_get(pk=pk)
    if request is None or not may(viewer, "marketplace.view"):
        return None
    if (
        request.status == HelpRequest.Status.OPEN
        or viewer.pk in (request.requester_id, request.created_by_id)
        or may_manage_request(viewer=viewer, request=request)
        or _in_board_scope(viewer, request)
        or request.responses.filter(volunteer=viewer).exists()
    ):
        return request
    return None


def responses_for(*, request: HelpRequest) -> QuerySet[HelpResponse]:
    return request.responses.select_related("volunteer", "volunteer__neighbourhood").order_by(
        "created_at", "id"
    )


def has_responded(*, viewer: Member, request: HelpRequest) -> bool:
    return request.responses.filter(volunteer=viewer).exists()


def response_visible(*, viewer: Member, pk: int) -> HelpResponse | None:
    """An answer the viewer may accept or look at: its request must be visible to them."""
    response = HelpResponse.objects.select_related("volunteer").filter(pk=pk).first()
    if response is None:
        return None
    request = request_visible(viewer=viewer, pk=response.request_id)
    if request is None:
        return None
    response.request = request
    return response


def request_services(*, request: HelpRequest) -> QuerySet[Service]:
    return request.services.select_related("volunteer").order_by("date", "start_time")


def on_behalf_candidates(*, viewer: Member) -> QuerySet[Member]:
    """The members the viewer may ask help for: everyone for a coordinator, the members of
    their own buurten for a neighbourhood assistant."""
    members: QuerySet[Member] = permissions.members_visible_to(
        _actor(viewer),
        Member.objects.filter(status=Member.Status.ACTIVE).select_related("neighbourhood"),
        "request.create_on_behalf",
    )
    return members.order_by("name", "id")


def offer_visible(*, viewer: Member, pk: int) -> Offer | None:
    """An offer the viewer may see: active ones are on the marketplace; otherwise only the
    volunteer's own, or for a coordinator (an assistant: their buurten)."""
    offer = Offer.objects.select_related("cluster", "volunteer").filter(pk=pk).first()
    if offer is None or not may(viewer, "marketplace.view"):
        return None
    if offer.status == Offer.Status.ACTIVE or may_manage_offer(viewer=viewer, offer=offer):
        return offer
    return None


def may_manage_offer(*, viewer: Member, offer: Offer) -> bool:
    return viewer.pk == offer.volunteer_id or may(
        viewer, "service.coordinate", about=offer.volunteer
    )


def my_marketplace(*, member: Member) -> dict[str, QuerySet[Any]]:
    """What a member has going on: their requests, their offers and their answers."""
    return {
        "requests": HelpRequest.objects.filter(requester=member)
        .select_related("cluster", "neighbourhood")
        .annotate(response_count=Count("responses"))
        .order_by(Case(When(status__in=OPEN_STATUSES, then=0), default=1), "-created_at"),
        "offers": Offer.objects.filter(volunteer=member)
        .exclude(status=Offer.Status.WITHDRAWN)
        .select_related("cluster")
        .order_by("-created_at"),
        "responses": HelpResponse.objects.filter(volunteer=member)
        .select_related("request", "request__cluster", "request__neighbourhood")
        .order_by("-created_at"),
    }


def coordinator_board(*, viewer: Member) -> dict[str, Any]:
    """Open requests by buurt (within a buurt unmatched first, then oldest first, each with
    its age in days), services waiting for confirmation, hours the requester said are not
    right, what could not be booked, and feedback that is overdue; a neighbourhood assistant
    sees only their buurten."""
    requests = HelpRequest.objects.filter(status__in=OPEN_STATUSES)
    services = Service.objects.all()
    if not _sees_every_buurt(viewer, "marketplace.board"):
        assisted = _assisted(viewer)
        requests = requests.filter(neighbourhood_id__in=assisted)
        services = services.filter(request__neighbourhood_id__in=assisted)
    today = timezone.localdate()
    unmatched_first = Case(When(status=HelpRequest.Status.OPEN, then=0), default=1)
    open_requests = list(
        requests.select_related("cluster", "neighbourhood", "requester")
        .annotate(response_count=Count("responses"), unmatched_first=unmatched_first)
        .order_by(
            F("neighbourhood__name").asc(nulls_last=True), "unmatched_first", "created_at", "id"
        )
    )
    for request in open_requests:
        request.age_days = age_in_days(request)
    return {
        "open_requests": open_requests,
        "awaiting_confirmation": services.filter(status=Service.Status.REGISTERED)
        .select_related("requester", "volunteer", "request")
        .order_by("registered_at"),
        "hours_disputed": services.filter(status=Service.Status.DISPUTED)
        .select_related("requester", "volunteer", "request")
        .order_by("registered_at"),
        "held": services.filter(
            status=Service.Status.CONFIRMED,
            dues__status=CompensationDue.Status.OWED,
            dues__held_reason__gt="",
        )
        .select_related("requester", "volunteer", "request")
        .distinct()
        .order_by("confirmed_at"),
        "feedback_overdue": services.filter(
            status=Service.Status.CONFIRMED, feedback_at__isnull=True, feedback_due__lt=today
        )
        .select_related("requester", "volunteer", "request")
        .order_by("feedback_due"),
    }


def age_in_days(request: HelpRequest) -> int:
    """Whole calendar days since the request was made, in the cooperative's time zone."""
    return (timezone.localdate() - timezone.localdate(request.created_at)).days


# --- services ------------------------------------------------------------------------------------


def services_for(*, member: Member, in_scope: bool = False) -> QuerySet[Service]:
    """The services a member gives or receives (their calendar). With ``in_scope``, a
    coordinator also gets every service they look after: all of them, or for a neighbourhood
    assistant those of requesters in the buurten they assist."""
    visible = Q(volunteer=member) | Q(requester=member)
    if in_scope and may(member, "service.coordinate"):
        if _sees_every_buurt(member, "service.coordinate"):
            visible = Q()
        else:
            visible |= Q(requester__neighbourhood_id__in=_assisted(member))
    return _service_rows().filter(visible)


def _service_rows() -> QuerySet[Service]:
    return Service.objects.select_related(
        "request", "request__neighbourhood", "cluster", "requester", "volunteer", "rulebook"
    ).order_by("date", "start_time")


def services_upcoming_first(services: QuerySet[Service]) -> QuerySet[Service]:
    """From today on in date order, then the past, most recent first."""
    today = timezone.localdate()
    return services.annotate(
        past=Case(
            When(date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by(
        "past", Case(When(past=0, then=F("date"))).asc(nulls_last=True), "-date", "start_time"
    )


def services_own(services: QuerySet[Service], *, user_id: int) -> QuerySet[Service]:
    """Of ``services``, those the member of this user gives or receives."""
    return services.filter(Q(volunteer__user_id=user_id) | Q(requester__user_id=user_id))


def service_visible(*, viewer: Member, pk: int) -> Service | None:
    """A service for its two members and for whoever looks after its requester; the board
    (which oversees the marketplace) may look at it without the address, the contact details
    or the messages. For anyone else (and for another cooperative's id) it does not exist."""
    service = services_for(member=viewer, in_scope=True).filter(pk=pk).first()
    oversees = may(viewer, "marketplace.board") and _sees_every_buurt(viewer, "marketplace.board")
    if service is None and oversees:
        service = _service_rows().filter(pk=pk).first()
    return service


def service_role(*, viewer: Member, service: Service) -> str:
    """How the viewer stands to the service: "requester", "volunteer", "coordinator" (looks
    after the requester: a coordinator, or the assistant of their buurt) or "board"."""
    if viewer.pk == service.requester_id:
        return "requester"
    if viewer.pk == service.volunteer_id:
        return "volunteer"
    if may(viewer, "service.coordinate", about=service.requester):
        return "coordinator"
    return "board"


def service_address_visible(*, viewer: Member, service: Service) -> bool:
    """The exact address: for the requester (it is theirs), for whoever looks after them, and
    for the volunteer while the service still takes place; otherwise (and for the board)
    only the buurt."""
    if viewer.pk == service.requester_id:
        return True
    if may(viewer, "service.coordinate", about=service.requester):
        return True
    return viewer.pk == service.volunteer_id and service.status != Service.Status.CANCELLED


# Who acts in each step: either side of the service, the volunteer, or the requester; a
# coordinator or the assistant of the buurt of that member may act for them.
BOTH_SIDES = frozenset({"move", "cancel", "message"})
VOLUNTEER_STEPS = frozenset({"register"})
REQUESTER_STEPS = frozenset({"confirm", "confirm_approve", "dispute", "approve", "feedback"})


def service_may(*, actor: Member, service: Service, action: str) -> bool:
    """Who may ``action`` on a service, whatever its status. Both sides may move, cancel and
    write to each other; registering hours is the volunteer's; confirming (and approving the
    quality), saying the hours are not right and feedback are the requester's; correcting
    disputed hours is the volunteer's or a coordinator's; booking what could not be booked
    ("settle") only a coordinator's. Coordinators, and assistants of the buurt of the member
    concerned, act on that member's behalf (for members without internet)."""
    if action in BOTH_SIDES:
        if actor.pk in (service.requester_id, service.volunteer_id):
            return True
        return may(actor, "service.coordinate", about=service.requester)
    if action == "resolve":
        return actor.pk == service.volunteer_id or any(
            may(actor, "service.coordinate", about=m)
            for m in (service.requester, service.volunteer)
        )
    if action == "settle":
        return may(actor, "service.coordinate", about=service.requester)
    member = service.volunteer if action in VOLUNTEER_STEPS else service.requester
    return actor.pk == member.pk or may(actor, "service.coordinate", about=member)


def quality_approval_asked(*, service: Service) -> bool:
    """The service pays in points and its rules let the recipient approve the quality before
    the points are booked: confirming the hours and approving the quality are then one step."""
    rulebook = service.rulebook
    return bool(
        rulebook is not None
        and rulebook.recipient_approves_quality
        and rulebook.points_per_hour
        and service.compensation in (Compensation.POINTS, Compensation.BOTH)
    )


def _points_due(service: Service) -> CompensationDue | None:
    return next((d for d in service.dues.all() if d.kind == CompensationDue.Kind.POINTS), None)


def points_waiting_for_approval(*, service: Service) -> bool:
    """The points of a confirmed service wait for the requester's approval of the quality
    (confirmed without approving it, through the API or before both were one step)."""
    due = _points_due(service)
    return bool(
        due is not None
        and due.status == CompensationDue.Status.OWED
        and not due.held_reason
        and due.quality_approved_at is None
        and quality_approval_asked(service=service)
    )


def dues_held(*, service: Service) -> list[CompensationDue]:
    """What a confirmed service owes that its settler could not book (a balance limit, say):
    it waits for a coordinator."""
    return [
        d for d in service.dues.all() if d.status == CompensationDue.Status.OWED and d.held_reason
    ]


def service_actions(*, actor: Member, service: Service) -> set[str]:
    """What ``actor`` can do with ``service`` now (who they are and where the service stands);
    pages and the API offer only these. The services check the same again."""
    planned = service.status == Service.Status.PLANNED
    registered = service.status == Service.Status.REGISTERED
    confirmed = service.status == Service.Status.CONFIRMED
    one_step = quality_approval_asked(service=service)
    possible = {
        "move": planned,
        "cancel": planned,
        "register": planned and service.date <= timezone.localdate(),
        "confirm": registered and not one_step,
        "confirm_approve": registered and one_step,
        "dispute": registered,
        "resolve": service.status == Service.Status.DISPUTED,
        "approve": confirmed and points_waiting_for_approval(service=service),
        "settle": confirmed and bool(dues_held(service=service)),
        "feedback": confirmed and service.feedback_at is None,
        "message": service.status != Service.Status.CANCELLED,
    }
    return {
        action
        for action, now in possible.items()
        if now and service_may(actor=actor, service=service, action=action)
    }


def dispute_open(*, service: Service) -> HoursDispute | None:
    return service.disputes.filter(resolved_at__isnull=True).select_related("raised_by").first()


def service_disputes(*, service: Service) -> QuerySet[HoursDispute]:
    return service.disputes.select_related("raised_by", "resolved_by").order_by("created_at", "id")


# --- reaching each other: contact details and messages ---------------------------------------


def first_name(member: Member) -> str:
    """What the other side of a service is called by: a resident's first name, an
    organisation's whole name."""
    if member.kind == Member.Kind.ORGANISATION:
        return member.name
    return (member.name or "").split(" ")[0] or member.name


@dataclass(frozen=True)
class Contact:
    """How the viewer can reach one side of a service: only what that member chose to share
    (a coordinator sees what the member's record holds)."""

    member: Member
    side: str  # "requester" | "volunteer"
    name: str
    phone: str = ""
    email: str = ""
    shared: bool = field(default=False)


def _sharing(member: Member) -> MemberSettings | None:
    return MemberSettings.objects.filter(member=member).first()


def service_contacts(*, viewer: Member, service: Service) -> list[Contact]:
    """Once matched, and as long as the service is not cancelled: the requester and the
    volunteer see each other's first name and the phone number or email address each agreed
    to share (``MemberSettings.share_phone`` / ``share_email``); the coordinators and the
    assistants of the buurt see both sides as the member records hold them. The board and
    anyone else see nothing here."""
    if service.status == Service.Status.CANCELLED:
        return []
    role = service_role(viewer=viewer, service=service)
    sides = [("requester", service.requester), ("volunteer", service.volunteer)]
    if role in ("requester", "volunteer"):
        side, other = next((s, m) for s, m in sides if s != role)
        settings_row = _sharing(other)
        phone = other.phone if settings_row and settings_row.share_phone else ""
        email = other.email if settings_row and settings_row.share_email else ""
        return [Contact(other, side, first_name(other), phone, email, bool(phone or email))]
    if role == "coordinator":
        return [
            Contact(m, side, m.name, m.phone, m.email, True)
            for side, m in sides
            if may(viewer, "member.view", about=m)
        ]
    return []


def service_messages_visible(*, viewer: Member, service: Service) -> bool:
    """The messages of a service: for its two members and, for safety, the coordinators and
    the assistants of the requester's buurt. Never for anyone else (the board included)."""
    return service_may(actor=viewer, service=service, action="message")


def service_messages(*, viewer: Member, service: Service) -> QuerySet[ServiceMessage]:
    if not service_messages_visible(viewer=viewer, service=service):
        return ServiceMessage.objects.none()
    return service.messages.select_related("author").order_by("created_at", "id")


def message_recipients(*, service: Service, author: Member) -> list[Member]:
    """Who a message on ``service`` is for: both sides except its author."""
    return [m for m in (service.requester, service.volunteer) if m.pk != author.pk]


def messages_to_relay() -> QuerySet[ServiceMessage]:
    """Messages to a member without email that no coordinators' list carried yet."""
    return ServiceMessage.objects.filter(relay_due=True, relayed_at__isnull=True).select_related(
        "service", "service__request", "service__requester", "service__volunteer", "author"
    )


# --- what to do now, for whoever looks at the service ------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing to do (or to wait for) on the service page: a code for the API, the sentence
    the page shows, and where on the page (``anchor``) or on which page (``url_name``) it is
    done."""

    code: str
    text: str
    anchor: str = ""
    url_name: str = ""


def _uur(hours: Decimal | None) -> str:
    return floatformat(hours, -1) if hours is not None else ""


def _money(amount: Decimal) -> str:
    return f"€ {formats.number_format(amount, 2)}"


def _names(service: Service) -> dict[str, str]:
    return {
        "requester": first_name(service.requester),
        "volunteer": first_name(service.volunteer),
        "when": f"{formats.date_format(service.date, 'l j F')} {service.start_time:%H:%M}",
        "hours": _uur(service.registered_hours),
    }


def _planned_steps(service: Service, role: str, actions: set[str]) -> list[Step]:
    names = _names(service)
    if "register" in actions and role == "volunteer":
        return [Step("register", _("Registreer hoeveel uur u hielp."), "uren")]
    if "register" in actions:
        text = _(
            "%(volunteer)s registreert de uren na de afspraak; u kunt dat ook namens "
            "%(volunteer)s doen."
        )
        return [Step("register", text % names, "uren")]
    if service.date <= timezone.localdate():
        if role == "requester":
            text = _("%(volunteer)s registreert nu de uren; daarna bevestigt u ze hier.")
        else:
            text = _("Wacht op %(volunteer)s: die registreert de uren.")
        return [Step("wait_hours", text % names)]
    texts = {
        "requester": _(
            "Op %(when)s komt %(volunteer)s u helpen. Komt het niet uit? Verzet of annuleer de "
            "afspraak hieronder."
        ),
        "volunteer": _(
            "U helpt %(requester)s op %(when)s. Na de afspraak registreert u hier de uren."
        ),
    }
    default = _("%(volunteer)s helpt %(requester)s op %(when)s.")
    return [Step("wait_appointment", texts.get(role, default) % names)]


def _registered_steps(service: Service, role: str, actions: set[str]) -> list[Step]:
    names = _names(service)
    if "confirm_approve" in actions:
        text = _(
            "Klopt het dat %(volunteer)s %(hours)s uur hielp, en bent u tevreden? Bevestig dan "
            "de uren en keur de kwaliteit goed: de punten worden meteen geboekt. Klopt het "
            "niet? Zeg dan wat er niet klopt."
        )
        return [Step("confirm_approve", text % names, "bevestigen")]
    if "confirm" in actions:
        text = _(
            "Klopt het dat %(volunteer)s %(hours)s uur hielp? Bevestig de uren, of zeg wat er "
            "niet klopt."
        )
        return [Step("confirm", text % names, "bevestigen")]
    text = _("Wacht op %(requester)s: die bevestigt de %(hours)s uur, of zegt wat er niet klopt.")
    return [Step("wait_confirmation", text % names)]


def _disputed_steps(service: Service, role: str, actions: set[str]) -> list[Step]:
    dispute = dispute_open(service=service)
    names = {**_names(service), "reason": dispute.reason if dispute else ""}
    if "resolve" in actions and role == "volunteer":
        text = _(
            "%(requester)s zegt dat de uren niet kloppen: “%(reason)s”. Pas de uren aan; "
            "daarna bevestigt %(requester)s ze opnieuw."
        )
        return [Step("resolve", text % names, "aanpassen")]
    if "resolve" in actions:
        text = _(
            "%(requester)s zegt dat de uren niet kloppen: “%(reason)s”. Stel de uren vast, of "
            "vraag %(volunteer)s ze aan te passen."
        )
        return [Step("resolve", text % names, "aanpassen")]
    text = _(
        "U heeft laten weten dat de uren niet kloppen. %(volunteer)s of de coördinator past ze "
        "aan; daarna bevestigt u ze opnieuw. Tot dan wordt niets verrekend."
    )
    if role != "requester":
        text = _(
            "De uren kloppen volgens %(requester)s niet: “%(reason)s”. Tot ze zijn "
            "aangepast en opnieuw bevestigd, wordt niets verrekend."
        )
    return [Step("wait_correction", text % names)]


def _settlement_steps(service: Service, role: str, actions: set[str]) -> list[Step]:
    names = _names(service)
    steps = []
    if "approve" in actions:
        steps.append(
            Step(
                "approve", _("Keur de kwaliteit goed, dan worden de punten geboekt."), "goedkeuren"
            )
        )
    elif points_waiting_for_approval(service=service):
        text = _(
            "Wacht op %(requester)s: die keurt de kwaliteit goed, dan worden de punten geboekt."
        )
        steps.append(Step("wait_approval", text % names))
    for due in dues_held(service=service):
        if "settle" in actions:
            text = _(
                "Wat deze dienst oplevert kon niet worden geboekt: %(reason)s Boek het "
                "hier, als dat nu wel kan (bijvoorbeeld na een bijdrage uit de "
                "solidariteitspot)."
            )
            steps.append(Step("settle", text % {"reason": due.held_reason}, "boeken"))
        else:
            # Not the reason itself: it may name the requester's balance.
            text = _(
                "De uren zijn bevestigd. Het boeken van wat deze dienst oplevert wacht op de "
                "coördinator."
            )
            steps.append(Step("wait_coordinator", text))
    for due in service.dues.all():
        if due.kind != CompensationDue.Kind.EUROS or due.status != CompensationDue.Status.OWED:
            continue
        values = {**names, "amount": _money(due.amount)}
        if role == "requester":
            text = _("Betaal %(amount)s aan %(volunteer)s: contant, of online bij Klussen.")
            steps.append(Step("pay", text % values, url_name="klussen:list"))
        elif role == "volunteer":
            text = _(
                "%(requester)s betaalt u %(amount)s. Contant ontvangen? Bevestig dat bij Klussen."
            )
            steps.append(Step("wait_payment", text % values, url_name="klussen:list"))
    return steps


def service_steps(*, viewer: Member, service: Service) -> list[Step]:
    """What the viewer does next on this service, the most pressing first: the page shows the
    first at the top, the API gives them all. Always at least one (waiting, or done)."""
    actions = service_actions(actor=viewer, service=service)
    role = service_role(viewer=viewer, service=service)
    status = service.status
    if status == Service.Status.CANCELLED:
        return [Step("cancelled", _("Deze afspraak gaat niet door."))]
    if status == Service.Status.PLANNED:
        return _planned_steps(service, role, actions)
    if status == Service.Status.REGISTERED:
        return _registered_steps(service, role, actions)
    if status == Service.Status.DISPUTED:
        return _disputed_steps(service, role, actions)
    steps = _settlement_steps(service, role, actions)
    if "feedback" in actions:
        feedback = Step("feedback", _("Laat weten hoe de hulp was."), "terugkoppeling")
        if service.feedback_due:
            text = _("Laat vóór %(date)s weten hoe de hulp was.") % {
                "date": formats.date_format(service.feedback_due, "l j F")
            }
            feedback = Step("feedback", text, "terugkoppeling")
        # Approving or booking first: they settle what is owed; feedback before paying.
        steps.insert(1 if steps and steps[0].code in ("approve", "settle") else 0, feedback)
    return steps or [Step("done", _("Deze dienst is afgerond. Dank u wel!"))]


def service_dues(*, service: Service) -> QuerySet[CompensationDue]:
    return service.dues.select_related("payer", "payee", "rulebook").order_by("kind")


def feedback_received(*, member: Member) -> QuerySet[Service]:
    """The feedback a volunteer received, newest first."""
    return (
        services_for(member=member)
        .filter(volunteer=member, feedback_at__isnull=False)
        .order_by("-feedback_at")
    )


# --- the calendar feed ---------------------------------------------------------------------------


def calendar_member(*, token: str) -> Member | None:
    """The member whose secret calendar address this is, if they may still use the
    marketplace; another cooperative's address does not exist here."""
    row = (
        MemberSettings.objects.select_related("member")
        .prefetch_related("member__role_assignments", "member__seats__body")
        .filter(calendar_token=token)
        .first()
    )
    if row is None or not may(row.member, "marketplace.view"):
        return None
    return row.member


def calendar_services(*, member: Member) -> QuerySet[Service]:
    """What the member's calendar holds: their planned and registered services, and those
    cancelled in the last CANCELLED_FEED_DAYS days (so a calendar marks them cancelled)."""
    since = timezone.localdate() - dt.timedelta(days=CANCELLED_FEED_DAYS)
    return services_for(member=member).filter(
        Q(status__in=[Service.Status.PLANNED, Service.Status.REGISTERED, Service.Status.DISPUTED])
        | Q(status=Service.Status.CANCELLED, date__gte=since)
    )


# --- what a service owes ------------------------------------------------------------------------

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


# --- for the notices: digests, reminders, expiry, the coordinators' summary ---------------------


def digest_due(*, today: dt.date) -> QuerySet[MemberSettings]:
    """The settings of members whose daily or weekly overview is due today."""
    daily, weekly = MemberSettings.Digest.DAILY, MemberSettings.Digest.WEEKLY
    return MemberSettings.objects.filter(
        Q(digest__in=[daily, weekly], last_digest_at__isnull=True)
        | Q(digest=daily, last_digest_at__lt=start_of(today))
        | Q(digest=weekly, last_digest_at__lt=start_of(today - dt.timedelta(days=6)))
    )


def start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def digest_readers() -> QuerySet[Member]:
    """Active members with an email address who may answer "ik help"."""
    return (
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            role_assignments__role__in=permissions.ACTIONS["request.respond"],
        )
        .exclude(email="")
        .distinct()
    )


def digest_requests(
    *, member: Member, since: dt.datetime, until: dt.datetime
) -> QuerySet[HelpRequest]:
    """Open requests made in (since, until] that ``member`` can help with: in their clusters
    (help_clusters) in their own or a neighbouring buurt, and in the clusters of their active
    offers as far as each offer reaches. A member who named no cluster hears of everything
    nearby; one whose buurt is unknown, of the whole cooperative. Requests without a buurt are
    shown to all, since nobody could say they are far away."""
    near = EVERYWHERE
    if member.neighbourhood is not None:
        buurten = [member.neighbourhood.pk, *(n.pk for n in member.neighbourhood.adjacent.all())]
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
        }[Reach(offer.reach)]
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


def requests_waiting(*, rule: str, now: dt.datetime) -> dict[int, int]:
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
        rulebook = request.rulebook or current
        days: int | None = getattr(rulebook, rule, None)
        if days and request.open_since <= now - dt.timedelta(days=days):
            out[request.pk] = days
    return out


def waiting_responses(*, request: HelpRequest) -> int:
    """How many volunteers wait for the requester's choice."""
    return request.responses.filter(status=HelpResponse.Status.WAITING).count()


def coordinators_to_mail() -> QuerySet[Member]:
    """Active members with an email address who look after services (roles loaded)."""
    return (
        Member.objects.filter(
            status=Member.Status.ACTIVE,
            role_assignments__role__in=permissions.ACTIONS["service.coordinate"],
        )
        .exclude(email="")
        .distinct()
        .prefetch_related("role_assignments", "seats__body")
    )


# --- what waits for a member: the home page's "Wat vraagt uw aandacht" -------------------------

# At most this many tasks of one kind on the home page; beyond it, one line links to the list.
ATTENTION_LIMIT = 10
# Without a deadline in the rules, feedback is asked for this long after confirming.
FEEDBACK_ASKED_DAYS = 14


def _service_task(service: Service, member: Member, now: dt.datetime) -> str | None:
    """What ``service`` asks of ``member`` now (see ``services_waiting``), or None."""
    today = now.date()
    if service.status == Service.Status.REGISTERED:
        return "confirm"
    if service.status == Service.Status.CONFIRMED:
        return "feedback"
    passed = service.date < today or (service.date == today and service.start_time <= now.time())
    if service.volunteer_id == member.pk and passed:
        return "register"
    if not passed:
        return "soon"
    return None


def services_waiting(
    *, member: Member, now: dt.datetime | None = None
) -> list[tuple[str, Service]]:
    """The member's own services where something waits on them, or that come soon, as (task,
    service), oldest first:

    - "register": the volunteer's appointment has passed, the hours are not registered;
    - "confirm": the requester's hours are registered and wait for confirmation;
    - "feedback": the requester confirmed and gives feedback (until the rules' deadline and
      after it; without a deadline for FEEDBACK_ASKED_DAYS after confirming);
    - "soon": an appointment later today or tomorrow.

    Only what the member does themselves (what a coordinator does for others is in the
    queue). One query, at most ATTENTION_LIMIT + 1 services."""
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    asked_since = now - dt.timedelta(days=FEEDBACK_ASKED_DAYS)
    planned, mine = Service.Status.PLANNED, Q(volunteer=member) | Q(requester=member)
    feedback = Q(requester=member, status=Service.Status.CONFIRMED, feedback_at__isnull=True) & (
        Q(feedback_due__isnull=False) | Q(confirmed_at__gte=asked_since)
    )
    services = (
        Service.objects.filter(
            Q(volunteer=member, status=planned, date__lte=today)
            | Q(requester=member, status=Service.Status.REGISTERED)
            | feedback
            | (mine & Q(status=planned, date__range=(today, today + dt.timedelta(days=1))))
        )
        .select_related("request", "cluster", "requester", "volunteer")
        .order_by("date", "start_time", "pk")[: ATTENTION_LIMIT + 1]
    )
    found = ((_service_task(service, member, now), service) for service in services)
    return [(task, service) for task, service in found if task is not None]


def requests_with_waiting_answers(*, member: Member) -> list[HelpRequest]:
    """The member's open requests to which volunteers answered "ik help" and that wait for the
    member's choice, each with ``waiting`` (how many answered). One query."""
    return list(
        HelpRequest.objects.filter(requester=member, status=HelpRequest.Status.OPEN)
        .annotate(
            waiting=Count("responses", filter=Q(responses__status=HelpResponse.Status.WAITING))
        )
        .filter(waiting__gt=0)
        .select_related("cluster")
        .order_by("created_at", "pk")[: ATTENTION_LIMIT + 1]
    )


def coordination_queue(*, viewer: Member) -> dict[str, Any]:
    """What waits for whoever looks after services (service.coordinate) in the buurten they
    look after (a neighbourhood assistant: their own): requests still without a volunteer,
    hours that wait for the requester's confirmation, and feedback past its deadline. Counts,
    the oldest request's age in days, and the id of the newest of each (to link straight to it
    when it is the only one). Two queries, however long the queue."""
    requests = HelpRequest.objects.filter(status=HelpRequest.Status.OPEN)
    services = Service.objects.all()
    if not _sees_every_buurt(viewer, "service.coordinate"):
        assisted = _assisted(viewer)
        requests = requests.filter(neighbourhood_id__in=assisted)
        # As service_visible scopes them: by the buurt of the member the service is for.
        services = services.filter(requester__neighbourhood_id__in=assisted)
    confirm = Q(status=Service.Status.REGISTERED)
    overdue = Q(
        status=Service.Status.CONFIRMED,
        feedback_at__isnull=True,
        feedback_due__lt=timezone.localdate(),
    )
    queue: dict[str, Any] = requests.aggregate(
        unmatched=Count("pk"), unmatched_since=Min("created_at"), unmatched_last=Max("pk")
    )
    queue.update(
        services.aggregate(
            confirm=Count("pk", filter=confirm),
            confirm_last=Max("pk", filter=confirm),
            overdue=Count("pk", filter=overdue),
            overdue_last=Max("pk", filter=overdue),
        )
    )
    since = queue.pop("unmatched_since")
    queue["unmatched_days"] = (
        (timezone.localdate() - timezone.localdate(since)).days if since else 0
    )
    return queue
