"""Fixtures of the annual report's tests: the people who act on it in each cooperative."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from cooperatives.members.models import Member
from tests.factories import MemberFactory


def people(coop) -> SimpleNamespace:
    with schema_context(coop.schema):
        founder = Member.objects.get(email=coop.board_email)
    return SimpleNamespace(
        board=founder,
        secretary=MemberFactory(
            schema=coop.schema, name="Sien Secretaris", roles=["board_secretary"]
        ),
        audit=MemberFactory(
            schema=coop.schema, name="Kees Kascommissie", roles=["audit_committee"]
        ),
        member=MemberFactory(schema=coop.schema, name="Lotte Lid"),
    )


@pytest.fixture
def cast(alfa, beta) -> SimpleNamespace:
    return SimpleNamespace(alfa=people(alfa), beta=people(beta))


@pytest.fixture
def last_year() -> int:
    return timezone.localdate().year - 1
