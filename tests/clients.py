"""Clients for the tests: one per host, logged in without hashing a password, and the small
helpers for JSON calls to the API."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tests.factories import MemberFactory

JSON = "application/json"


def client_for(host: str, **kwargs: Any) -> Client:
    return Client(HTTP_HOST=host, **kwargs)


def logged_in_client(
    coop: Any, email: str | None = None, *, member: Any = None, verified: bool = True
) -> Client:
    """A client with a session in the cooperative's own schema (no password hashing, so the
    suite stays fast; the login page itself is tested in tests/shared/accounts/test_views.py).
    Pass a member (from tests.factories.MemberFactory) or an email; by default the board
    member who signed up. The session has passed the second factor (a phone is set up for the
    user if none is), as the board, the kascommissie and administrators need, whatever roles
    the test gives later; ``verified=False`` for a session with the password only (the 2FA
    pages themselves: tests/shared/accounts/test_member_two_factor.py)."""
    client = client_for(coop.host)
    with schema_context(coop.schema):
        user = (
            member.user if member is not None else User.objects.get(email=email or coop.board_email)
        )
        client.force_login(user)
        if verified:
            session_verify(client, user)
    return client


def session_verify(client: Client, user: Any) -> None:
    """Mark the client's session as past the second factor (django-otp's session key), with
    the user's confirmed phone, made if there is none. Call in the user's schema."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def client_as(coop: Any, cast: Any, role: str) -> Client:
    """Logged in as the cast's person for ``role`` (``cast.people[role]``)."""
    return logged_in_client(coop, member=cast.people[role])


def treasurer_client(coop: Any) -> Client:
    """Logged in as a new treasurer of the cooperative, Pien Penningmeester."""
    treasurer = MemberFactory(
        schema=coop.schema, name="Pien Penningmeester", roles=["board_treasurer"]
    )
    return logged_in_client(coop, member=treasurer)


def login_works(coop: Any, email: str, password: str) -> bool:
    """Log in through the real login form (password hashing and all): on to the home page, or
    (the board, a member with a phone set up) to the second factor."""
    response = client_for(coop.host).post("/inloggen/", {"username": email, "password": password})
    return response.status_code == 302 and response["Location"] in ("/", "/tweestaps/?next=%2F")


def post_json(client: Client, path: str, data: Any = None) -> Any:
    return client.post(path, data or {}, content_type=JSON)


def error_codes(response: Any) -> list[tuple]:
    """(attr, code) of every error of a structured API refusal."""
    return [(e["attr"], e["code"]) for e in response.json()["errors"]]


def refusal(attr: str | None, code: str, detail: str) -> dict:
    """The body of a structured API refusal with one error."""
    return {"type": "validation_error", "errors": [{"attr": attr, "code": code, "detail": detail}]}


FORBIDDEN = {
    "type": "client_error",
    "errors": [
        {
            "attr": None,
            "code": "permission_denied",
            "detail": "U heeft geen toestemming voor deze handeling.",
        }
    ],
}
NOT_FOUND = {
    "type": "client_error",
    "errors": [{"attr": None, "code": "not_found", "detail": "Niet gevonden."}],
}


def network_client(user: Any, *, verified: bool = True) -> Client:
    """A client on the apex logged in as a network user (tests.factories.network_user), past
    the second factor unless ``verified`` is False (the 2FA pages themselves are tested in
    tests/shared/accounts/)."""
    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY

    client = client_for(settings.PLATFORM_DOMAIN)
    with schema_context("public"):
        client.force_login(user)
        if verified:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = user.totp_device.persistent_id
            session.save()
    return client
