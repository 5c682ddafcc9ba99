"""Fixtures of the klussen tests."""

import pytest

from billing.connect.models import ConnectAccount


@pytest.fixture
def connected(stripe_standin, alfa, beta):
    """Both cooperatives have a connected account that can take payments."""
    for coop, acct in ((alfa, "acct_alfa"), (beta, "acct_beta")):
        stripe_standin.accounts[acct] = {
            "charges_enabled": True,
            "details_submitted": True,
            "metadata": {"schema": coop.schema},
        }
        ConnectAccount.objects.create(
            cooperative=coop.cooperative,
            stripe_account_id=acct,
            charges_enabled=True,
            details_submitted=True,
        )
    return stripe_standin
