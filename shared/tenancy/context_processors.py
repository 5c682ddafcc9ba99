from django.http import HttpRequest

from shared import permissions


def cooperative(request: HttpRequest) -> dict[str, object]:
    """The cooperative of the request, and whether the board must see the overdue-payment
    banner (only board members and administrators, only in the grace period)."""
    coop = getattr(request, "cooperative", None)
    banner = False
    if coop is not None and getattr(request, "billing_access", "full") == "grace":
        roles = permissions.roles_of(permissions.current_member(request))
        banner = bool(roles & {permissions.BOARD, permissions.ADMIN})
    return {"cooperative": coop, "billing_grace_banner": banner}
