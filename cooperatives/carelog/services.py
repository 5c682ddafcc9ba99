"""Writing to the care-access log. The pages and API views that show care data call these
after deciding the viewer may see them; the log itself is append-only at the database level."""

from __future__ import annotations

from cooperatives.carelog.models import CareAccess
from cooperatives.marketplace.models import HelpRequest, Service
from cooperatives.members.models import Member


def care_access_record(
    *, viewer: Member, subject_id: int, route: str, target_type: str, target_id: int
) -> CareAccess | None:
    """One look by ``viewer`` at the care data of member ``subject_id``, on ``route``. A
    member reading their own data is not logged (nobody else looked)."""
    if viewer.pk == subject_id:
        return None
    return CareAccess.objects.create(
        viewer=viewer,
        subject_id=subject_id,
        route=route[:60],
        target_type=target_type,
        target_id=target_id,
    )


def care_request_viewed(*, viewer: Member, request: HelpRequest, route: str) -> CareAccess | None:
    """``viewer`` was shown the description of ``request``: logged when the request is in a
    care cluster and has a description (a title alone is what the marketplace shows anyone)."""
    if not request.description or not request.cluster.holds_care:
        return None
    return care_access_record(
        viewer=viewer,
        subject_id=request.requester_id,
        route=route,
        target_type="hulpvraag",
        target_id=request.pk,
    )


def care_service_viewed(*, viewer: Member, service: Service, route: str) -> CareAccess | None:
    """A service's page shows its request's description: the same as opening the request."""
    return care_request_viewed(viewer=viewer, request=service.request, route=route)
