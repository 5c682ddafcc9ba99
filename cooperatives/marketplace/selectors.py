"""Reads in the marketplace, always within what the viewer may see."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils import timezone

from cooperatives.marketplace.models import (
    CompensationDue,
    HelpRequest,
    HelpResponse,
    Offer,
    Service,
)
from cooperatives.members.models import Member
from cooperatives.rules.models import Compensation
from shared import permissions

OPEN_STATUSES = (HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED)


def request_list(
    *,
    cluster_id: int | None = None,
    neighbourhood_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str = HelpRequest.Status.OPEN,
) -> QuerySet[HelpRequest]:
    """Requests for the marketplace page, with everything a row shows loaded up front (so the
    page costs the same number of queries whatever the number of requests)."""
    qs = HelpRequest.objects.all()
    if status:
        qs = qs.filter(status=status)
    if cluster_id:
        qs = qs.filter(cluster_id=cluster_id)
    if neighbourhood_id:
        qs = qs.filter(neighbourhood_id=neighbourhood_id)
    if date_from:
        qs = qs.filter(
            Q(preferred_dates__len=0) | Q(preferred_dates__overlap=_days(date_from, date_to))
        )
    elif date_to:
        qs = qs.filter(
            Q(preferred_dates__len=0)
            | Q(preferred_dates__overlap=_days(timezone.localdate(), date_to))
        )
    return (
        qs.select_related("cluster", "neighbourhood", "requester", "rulebook")
        .annotate(response_count=Count("responses"))
        .order_by("-created_at")
    )


def _days(start: dt.date, end: dt.date | None) -> list[dt.date]:
    end = end or start + dt.timedelta(days=60)
    span = min((end - start).days, 366)
    return [start + dt.timedelta(days=i) for i in range(max(span, 0) + 1)]


def offer_list(
    *, cluster_id: int | None = None, neighbourhood_id: int | None = None
) -> QuerySet[Offer]:
    qs = Offer.objects.filter(status=Offer.Status.ACTIVE)
    if cluster_id:
        qs = qs.filter(cluster_id=cluster_id)
    if neighbourhood_id:
        qs = qs.filter(volunteer__neighbourhood_id=neighbourhood_id)
    return qs.select_related("cluster", "volunteer", "volunteer__neighbourhood").order_by(
        "-created_at"
    )


def request_get(*, pk: int) -> HelpRequest | None:
    return (
        HelpRequest.objects.select_related(
            "cluster", "neighbourhood", "requester", "created_by", "rulebook"
        )
        .filter(pk=pk)
        .first()
    )


def may_see_address(*, viewer: Member, request: HelpRequest) -> bool:
    """Exact addresses: the requester, the matched volunteer and coordinators only."""
    if viewer.pk == request.requester_id:
        return True
    if permissions.can(viewer, "service.coordinate", about=request.requester):
        return True
    return (
        request.services.filter(volunteer=viewer).exclude(status=Service.Status.CANCELLED).exists()
    )


def services_for(*, member: Member, in_scope: bool = False) -> QuerySet[Service]:
    """The services a member gives or receives (their calendar). With ``in_scope``, a
    coordinator also gets every service they look after: all of them, or for a neighbourhood
    assistant those of requesters in the buurten they assist."""
    visible = Q(volunteer=member) | Q(requester=member)
    if in_scope and permissions.can(member, "service.coordinate"):
        if permissions.neighbourhood_filter_for(member, "service.coordinate") is None:
            visible = Q()
        else:
            assisted = permissions.assisted_neighbourhood_ids(member)
            visible |= Q(requester__neighbourhood_id__in=assisted)
    return (
        Service.objects.filter(visible)
        .select_related(
            "request", "request__neighbourhood", "cluster", "requester", "volunteer", "rulebook"
        )
        .order_by("date", "start_time")
    )


def coordinator_board(*, viewer: Member) -> dict[str, Any]:
    """Open requests by buurt (within a buurt unmatched first, then oldest first, each with
    its age in days), services waiting for confirmation, and feedback that is overdue; a
    neighbourhood assistant sees only their buurten."""
    scope = permissions.neighbourhood_filter_for(viewer, "marketplace.board")
    requests = HelpRequest.objects.filter(status__in=OPEN_STATUSES)
    services = Service.objects.all()
    if scope is not None:
        requests = requests.filter(scope)
        services = services.filter(
            request__neighbourhood_id__in=permissions.assisted_neighbourhood_ids(viewer)
        )
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
        "feedback_overdue": services.filter(
            status=Service.Status.CONFIRMED, feedback_at__isnull=True, feedback_due__lt=today
        )
        .select_related("requester", "volunteer", "request")
        .order_by("feedback_due"),
    }


def age_in_days(request: HelpRequest) -> int:
    """Whole calendar days since the request was made, in the cooperative's time zone."""
    return (timezone.localdate() - timezone.localdate(request.created_at)).days


# --- who may see and handle what -----------------------------------------------------------------


def may_manage_request(*, viewer: Member, request: HelpRequest) -> bool:
    """The requester, or a coordinator or the assistant of the requester's buurt: they see
    who answered, accept one and cancel the request."""
    return viewer.pk == request.requester_id or permissions.can(
        viewer, "service.coordinate", about=request.requester
    )


def _in_board_scope(viewer: Member, request: HelpRequest) -> bool:
    if not permissions.can(viewer, "marketplace.board"):
        return False
    if permissions.neighbourhood_filter_for(viewer, "marketplace.board") is None:
        return True
    return request.neighbourhood_id in permissions.assisted_neighbourhood_ids(viewer)


def request_visible(*, viewer: Member, pk: int) -> HelpRequest | None:
    """A request the viewer may open: an open one is on the marketplace for every member;
    afterwards only for those involved, coordinators and the board (an assistant: their
    buurten). Anything else, and another cooperative's ids, does not exist for them."""
    request = request_get(pk=pk)
    if request is None or not permissions.can(viewer, "marketplace.view"):
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
    return permissions.members_visible_to(
        viewer,
        Member.objects.filter(status=Member.Status.ACTIVE).select_related("neighbourhood"),
        "request.create_on_behalf",
    ).order_by("name", "id")


def offer_visible(*, viewer: Member, pk: int) -> Offer | None:
    """An offer the viewer may see: active ones are on the marketplace; otherwise only the
    volunteer's own, or for a coordinator (an assistant: their buurten)."""
    offer = Offer.objects.select_related("cluster", "volunteer").filter(pk=pk).first()
    if offer is None or not permissions.can(viewer, "marketplace.view"):
        return None
    if offer.status == Offer.Status.ACTIVE or may_manage_offer(viewer=viewer, offer=offer):
        return offer
    return None


def may_manage_offer(*, viewer: Member, offer: Offer) -> bool:
    return viewer.pk == offer.volunteer_id or permissions.can(
        viewer, "service.coordinate", about=offer.volunteer
    )


def my_marketplace(*, member: Member) -> dict[str, QuerySet]:
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
