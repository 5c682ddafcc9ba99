"""Re-authentication before a sensitive action (issue 14, ASVS V3.7): changing the email
address, the second factor, the cooperative's bank and Stripe settings, erasing a member. When
the person's last login (password, and the code for whoever has a phone set up) is older than
``settings.REAUTH_SECONDS``, the page asks for them again (``ReauthView``) and returns to the
action; the API answers a structured 403 (``reauth_required``).

The moment of the last authentication is kept in the session: set by every login (Django's
``user_logged_in`` signal, so the test client's ``force_login`` counts as a login too), by the
second-factor step and by the re-authentication page itself."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied

AUTH_AT_SESSION_KEY = "auth_at"


class ReauthRequired(PermissionDenied):
    """The API's refusal of a sensitive action after a login that is too old."""

    default_detail = _(
        "Voor deze handeling vragen we uw wachtwoord opnieuw. Bevestig het op de website "
        "(Bevestig dat u het bent) en probeer het daarna nog eens."
    )
    default_code = "reauth_required"


def auth_moment_mark(request: HttpRequest) -> None:
    """The person has just proven who they are (password, or password and code)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[AUTH_AT_SESSION_KEY] = int(time.time())


def auth_is_recent(request: HttpRequest) -> bool:
    session = getattr(getattr(request, "_request", request), "session", None)
    if session is None:
        return False
    moment = session.get(AUTH_AT_SESSION_KEY)
    return isinstance(moment, int) and time.time() - moment <= settings.REAUTH_SECONDS


def _back(request: HttpRequest) -> str:
    """Where to return after the check: this page; for a form sent (POST) the page it was
    sent from (the form's address may answer POST only), on this host only."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return str(reverse(settings.LOGIN_REDIRECT_URL))


def reauth_redirect(request: HttpRequest) -> HttpResponse:
    """To the page that asks for the password (and code) again, then back (``_back``): what
    was typed in a form is asked again, after the check."""
    return redirect(f"{reverse('reauth')}?{urlencode({'next': _back(request)})}")


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A login is an authentication: connected in ``shared.accounts.apps``."""
    if request is not None:
        auth_moment_mark(request)
