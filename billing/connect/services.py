"""The cooperative's own Stripe account (Stripe Connect), on which members pay klussen online.

The treasurer or chair onboards once: the connected account is created through the outbox
(its idempotency key is the schema, so it is made once whatever happens), then Stripe's
onboarding link takes them through Stripe's own pages. Stripe says in account.updated events
when the account can take payments; until then the klussen pages offer cash only."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import stripe
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from billing import stripe_api
from billing.connect.models import ConnectAccount
from billing.connect.selectors import connect_account_get
from billing.outbox.models import OutboxCall
from billing.outbox.registry import outbox_result
from billing.outbox.services import outbox_call_now
from shared import permissions
from shared.audit.services import audit_record
from shared.tenancy.urls import cooperative_url
from shared.validation import field_error
from tenants.models import Cooperative

log = logging.getLogger(__name__)
ONBOARDING_PATH = "/klussen/stripe-account/"


def connect_onboarding_start(*, actor: Any, cooperative: Cooperative) -> str | None:
    """Make the cooperative's connected account (once) and a fresh onboarding link; returns
    the link, or None while Stripe cannot be reached (the outbox keeps trying the account)."""
    if not permissions.can(actor, "billing.manage"):
        raise field_error(
            None,
            _("Alleen de penningmeester of de voorzitter kan het Stripe-account regelen."),
            "forbidden",
        )
    account = connect_account_get(cooperative=cooperative)
    if account is None:
        schema = cooperative.schema_name
        call = outbox_call_now(
            operation="account.create",
            params={
                # A Standard account: the cooperative is the merchant of its klussen, with its
                # own Stripe dashboard, payouts, refunds and disputes; the platform only takes
                # its application fee on each payment (a direct charge on that account).
                "type": "standard",
                "country": "NL",
                "business_profile": {"name": cooperative.name},
                "metadata": {"schema": schema},
            },
            idempotency_key=f"connect-account-{schema}",
            cooperative=cooperative,
            on_result="connect_account_stored",
        )
        if call.status == OutboxCall.Status.FAILED:
            raise field_error(
                None,
                _("Stripe wilde het account niet aanmaken. Neem contact op met Noaber."),
                "stripe_refused",
            )
        if call.status != OutboxCall.Status.DONE:
            return None
        account = connect_account_get(cooperative=cooperative)
        if account is None:  # the result came in through another process just now
            return None
    link = outbox_call_now(
        operation="account_link.create",
        params={
            "account": account.stripe_account_id,
            "type": "account_onboarding",
            # An onboarding link works once and for minutes: Stripe sends the treasurer to the
            # refresh URL for a new one, and to the return URL when done.
            "refresh_url": cooperative_url(slug=cooperative.slug, path=ONBOARDING_PATH),
            "return_url": cooperative_url(slug=cooperative.slug, path=f"{ONBOARDING_PATH}?terug=1"),
        },
        # Every click asks for a new link (a link cannot be used twice); the key only makes
        # the outbox's own retries of this one request safe.
        idempotency_key=f"connect-link-{cooperative.schema_name}-{uuid.uuid4().hex}",
        cooperative=cooperative,
    )
    if link.status != OutboxCall.Status.DONE:
        return None
    audit_record(
        actor_id=actor.pk,
        action="billing.connect_onboarding",
        target=account,
        summary="Aanmelding bij Stripe voor online betalen gestart",
    )
    return str((link.result or {})["url"])


@outbox_result("connect_account_stored")
def connect_account_stored(*, call: OutboxCall) -> None:
    """Outbox result of account.create (run in the cooperative's schema): keep the id."""
    account, created = ConnectAccount.objects.get_or_create(
        cooperative_id=call.cooperative_id,
        defaults={"stripe_account_id": (call.result or {})["id"]},
    )
    if created:
        audit_record(
            actor_id=None,
            action="billing.connect_account",
            target=account,
            summary="Stripe-account voor online betalen aangemaakt",
        )


@transaction.atomic
def connect_account_sync(*, account: dict[str, Any]) -> ConnectAccount | None:
    """Copy what Stripe says about a connected account (account.updated, or on return from
    onboarding). Runs in the public schema. Saves only when something differs."""
    found = (
        ConnectAccount.objects.select_for_update()
        .select_related("cooperative")
        .filter(stripe_account_id=account["id"])
        .first()
    )
    if found is None:
        found = _account_from_metadata(account)
        if found is None:
            log.warning("Stripe account %s belongs to no cooperative", account["id"])
            return None
    wanted = {
        "charges_enabled": bool(account.get("charges_enabled")),
        "details_submitted": bool(account.get("details_submitted")),
    }
    changed = {k: [getattr(found, k), v] for k, v in wanted.items() if getattr(found, k) != v}
    if not changed:
        return found
    for name, (_old, new) in changed.items():
        setattr(found, name, new)
    found.save()
    with schema_context(found.cooperative.schema_name):
        audit_record(
            actor_id=None,
            action="billing.connect_status",
            target=found,
            summary="Stripe-account: kan betalingen ontvangen"
            if found.charges_enabled
            else "Stripe-account: kan (nog) geen betalingen ontvangen",
            changes=changed,
        )
    return found


def _account_from_metadata(account: dict[str, Any]) -> ConnectAccount | None:
    """An account we created whose result never reached us (a crash after Stripe's write):
    the schema in its metadata, set by us when creating it, names the cooperative."""
    schema = (account.get("metadata") or {}).get("schema")
    cooperative = Cooperative.objects.filter(schema_name=schema).first() if schema else None
    if cooperative is None or ConnectAccount.objects.filter(cooperative=cooperative).exists():
        return None
    return ConnectAccount.objects.create(cooperative=cooperative, stripe_account_id=account["id"])


def connect_account_refresh(*, cooperative: Cooperative) -> ConnectAccount | None:
    """Back from onboarding: read the account now instead of waiting for the event."""
    account = connect_account_get(cooperative=cooperative)
    if account is None:
        return None
    try:
        remote = stripe_api.retrieve_account(account.stripe_account_id)
    except stripe.StripeError:
        log.warning("Could not read Stripe account %s", account.stripe_account_id, exc_info=True)
        return account
    return connect_account_sync(account=remote) or account
