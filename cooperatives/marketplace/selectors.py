"""Reads in the marketplace, always within what the viewer may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cooperatives.marketplace.models import HelpRequest, Offer, Service
from cooperatives.models import Member
from shared import permissions


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
        qs.select_related("cluster", "neighbourhood", "requester")
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
        HelpRequest.objects.select_related("cluster", "neighbourhood", "requester", "created_by")
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


def services_for(*, member: Member) -> QuerySet[Service]:
    """The services a member gives or receives (their calendar)."""
    return (
        Service.objects.filter(Q(volunteer=member) | Q(requester=member))
        .select_related("request", "cluster", "requester", "volunteer")
        .order_by("date", "start_time")
    )


def coordinator_board(*, viewer: Member) -> dict[str, QuerySet]:
    """Open requests by buurt (unmatched first, oldest first), services waiting for
    confirmation, and feedback that is overdue; a neighbourhood assistant sees their buurten."""
    scope = permissions.neighbourhood_filter_for(viewer, "marketplace.board")
    requests = HelpRequest.objects.filter(
        status__in=[HelpRequest.Status.OPEN, HelpRequest.Status.MATCHED]
    )
    services = Service.objects.all()
    if scope is not None:
        requests = requests.filter(scope)
        services = services.filter(
            request__neighbourhood_id__in=permissions.assisted_neighbourhood_ids(viewer)
        )
    today = timezone.localdate()
    return {
        "open_requests": requests.select_related("cluster", "neighbourhood", "requester")
        .annotate(response_count=Count("responses"))
        .order_by("neighbourhood__name", "status", "created_at"),
        "awaiting_confirmation": services.filter(status=Service.Status.REGISTERED)
        .select_related("requester", "volunteer", "request")
        .order_by("registered_at"),
        "feedback_overdue": services.filter(
            status=Service.Status.CONFIRMED, feedback_at__isnull=True, feedback_due__lt=today
        )
        .select_related("requester", "volunteer", "request")
        .order_by("feedback_due"),
    }
