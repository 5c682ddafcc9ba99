"""A network (SAMEN030, 500WIJK) pays the subscription of member cooperatives.

Kept simple on purpose: the network has its own Stripe customer (metadata {"network": slug},
which is how its subscription's webhooks find it) and one subscription with one price (the
network's plan) whose quantity is the number of cooperatives it sponsors. It is paid by
invoice (collection_method send_invoice): networks are organisations that pay by bank
transfer. Starting or ending a sponsorship changes the quantity through the outbox; while a
sponsorship runs, the cooperative's access follows the network's subscription
(billing.access.selectors).

The quantity is what Stripe last confirmed; the wanted quantity is the count of running
sponsorships. Every answer from Stripe is compared with the wanted count again, so two changes
whose calls come back in another order (a retry) still end at the right quantity.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing.access.middleware import access_cache_key
from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result
from billing.outbox.services import StripeUnavailable, outbox_call_now, outbox_enqueue
from billing.sponsorship.models import NetworkSubscription, Sponsorship
from billing.sponsorship.selectors import network_subscription_for
from billing.subscriptions.models import Plan, Subscription
from billing.subscriptions.selectors import (
    ENDED,
    member_count,
    plan_fits,
    plan_is_free,
    remote_state,
)
from shared.audit.services import audit_record
from shared.validation import field_error
from tenants.models import Cooperative, Network
from tenants.networks.models import Membership

# A cooperative paying its own subscription is not sponsored on top of it (it would pay twice).
OWN_RUNNING = frozenset(
    {
        Subscription.Status.TRIALING,
        Subscription.Status.ACTIVE,
        Subscription.Status.PAST_DUE,
        Subscription.Status.UNPAID,
        Subscription.Status.INCOMPLETE,
        Subscription.Status.PAUSED,
    }
)
DAYS_UNTIL_DUE = 30


def network_billing_ensure(*, network: Network, plan: Plan | None = None) -> NetworkSubscription:
    """The network's Stripe customer, created once (key f"network-customer-{slug}"), and the
    plan it sponsors at. Raises StripeUnavailable while Stripe has not answered."""
    existing = NetworkSubscription.objects.filter(network=network).first()
    if existing is not None:
        return existing
    if plan is None or plan_is_free(plan=plan) or not plan.stripe_price_id:
        raise field_error(
            "plan", _("Kies een betaalde abonnementsvorm die al bij Stripe staat."), "plan"
        )
    call = outbox_call_now(
        operation="customer.create",
        params={"name": network.name, "metadata": {"network": network.slug}},
        idempotency_key=f"network-customer-{network.slug}",
    )
    if call.status != OutboxCall.Status.DONE:
        raise StripeUnavailable(call.last_error)
    customer_id = (call.result or {})["id"]
    network_subscription, _created = NetworkSubscription.objects.get_or_create(
        network=network, defaults={"plan": plan, "stripe_customer_id": customer_id}
    )
    return network_subscription


def sponsorship_start(
    *, network: Network, cooperative: Cooperative, plan: Plan | None = None, actor_id: int | None
) -> Sponsorship:
    """The network starts paying for the cooperative; the quantity goes up at Stripe after
    commit. Refused (nothing written) when the cooperative is not in the network, is already
    sponsored, pays its own subscription, or is too big for the network's plan."""
    # Checked before the network's Stripe customer is made, and again under the lock.
    _refuse_unless_free_to_sponsor(network=network, cooperative=cooperative)
    billing = network_billing_ensure(network=network, plan=plan)
    with transaction.atomic():
        billing = (
            NetworkSubscription.objects.select_for_update()
            .select_related("plan")
            .get(pk=billing.pk)
        )
        if plan is not None and plan.pk != billing.plan_id:
            raise field_error(
                "plan",
                _("Dit netwerk betaalt voor de abonnementsvorm %(plan)s.")
                % {"plan": billing.plan.name},
                "plan",
            )
        _refuse_unless_free_to_sponsor(network=network, cooperative=cooperative)
        members = member_count(cooperative=cooperative)
        if not plan_fits(plan=billing.plan, members=members):
            raise field_error(
                "cooperative",
                _("Deze coöperatie heeft %(n)s leden: te veel voor %(plan)s.")
                % {"n": members, "plan": billing.plan.name},
                "too_many_members",
            )
        sponsorship = Sponsorship.objects.create(
            network=network, cooperative=cooperative, plan=billing.plan, started_at=timezone.now()
        )
        network_quantity_push(network_subscription=billing)
        _access_forget([cooperative.pk])
        with schema_context(cooperative.schema_name):
            audit_record(
                actor_id=actor_id,
                action="billing.sponsorship_started",
                target=sponsorship,
                summary=f"Abonnement betaald door {network.name}",
            )
    return sponsorship


def _refuse_unless_free_to_sponsor(*, network: Network, cooperative: Cooperative) -> None:
    if not network.memberships.filter(
        cooperative=cooperative, status=Membership.Status.ACTIVE
    ).exists():
        raise field_error(
            "cooperative", _("Deze coöperatie hoort niet bij het netwerk."), "not_member"
        )
    if Sponsorship.objects.filter(cooperative=cooperative, ended_at__isnull=True).exists():
        raise field_error(
            "cooperative", _("Deze coöperatie wordt al door een netwerk betaald."), "sponsored"
        )
    own = Subscription.objects.filter(cooperative=cooperative).first()
    if own is not None and own.status in OWN_RUNNING:
        raise field_error(
            "cooperative",
            _(
                "Deze coöperatie betaalt zelf een abonnement. Zeg dat eerst op, zodat ze "
                "niet twee keer betaalt."
            ),
            "own_subscription",
        )


def sponsorship_end(*, cooperative: Cooperative, actor_id: int | None) -> Sponsorship:
    """The network stops paying for the cooperative: the quantity goes down at Stripe after
    commit, and the cooperative is on its own subscription (or the pilot) again."""
    with transaction.atomic():
        sponsorship = (
            Sponsorship.objects.select_for_update()
            .filter(cooperative=cooperative, ended_at__isnull=True)
            .select_related("network")
            .first()
        )
        if sponsorship is None:
            raise field_error(
                "cooperative", _("Deze coöperatie wordt niet door een netwerk betaald."), "none"
            )
        billing = NetworkSubscription.objects.select_for_update().get(
            network_id=sponsorship.network_id
        )
        sponsorship.ended_at = timezone.now()
        sponsorship.save(update_fields=["ended_at"])
        network_quantity_push(network_subscription=billing)
        _access_forget([cooperative.pk])
        with schema_context(cooperative.schema_name):
            audit_record(
                actor_id=actor_id,
                action="billing.sponsorship_ended",
                target=sponsorship,
                summary=f"Abonnement niet meer betaald door {sponsorship.network.name}",
            )
    return sponsorship


def sponsorship_end_with_membership(
    *, membership: Membership, actor_id: int | None, **kwargs: Any
) -> None:
    """A network pays only for its members: when a membership ends (either side), the
    network's sponsorship of that cooperative ends in the same transaction. Registered with
    tenants.networks' ending hooks (billing.apps): tenants sits below billing and cannot call
    it."""
    if Sponsorship.objects.filter(
        network_id=membership.network_id,
        cooperative_id=membership.cooperative_id,
        ended_at__isnull=True,
    ).exists():
        sponsorship_end(cooperative=membership.cooperative, actor_id=actor_id)


def _wanted_quantity(network_subscription: NetworkSubscription) -> int:
    return Sponsorship.objects.filter(
        network_id=network_subscription.network_id, ended_at__isnull=True
    ).count()


def network_quantity_push(*, network_subscription: NetworkSubscription) -> OutboxCall | None:
    """Ask Stripe (after commit) for the quantity the running sponsorships need. Call with the
    NetworkSubscription row locked. The first sponsorship creates the subscription (one key per
    network, so it is never created twice); later changes each get a key of their own."""
    billing = network_subscription
    wanted = _wanted_quantity(billing)
    slug = billing.network.slug
    ended = billing.stripe_subscription_id and billing.status in ENDED
    if not billing.stripe_subscription_id or ended:
        if wanted == 0:
            return None
        # After a cancelled subscription a new one is made; its key names the ended one, so
        # asking again before Stripe answered still makes only one.
        key = f"network-subscription-{slug}" + (
            f"-after-{billing.stripe_subscription_id}" if ended else ""
        )
        return outbox_enqueue(
            operation="subscription.create",
            params={
                "customer": billing.stripe_customer_id,
                "items": [{"price": billing.plan.stripe_price_id, "quantity": wanted}],
                "collection_method": "send_invoice",
                "days_until_due": DAYS_UNTIL_DUE,
                "metadata": {"network": slug},
            },
            idempotency_key=key,
            on_result="network_subscription_stored",
        )
    if billing.quantity == wanted:
        return None
    billing.quantity_version += 1
    billing.save(update_fields=["quantity_version", "updated_at"])
    # Quantity 0 (no cooperative sponsored any more) keeps the subscription, at EUR 0, so a
    # new sponsorship needs no new subscription.
    return outbox_enqueue(
        operation="subscription.update",
        params={
            "id": billing.stripe_subscription_id,
            "items": [{"id": billing.stripe_item_id, "quantity": wanted}],
            "proration_behavior": "create_prorations",
        },
        idempotency_key=f"network-quantity-{slug}-{billing.quantity_version}",
        on_result="network_subscription_stored",
    )


@outbox_result("network_subscription_stored")
def network_subscription_stored(*, call: OutboxCall) -> None:
    """on_result of the network's subscription.create / .update: keep what Stripe says, then
    check the quantity again (a later change may have been answered first)."""
    remote: dict[str, Any] = call.result or {}
    billing = network_subscription_for(customer_id=remote["customer"])
    if billing is None:
        return
    billing = network_subscription_apply(network_subscription=billing, remote=remote)
    with transaction.atomic():
        billing = NetworkSubscription.objects.select_for_update().get(pk=billing.pk)
        network_quantity_push(network_subscription=billing)


def network_subscription_apply(
    *, network_subscription: NetworkSubscription, remote: dict[str, Any]
) -> NetworkSubscription:
    """Copy Stripe's subscription onto the network's; an ended older subscription never
    replaces the current one. Sponsored cooperatives' access is recomputed at once."""
    with transaction.atomic():
        billing = NetworkSubscription.objects.select_for_update().get(pk=network_subscription.pk)
        current = billing.stripe_subscription_id
        if current and current != remote["id"] and remote["status"] in ENDED:
            return billing
        item, state = remote_state(remote=remote)
        state.pop("current_period_start")  # a network's subscription keeps only the end
        wanted: dict[str, Any] = {
            "stripe_subscription_id": remote["id"],
            "stripe_item_id": item.get("id") or "",
            "quantity": int(item.get("quantity") or 0),
            **state,
        }
        changed = {k: v for k, v in wanted.items() if getattr(billing, k) != v}
        if not changed:
            return billing
        for name, value in changed.items():
            setattr(billing, name, value)
        billing.save()
        if "status" in changed or "grace_until" in changed:
            _access_forget(
                list(
                    Sponsorship.objects.filter(
                        network_id=billing.network_id, ended_at__isnull=True
                    ).values_list("cooperative_id", flat=True)
                )
            )
    return billing


def _access_forget(cooperative_pks: list[int]) -> None:
    """Drop the cached access level now and again after commit, so no request in between
    keeps the old one for the cache's minute."""
    keys = [access_cache_key(pk) for pk in cooperative_pks]
    caches["tenancy"].delete_many(keys)
    transaction.on_commit(lambda: caches["tenancy"].delete_many(keys))
