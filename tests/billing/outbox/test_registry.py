"""The outbox names what runs after a result by a registered name, not a dotted path: every
feature's handler is registered when Django starts, an unknown name is refused before anything
is stored or sent to Stripe, and the data migration turns every dotted path billing ever stored
into its name (calls of alfa and beta alike, and nothing else)."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps

from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result, outbox_result_names
from billing.outbox.services import outbox_enqueue

migration = importlib.import_module("billing.migrations.0005_outbox_result_names")


NAMES = {
    "customer_stored",
    "plan_product_stored",
    "plan_price_stored",
    "plan_change_stored",
    "network_subscription_stored",
    "connect_account_stored",
    "klus_checkout_stored",
}


def test_every_handler_is_registered_at_start_up_under_its_name():
    assert outbox_result_names() == NAMES
    assert set(migration.NAMES.values()) == NAMES
    assert set(migration.PATHS) == NAMES


def test_an_unknown_name_is_refused_before_anything_is_stored(alfa, stripe_standin):
    with pytest.raises(LookupError, match=re.escape("billing.webhooks.services.customer_stored")):
        outbox_enqueue(
            operation="customer.create",
            params={"name": "Alfa"},
            idempotency_key="test-unknown-result",
            cooperative=alfa.cooperative,
            on_result="billing.webhooks.services.customer_stored",
        )
    assert not OutboxCall.objects.exists()
    assert stripe_standin.requests == []


def test_a_name_is_one_function():
    with pytest.raises(ValueError, match="customer_stored"):

        @outbox_result("customer_stored")
        def another(*, call: OutboxCall) -> None: ...


def test_the_migration_gives_stored_calls_their_names_and_back(alfa, beta):
    def stored(key: str, on_result: str, coop=None) -> OutboxCall:
        return OutboxCall.objects.create(
            operation="customer.create",
            params={},
            idempotency_key=key,
            cooperative=coop.cooperative if coop else None,
            on_result=on_result,
        )

    calls = {
        path: stored(f"test-{n}", path, (alfa, beta, None)[n % 3])
        for n, path in enumerate(migration.NAMES)
    }
    plain = stored("test-plain", "")

    migration.to_names(apps, None)

    for path, call in calls.items():
        call.refresh_from_db()
        assert call.on_result == migration.NAMES[path]
    plain.refresh_from_db()
    assert plain.on_result == ""

    migration.to_paths(apps, None)

    for path, call in calls.items():
        call.refresh_from_db()
        assert call.on_result == migration.PATHS[migration.NAMES[path]]
        assert call.on_result.startswith("billing.")
    assert OutboxCall.objects.get(pk=plain.pk).on_result == ""
