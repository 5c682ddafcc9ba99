"""The one base for pages on a cooperative's subdomain: a decorator for function views and a
class for class-based ones. Both resolve the cooperative's member once, send a visitor who is
not logged in to the login page, refuse (Dutch 403 page) a user who is no active member here or
lacks the view's declared action, and hand the view the member, never None. So a view body
never starts with "who is this and may they".

    @cooperative_view("member.list")
    def member_list(request: HttpRequest, member: Member) -> HttpResponse: ...

    @cooperative_view(methods=("GET", "POST"))      # any active member, GET and POST
    def my_data_edit(request: HttpRequest, member: Member) -> HttpResponse: ...

    @cooperative_view("member.erase", methods=("GET", "POST"), reauth=True)
    def member_erase(...): ...                        # the password again after 5 minutes

A member whose role needs the second factor (``shared.permissions.TWO_FACTOR_ROLES``: the
board, the kascommissie, the administrator) and whose session has not passed it is sent to the
second-factor step (setting up a phone the first time) before any page, whatever its action.

The API's counterpart is ``shared.api.views.CooperativeAPIView``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Generic, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views import View

from shared.accounts.reauth import auth_is_recent, reauth_redirect
from shared.permissions import can, current_member, forbidden, second_factor_missing

T = TypeVar("T")
MemberT = TypeVar("MemberT")
ViewFunc = Callable[..., HttpResponse]

SAFE = ("GET", "HEAD")


Reauth = bool | tuple[str, ...]


def _reauth_applies(request: HttpRequest, reauth: Reauth) -> bool:
    if isinstance(reauth, tuple):
        return request.method in reauth
    return reauth


def cooperative_refusal(
    request: HttpRequest, action: str | None, *, reauth: Reauth = False
) -> HttpResponse | None:
    """The answer for a request that may not go on, or None when it may: the login, a 403,
    the second factor for a role that needs it, the password again for a sensitive page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    member = current_member(request)
    if member is None or (action is not None and not can(member, action)):
        return forbidden(request)
    if second_factor_missing(request):
        return redirect_to_login(request.get_full_path(), reverse("two-factor"))
    if _reauth_applies(request, reauth) and not auth_is_recent(request):
        return reauth_redirect(request)
    return None


def cooperative_view(
    action: str | None = None, *, methods: Iterable[str] = SAFE, reauth: Reauth = False
) -> Callable[[ViewFunc], ViewFunc]:
    """A page for a logged-in member of this cooperative; with ``action``, only for members
    the permission layer allows it. ``methods`` are the HTTP methods it answers (HEAD goes
    with GET). With ``reauth`` (True, or the methods it applies to: ``("POST",)``), a login
    older than ``settings.REAUTH_SECONDS`` is asked for the password (and code) again first
    (a POST comes back to the page as a GET, to be sent again). The view receives ``member``
    as a keyword argument."""
    allowed = {m.upper() for m in methods}
    if "GET" in allowed:
        allowed.add("HEAD")

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                return HttpResponseNotAllowed(sorted(allowed))
            refusal = cooperative_refusal(request, action, reauth=reauth)
            if refusal is not None:
                return refusal
            return view(request, *args, member=current_member(request), **kwargs)

        # What the page asks of the permission layer, for whoever links to it (the menu's
        # items are checked against it: shared.navigation).
        wrapped.permission_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


class CooperativeView(View, Generic[MemberT]):
    """Class-based pages: declare ``action`` (or leave it None for any active member); the
    handlers find the member in ``self.member``."""

    action: str | None = None
    reauth: Reauth = False
    member: MemberT

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refusal = cooperative_refusal(request, self.action, reauth=self.reauth)
        if refusal is not None:
            return refusal
        self.member = current_member(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]


def found_or_404(obj: T | None) -> T:
    """The record a selector found in this cooperative (selectors take the viewer and the
    cooperative's schema into account), or a 404 when there is none: another cooperative's id
    or one the viewer may not see does not exist for them."""
    if obj is None:
        raise Http404
    return obj


def form_add_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the form: each message next to its field, the rest (and
    messages of fields the form does not show) at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


__all__ = [
    "CooperativeView",
    "cooperative_refusal",
    "cooperative_view",
    "form_add_errors",
    "found_or_404",
]
