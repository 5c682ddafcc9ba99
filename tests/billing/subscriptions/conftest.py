"""Fixtures of the subscription tests: the plans as mirrored to Stripe, and a treasurer in each
cooperative."""

from __future__ import annotations

import pytest

from billing.subscriptions.models import Plan
from cooperatives.members.models import Member
from tests.factories import MemberFactory


@pytest.fixture
def plans(db) -> dict[str, Plan]:
    """The default plans, as if billing_sync_plans had run."""
    for plan in Plan.objects.exclude(code="pilot"):
        plan.stripe_product_id = f"prod_{plan.code}"
        plan.stripe_price_id = f"price_{plan.code}"
        plan.save()
    return {p.code: p for p in Plan.objects.all()}


@pytest.fixture
def treasurers(alfa, beta) -> dict[str, Member]:
    return {
        "alfa": MemberFactory(schema=alfa.schema, name="Penny Alfa", roles=["board_treasurer"]),
        "beta": MemberFactory(schema=beta.schema, name="Peter Beta", roles=["board_treasurer"]),
    }
