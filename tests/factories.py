"""Test data inside a cooperative's schema. Every helper takes the schema name, so a test
says which cooperative it writes to."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django_tenants.utils import schema_context

from cooperatives.members.models import Member, RoleAssignment
from cooperatives.setup.models import Neighbourhood
from shared.accounts.models import User

_seq = itertools.count(1)
TEST_PASSWORD = "Zonnebloem-42!"


def make_neighbourhood(
    schema: str, name: str, *, postcodes: Iterable[str] = (), streets: Iterable[str] = ()
) -> Neighbourhood:
    with schema_context(schema):
        return Neighbourhood.objects.create(
            name=name, postcodes=list(postcodes), streets=[s.lower() for s in streets]
        )


def make_member(
    schema: str,
    name: str | None = None,
    *,
    roles: Iterable[str] = (),
    neighbourhood: Neighbourhood | None = None,
    assists: Iterable[Neighbourhood] = (),
    login: bool = True,
    **fields: object,
) -> Member:
    """A member with (by default) a login whose password is TEST_PASSWORD. Password hashing is
    skipped (unusable hash + force_login in tests) unless the test logs in through the form."""
    n = next(_seq)
    name = name or f"Lid {n}"
    email = fields.pop("email", None) or f"lid{n}@{schema}.example.nl"
    with schema_context(schema):
        user = None
        if login:
            user = User(email=email, full_name=name)
            user.set_unusable_password()
            user.save()
        member = Member.objects.create(
            user=user, name=name, email=email, neighbourhood=neighbourhood, **fields
        )
        for role in roles:
            RoleAssignment.objects.create(member=member, role=role)
        if assists:
            member.assisted_neighbourhoods.set(list(assists))
        return member


def with_password(schema: str, member: Member, password: str = TEST_PASSWORD) -> Member:
    """Give the member's login a real (Argon2) password, for tests of the login form."""
    with schema_context(schema):
        member.user.set_password(password)
        member.user.save()
    return member
