"""Throttles for API writes that send mail (an invitation, a message to the other side of a
service, a survey opened to every member, a response a requester is mailed about): each is a
mail the platform sends on someone's say-so, so a script with a valid session must not be
able to fill mailboxes. Counted per account and per client address (``shared.client_address``:
only our own proxies' X-Forwarded-For entries are believed), per cooperative (the default
cache's keys carry the schema). Reads are never counted. Put ``MAIL_THROTTLES`` on the view::

    class InvitationListView(CooperativeListAPIView[Member]):
        throttle_classes = MAIL_THROTTLES
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from shared.client_address import client_address


class MailAccountThrottle(SimpleRateThrottle):
    """Mail-sending writes per logged-in account (per address for a visitor)."""

    scope = "mail"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        user = request.user
        ident = (
            f"account:{user.pk}"
            if user is not None and user.is_authenticated
            else f"address:{client_address(request._request)}"
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class MailAddressThrottle(SimpleRateThrottle):
    """Mail-sending writes per client address, whoever is logged in."""

    scope = "mail_address"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": client_address(request._request),
        }


MAIL_THROTTLES: list[type[BaseThrottle]] = [MailAccountThrottle, MailAddressThrottle]
