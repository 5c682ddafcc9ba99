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


def logged_in_client(coop: Any, email: str | None = None, *, member: Any = None) -> Client:
    """A client with a session in the cooperative's own schema (no password hashing, so the
    suite stays fast; the login page itself is tested in tests/shared/accounts/test_views.py).
    Pass a member (from tests.factories.MemberFactory) or an email; by default the board
    member who signed up."""
    client = client_for(coop.host)
    with schema_context(coop.schema):
        user = (
            member.user if member is not None else User.objects.get(email=email or coop.board_email)
        )
        client.force_login(user)
    return client


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
    """Log in through the real login form (password hashing and all)."""
    response = client_for(coop.host).post("/inloggen/", {"username": email, "password": password})
    return response.status_code == 302 and response["Location"] == "/"


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
