"""Outbox calls name what runs after their result by a registered name (billing.outbox.registry)
instead of a dotted path to a function. Stored calls that are still to be made (pending, or
failed and waiting for a person to retry them) hold the dotted paths of before: this maps each
path that billing ever stored to its name, also the paths of before the move into feature
packages, which the move itself did not rewrite. The field keeps its length (200)."""

from django.db import migrations

NAMES = {
    # since the feature packages
    "billing.webhooks.services.customer_stored": "customer_stored",
    "billing.subscriptions.plans.plan_product_stored": "plan_product_stored",
    "billing.subscriptions.plans.plan_price_stored": "plan_price_stored",
    "billing.subscriptions.services.plan_change_stored": "plan_change_stored",
    "billing.sponsorship.services.network_subscription_result": "network_subscription_stored",
    "billing.connect.services.connect_account_created": "connect_account_stored",
    "billing.klussen.online.klus_checkout_created": "klus_checkout_stored",
    # before them
    "billing.services.customer_stored": "customer_stored",
    "billing.plans.plan_product_stored": "plan_product_stored",
    "billing.plans.plan_price_stored": "plan_price_stored",
    "billing.subscribe.plan_change_stored": "plan_change_stored",
    "billing.sponsorship.network_subscription_result": "network_subscription_stored",
    "billing.connect.connect_account_created": "connect_account_stored",
}
# Back to the paths of the code just before this migration.
PATHS = {
    "customer_stored": "billing.webhooks.services.customer_stored",
    "plan_product_stored": "billing.subscriptions.plans.plan_product_stored",
    "plan_price_stored": "billing.subscriptions.plans.plan_price_stored",
    "plan_change_stored": "billing.subscriptions.services.plan_change_stored",
    "network_subscription_stored": "billing.sponsorship.services.network_subscription_result",
    "connect_account_stored": "billing.connect.services.connect_account_created",
    "klus_checkout_stored": "billing.klussen.online.klus_checkout_created",
}


def _rename(apps, mapping):
    OutboxCall = apps.get_model("billing", "OutboxCall")
    for old, new in mapping.items():
        OutboxCall.objects.filter(on_result=old).update(on_result=new)


def to_names(apps, schema_editor):
    _rename(apps, NAMES)


def to_paths(apps, schema_editor):
    _rename(apps, PATHS)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_default_plans"),
    ]

    operations = [
        migrations.RunPython(to_names, to_paths),
    ]
