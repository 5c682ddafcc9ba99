"""Fixtures of the webhook tests."""

from __future__ import annotations

import pytest

from billing.subscriptions.models import Plan


@pytest.fixture
def plans(db) -> dict[str, Plan]:
    """Two plans mirrored to Stripe prices (price_klein, price_groot)."""
    return {
        "klein": Plan.objects.create(
            code="klein", name="Klein", max_members=150, monthly_price_cents=2500,
            stripe_price_id="price_klein",
        ),
        "groot": Plan.objects.create(
            code="groot", name="Groot", monthly_price_cents=7500, stripe_price_id="price_groot"
        ),
    }  # fmt: skip
