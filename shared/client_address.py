"""The client's address, trusting exactly the configured number of proxies in front of us.

``X-Forwarded-For`` is written by whoever sends the request; only the entries our own proxies
appended can be believed. With ``TRUSTED_PROXY_COUNT`` = n (from the environment; 0 when the
platform is reached directly), the client is the n-th address from the right of the header, and
with 0 it is the connection's own address. A made-up header therefore cannot give a client a
fresh identity per request (it did: the sign-up throttle believed any header). DRF's throttles
use the same count (``REST_FRAMEWORK["NUM_PROXIES"]``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]
