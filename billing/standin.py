"""A local stand-in for the Stripe API, for tests and the demo (never for production): a small
threaded HTTP server on 127.0.0.1 that answers with Stripe's own example objects
(../shared/stripe/fixtures3.json), overwritten with what Stripe would hold now. The stripe
library is pointed at it through STRIPE_API_BASE, so nothing reaches the network.

Like Stripe, a write with an Idempotency-Key that was seen before gets the first answer again
and creates nothing. Every request is recorded, with its key and Stripe-Account header, and a
test can make the next calls to a path fail, before or after the write (a lost answer).

For the demo (`manage.py stripe_standin`) it also serves Stripe's hosted pages, plainly
labelled as a demo: Checkout (/pay/<session>), the customer portal (/portal/<session>) and
Connect onboarding (/onboarding/<account>). What a person does there changes the stand-in's
objects first and is then delivered as signed webhook events, as Stripe would."""

from __future__ import annotations

import copy
import html
import itertools
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import stripe

FIXTURES = Path(
    os.environ.get("STRIPE_FIXTURES")
    or Path(__file__).resolve().parents[2] / "shared" / "stripe" / "fixtures3.json"
)

# URL path under /v1/ -> (attribute on the stand-in, Stripe resource name, id prefix)
KINDS: dict[str, tuple[str, str, str]] = {
    "subscriptions": ("subscriptions", "subscription", "sub_standin"),
    "invoices": ("invoices", "invoice", "in_standin"),
    "customers": ("customers", "customer", "cus_standin"),
    "products": ("products", "product", "prod_standin"),
    "prices": ("prices", "price", "price_standin"),
    "checkout/sessions": ("checkout_sessions", "checkout.session", "cs_test_standin"),
    "billing_portal/sessions": ("portal_sessions", "billing_portal.session", "bps_standin"),
    "accounts": ("accounts", "account", "acct_standin"),
    "account_links": ("account_links", "account_link", "acctlink_standin"),
}
_RESOURCES: dict[str, dict[str, Any]] | None = None


def resources() -> dict[str, dict[str, Any]]:
    global _RESOURCES
    if _RESOURCES is None:
        _RESOURCES = json.loads(FIXTURES.read_text())["resources"]
    return _RESOURCES


@dataclass
class Request:
    method: str
    path: str
    idempotency_key: str | None
    body: dict[str, Any]
    stripe_account: str | None = None


@dataclass
class Failure:
    path: str
    times: int
    after_write: bool
    method: str = "POST"


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts and lists."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = out
        for part, nxt in itertools.pairwise(parts):
            container: Any = [] if nxt.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                if node[index] is None:
                    node[index] = container
                node = node[index]
            else:
                node = node.setdefault(part, container)
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return out


@dataclass
class StripeStandin:
    """What Stripe holds, per kind and id, as the fields that matter here."""

    base: str = ""
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    account_links: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    # Webhook delivery from the hosted pages. Events on a connected account are signed with the
    # Connect endpoint's secret; without the secret for an event nothing is delivered. `deliver`
    # (body, Stripe-Signature header) replaces the HTTP post, e.g. with a test's own client.
    webhook_url: str = ""
    webhook_secret: str = ""
    connect_webhook_secret: str = ""
    deliver: Callable[[str, str], Any] | None = None
    delivery_timeout: float = 5.0
    events: list[dict[str, Any]] = field(default_factory=list)
    delivery_errors: list[str] = field(default_factory=list)
    # Put into every new id, so a demo stand-in started afresh never hands out an id that the
    # database still holds for another cooperative (Stripe's ids are unique too).
    id_tag: str = ""
    # Where the demo keeps Stripe's state between runs (None: only in memory).
    state_file: Path | None = None
    _replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def subscription(self, sub_id: str, *, customer: str, status: str, price: str = "",
                     period_start: int = 0, period_end: int = 0, **extra: Any) -> None:  # fmt: skip
        self.subscriptions[sub_id] = {
            "customer": customer,
            "status": status,
            "price": price,
            "current_period_start": period_start,
            "current_period_end": period_end,
            **extra,
        }

    def fail_next(
        self, path: str, *, times: int = 1, after_write: bool = False, method: str = "POST"
    ) -> None:
        """The next `times` writes to `path` (e.g. "/v1/checkout/sessions") answer 500. With
        after_write, Stripe did the write and the answer was lost on the way back. With
        method="GET", the next reads of `path` answer 500 instead (Stripe away while an event
        is processed)."""
        self.failures.append(Failure(path, times, after_write, method))

    def created(self, kind: str) -> list[dict[str, Any]]:
        """The objects of a kind created through the API (not set up by a test)."""
        return [s for s in getattr(self, KINDS[kind][0]).values() if s.get("_created")]

    def new_id(self, kind: str) -> str:
        attr, _resource, prefix = KINDS[kind]
        return f"{prefix}{self.id_tag}{len(getattr(self, attr)) + 1}"

    def object(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        """Stripe's example object for `kind`, with this id's state written over it."""
        attr, resource, _prefix = KINDS[kind]
        state = getattr(self, attr).get(obj_id)
        if state is None:
            return None
        obj = copy.deepcopy(resources()[resource])
        obj["id"] = obj_id
        obj["metadata"] = dict(state.get("metadata") or {})
        if kind == "subscriptions":
            obj["customer"] = state["customer"]
            obj["status"] = state["status"]
            obj["created"] = state.get("created", obj.get("created"))
            item = obj["items"]["data"][0]
            item["subscription"] = obj_id
            item["price"]["id"] = state["price"]
            item["quantity"] = int(state.get("quantity", 1))
            # Since API version 2025-03-31 the period lives on the subscription item.
            item["current_period_start"] = state["current_period_start"]
            item["current_period_end"] = state["current_period_end"]
            for key in SUBSCRIPTION_EXTRAS:
                if key in state:
                    obj[key] = state[key]
            return obj
        if kind == "invoices":
            obj["customer"] = state["customer"]
            obj["status"] = state.get("status", "open")
            obj["parent"] = {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"metadata": {}, "subscription": state["subscription"]},
            }
            return obj
        for key, value in state.items():
            if not key.startswith("_") and key != "metadata":
                obj[key] = value
        return obj

    def create(self, kind: str, params: dict[str, Any], account: str | None) -> dict[str, Any]:
        store = getattr(self, KINDS[kind][0])
        obj_id = self.new_id(kind)
        state: dict[str, Any] = {**params, "_created": True, "_account": account}
        if kind == "checkout/sessions":
            state.update(
                url=f"{self.base}/pay/{obj_id}",
                status="open",
                payment_status="unpaid",
                subscription=None,
                payment_intent=None,
                customer=params.get("customer"),
                amount_total=_amount_total(params),
                currency=_currency(params),
            )
        elif kind == "billing_portal/sessions":
            state.update(url=f"{self.base}/portal/{obj_id}")
        elif kind == "accounts":
            state.update(charges_enabled=False, details_submitted=False, payouts_enabled=False)
        elif kind == "account_links":
            state.update(url=f"{self.base}/onboarding/{params.get('account', '')}")
            # Onboarding ends by sending the person back to the link's return_url.
            if account_state := self.accounts.get(params.get("account") or ""):
                account_state["_return_url"] = params.get("return_url") or ""
                account_state["_refresh_url"] = params.get("refresh_url") or ""
        elif kind == "prices":
            state["unit_amount"] = int(params.get("unit_amount") or 0)
        elif kind == "customers":
            state.setdefault("metadata", {})
        elif kind == "subscriptions":
            item = (params.get("items") or [{}])[0]
            state.update(status="active", price=item.get("price", ""),
                         quantity=int(item.get("quantity") or 1),
                         current_period_start=0, current_period_end=0)  # fmt: skip
        store[obj_id] = state
        obj = self.object(kind, obj_id)
        assert obj is not None
        if kind == "account_links":
            obj.pop("id", None)
            obj.pop("metadata", None)
        return obj

    def update(self, kind: str, obj_id: str, params: dict[str, Any]) -> dict[str, Any] | None:
        state = getattr(self, KINDS[kind][0]).get(obj_id)
        if state is None:
            return None
        if kind == "subscriptions" and "items" in params:
            state["price"] = params["items"][0].get("price", state["price"])
            if "quantity" in params["items"][0]:
                state["quantity"] = int(params["items"][0]["quantity"])
        state.update({k: v for k, v in params.items() if k != "items"})
        return self.object(kind, obj_id)

    def _take_failure(self, path: str, method: str = "POST") -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and failure.method == method and path.startswith(failure.path):
                failure.times -= 1
                return failure
        return None

    # --- what a person does on the hosted pages ------------------------------------------------

    def checkout_complete(self, session_id: str) -> bool:
        """Pay an open Checkout Session, as Stripe does when the customer pays: the session is
        complete, a payment has an intent, a subscription is created for the session's
        customer. Then the events go out. False when the session is not open (paid already)."""
        with self._lock:
            session = self.checkout_sessions.get(session_id)
            if session is None or session.get("status") != "open":
                return False
            account = session.get("_account") or ""
            now = int(time.time())
            events: list[tuple[str, str, str]] = []
            if session.get("mode") == "subscription":
                customer = (
                    session.get("customer")
                    or self.create(
                        "customers", {"email": session.get("customer_email") or ""}, account or None
                    )["id"]
                )
                item = (session.get("line_items") or [{}])[0] or {}
                data = session.get("subscription_data") or {}
                trial_days = int(data.get("trial_period_days") or 0)
                end = now + trial_days * DAY if trial_days else _period_end(self, item, now)
                sub_id = self.new_id("subscriptions")
                self.subscription(
                    sub_id,
                    customer=customer,
                    status="trialing" if trial_days else "active",
                    price=item.get("price") or "",
                    period_start=now,
                    period_end=end,
                    quantity=int(item.get("quantity") or 1),
                    metadata=dict(data.get("metadata") or {}),
                    created=now,
                    start_date=now,
                    trial_start=now if trial_days else None,
                    trial_end=end if trial_days else None,
                    _created=True,
                    _account=account,
                )
                session.update(
                    status="complete",
                    # Stripe's word for a trial that charges nothing today.
                    payment_status="no_payment_required" if trial_days else "paid",
                    subscription=sub_id,
                    customer=customer,
                )
                events.append(("customer.subscription.created", "subscriptions", sub_id))
            else:
                session.update(
                    status="complete",
                    payment_status="paid",
                    payment_intent="pi_" + session_id.removeprefix("cs_test_"),
                )
            events.append(("checkout.session.completed", "checkout/sessions", session_id))
            bodies = [self._event(t, kind, obj_id, account) for t, kind, obj_id in events]
            self.save()
        self._deliver_all(bodies)
        return True

    def subscription_cancel(self, sub_id: str) -> bool:
        """Cancel at once, as the customer portal does when set to cancel immediately."""
        with self._lock:
            state = self.subscriptions.get(sub_id)
            if state is None or state["status"] == "canceled":
                return False
            now = int(time.time())
            state.update(status="canceled", canceled_at=now, ended_at=now)
            account = state.get("_account") or ""
            bodies = [
                self._event(t, "subscriptions", sub_id, account)
                for t in ("customer.subscription.updated", "customer.subscription.deleted")
            ]
            self.save()
        self._deliver_all(bodies)
        return True

    def onboarding_complete(self, account_id: str) -> str | None:
        """The cooperative filled in its details: the account may take payments now. Returns
        the account link's return_url (None for an unknown account)."""
        with self._lock:
            state = self.accounts.get(account_id)
            if state is None:
                return None
            state.update(charges_enabled=True, details_submitted=True, payouts_enabled=True)
            # account.updated is an event of the connected account itself.
            bodies = [self._event("account.updated", "accounts", account_id, account_id)]
            self.save()
        self._deliver_all(bodies)
        return state.get("_return_url") or ""

    def customer_subscriptions(self, customer: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v) for k, v in self.subscriptions.items() if v.get("customer") == customer]

    # --- events --------------------------------------------------------------------------------

    def _event(self, event_type: str, kind: str, obj_id: str, account: str) -> dict[str, Any]:
        """An event in Stripe's shape, its object a snapshot taken now (under the lock)."""
        event = copy.deepcopy(resources()["event"])
        event.update(
            # Unique across runs: the platform stores every event id it has seen.
            id=f"evt_standin_{secrets.token_hex(8)}",
            type=event_type,
            created=int(time.time()),
            livemode=False,
            data={"object": self.object(kind, obj_id)},
        )
        if account:
            event["account"] = account
        self.events.append(event)
        return event

    def _deliver_all(self, events: list[dict[str, Any]]) -> None:
        """Deliver outside the lock: the receiver reads the objects back from this stand-in."""
        for event in events:
            secret = self.connect_webhook_secret if event.get("account") else self.webhook_secret
            if not secret or not (self.deliver or self.webhook_url):
                continue
            body = json.dumps(event)
            header = sign(body, secret)
            try:
                if self.deliver is not None:
                    self.deliver(body, header)
                else:
                    _post_event(self.webhook_url, body, header, self.delivery_timeout)
            except Exception as error:  # a failed delivery must not break the page
                message = f"{event['type']} {event['id']}: {error!r}"
                self.delivery_errors.append(message)
                print(f"Stripe-stand-in: webhook niet afgeleverd: {message}", file=sys.stderr)

    # --- the demo's state between runs ---------------------------------------------------------

    def save(self) -> None:
        if self.state_file is None:
            return
        with self._lock:
            state = {attr: getattr(self, attr) for attr, _r, _p in KINDS.values()}
            state["_replies"] = self._replies
            tmp = self.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(state))
            tmp.replace(self.state_file)

    def load(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        state = json.loads(self.state_file.read_text())
        with self._lock:
            for attr, _r, _p in KINDS.values():
                getattr(self, attr).update(state.get(attr) or {})
            self._replies.update(state.get("_replies") or {})


SUBSCRIPTION_EXTRAS = (
    "cancel_at_period_end",
    "canceled_at",
    "ended_at",
    "start_date",
    "trial_start",
    "trial_end",
)
DAY = 86400


def sign(body: str, secret: str, *, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, made with the stripe library's own signing code."""
    timestamp = timestamp or int(time.time())
    signed = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return f"t={timestamp},v1={signed}"


def _post_event(url: str, body: str, header: str, timeout: float) -> int:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"Geen http(s)-adres voor webhooks: {url}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": header},
    )
    # A short timeout: the page a person waits on must not hang on a slow receiver.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our URL
        return response.status


def _period_end(standin: StripeStandin, item: dict[str, Any], start: int) -> int:
    price = standin.prices.get(item.get("price") or "") or {}
    interval = (price.get("recurring") or {}).get("interval") or "month"
    return start + {"day": 1, "week": 7, "year": 365}.get(interval, 30) * DAY


def _amount_total(params: dict[str, Any]) -> int | None:
    total = 0
    for item in params.get("line_items") or []:
        price_data = item.get("price_data") or {}
        total += int(price_data.get("unit_amount") or 0) * int(item.get("quantity") or 1)
    return total or None


def _currency(params: dict[str, Any]) -> str | None:
    for item in params.get("line_items") or []:
        if (item.get("price_data") or {}).get("currency"):
            return item["price_data"]["currency"]
    return None


def _error(status_type: str, message: str, code: str = "") -> dict[str, Any]:
    return {"error": {"type": status_type, "code": code or None, "message": message}}


def _split(path: str) -> tuple[str, str | None]:
    """/v1/checkout/sessions/cs_1 -> ("checkout/sessions", "cs_1")."""
    rest = path.split("?")[0].strip("/").removeprefix("v1/")
    for kind in sorted(KINDS, key=len, reverse=True):
        if rest == kind:
            return kind, None
        if rest.startswith(kind + "/") and "/" not in rest[len(kind) + 1 :]:
            return kind, rest[len(kind) + 1 :]
    return "", None


# --- the hosted pages (Dutch, plainly a demo) ---------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 1.25rem; line-height: 1.5; margin: 0;
       color: #1a1a1a; background: #f6f6f2; }
main { max-width: 36rem; margin: 0 auto; padding: 1.5rem; }
.demo { background: #fff3c4; border-bottom: 3px solid #8a6d00; margin: 0; padding: 1rem;
        text-align: center; font-weight: bold; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1.5rem; }
dt { font-weight: bold; }
dd { margin: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: 1.5rem; }
button, .button { font: inherit; font-weight: bold; padding: .75rem 1.5rem; border-radius: .4rem;
                  border: 2px solid #0b5394; cursor: pointer; text-decoration: none; }
button { background: #0b5394; color: #fff; }
.button { background: #fff; color: #0b5394; }
button:focus, .button:focus, a:focus { outline: 4px solid #f0a000; outline-offset: 2px; }
li { margin-bottom: 1rem; }
"""
PAY_NOTICE = "Demo-betaalpagina — er wordt geen echt geld betaald"
PORTAL_NOTICE = "Demo-klantportaal — er wordt geen echt geld betaald"
ONBOARDING_NOTICE = "Demo — er wordt geen echt Stripe-account gekoppeld"
STATUS_NL = {
    "active": "actief",
    "trialing": "proefperiode",
    "past_due": "betaling achterstallig",
    "unpaid": "onbetaald",
    "canceled": "opgezegd",
    "incomplete": "nog niet betaald",
    "incomplete_expired": "verlopen",
    "paused": "gepauzeerd",
}
INTERVAL_NL = {"day": "per dag", "week": "per week", "month": "per maand", "year": "per jaar"}
e = html.escape


def _page(notice: str, title: str, body: str) -> bytes:
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title if "demo" in title else f"{title} (demo)")}</title><style>{STYLE}</style></head>
<body><p class="demo" role="note">{e(notice)}</p>
<main><h1>{e(title)}</h1>
{body}
</main></body></html>""".encode()


def _money(cents: Any, currency: Any) -> str:
    cents = int(cents or 0)
    symbol = "€" if str(currency or "eur").lower() == "eur" else str(currency).upper()
    return f"{symbol} {cents // 100},{cents % 100:02d}"


def _rows(rows: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
    return f"<dl>{items}</dl>"


def _date(timestamp: Any) -> str:
    return time.strftime("%d-%m-%Y", time.localtime(int(timestamp))) if timestamp else "-"


def _price_text(standin: StripeStandin, price_id: str) -> tuple[str, str]:
    """(name, "€ 25,00 per maand") of a price the stand-in knows, else the bare id."""
    price = standin.prices.get(price_id) or {}
    product = standin.products.get(price.get("product") or "") or {}
    name = product.get("name") or (price.get("product_data") or {}).get("name")
    interval = INTERVAL_NL.get((price.get("recurring") or {}).get("interval") or "", "")
    amount = _money(price.get("unit_amount"), price.get("currency")) if price else ""
    return name or price.get("nickname") or price_id or "-", f"{amount} {interval}".strip()


def _success_url(session: dict[str, Any], session_id: str) -> str:
    return (session.get("success_url") or "").replace("{CHECKOUT_SESSION_ID}", session_id)


def pay_page(standin: StripeStandin, session_id: str, session: dict[str, Any]) -> bytes:
    rows: list[tuple[str, str]] = []
    items = session.get("line_items") or []
    if session.get("mode") == "subscription":
        title = "Abonnement afsluiten"
        item = items[0] if items else {}
        name, price = _price_text(standin, item.get("price") or "")
        rows += [("Abonnement", name), ("Prijs", price or "-")]
        trial = int((session.get("subscription_data") or {}).get("trial_period_days") or 0)
        if trial:
            rows.append(("Proefperiode", f"{trial} dagen gratis, daarna {price}".strip(", ")))
    else:
        title = "Betalen"
        for item in items:
            data = item.get("price_data") or {}
            name = (data.get("product_data") or {}).get("name") or item.get("price") or "-"
            rows.append(("Waarvoor", name))
        rows.append(("Bedrag", _money(session.get("amount_total"), session.get("currency"))))
        if session.get("_account"):
            rows.append(("Ontvanger", f"verbonden Stripe-account {session['_account']}"))
    if session.get("status") == "open":
        actions = f"""<form method="post" action="/pay/{e(session_id)}" class="actions">
<button type="submit">Betalen</button>
<a class="button" href="{e(session.get("cancel_url") or "/")}">Annuleren</a></form>"""
    else:
        actions = f"""<p>Deze betaling is al afgerond.</p>
<p class="actions"><a class="button" href="{e(_success_url(session, session_id))}">Verder</a></p>"""
    return _page(PAY_NOTICE, title, _rows(rows) + actions)


def portal_page(standin: StripeStandin, portal_id: str, portal: dict[str, Any]) -> bytes:
    entries = []
    for sub_id, sub in standin.customer_subscriptions(portal.get("customer") or ""):
        name, price = _price_text(standin, sub.get("price") or "")
        status = sub.get("status") or ""
        rows = [
            ("Abonnement", name),
            ("Prijs", price or "-"),
            ("Status", STATUS_NL.get(status, status)),
            ("Periode tot", _date(sub.get("current_period_end"))),
        ]
        cancel = (
            ""
            if status == "canceled"
            else f"""<form method="post" action="/portal/{e(portal_id)}">
<input type="hidden" name="subscription" value="{e(sub_id)}">
<button type="submit">Opzeggen</button></form>"""
        )
        entries.append(f"<li>{_rows(rows)}{cancel}</li>")
    listing = f"<ul>{''.join(entries)}</ul>" if entries else "<p>Er is geen abonnement.</p>"
    back = f"""<p class="actions">
<a class="button" href="{e(portal.get("return_url") or "/")}">Terug</a></p>"""
    return _page(PORTAL_NOTICE, "Abonnement beheren", listing + back)


def onboarding_page(account_id: str, account: dict[str, Any]) -> bytes:
    if account.get("charges_enabled"):
        body = f"""<p>Dit Stripe-account is gekoppeld en kan betalingen ontvangen.</p>
<p class="actions"><a class="button" href="{e(account.get("_return_url") or "/")}">Terug</a></p>"""
    else:
        body = f"""<p>Bij Stripe vult de coöperatie hier haar gegevens en bankrekening in.
In deze demo is één klik genoeg.</p>
{_rows([("Account", account_id)])}
<form method="post" action="/onboarding/{e(account_id)}" class="actions">
<button type="submit">Gegevens bevestigen en koppelen</button></form>"""
    return _page(ONBOARDING_NOTICE, "Stripe-account koppelen (demo)", body)


HOSTED_PATH = re.compile(r"/(pay|portal|onboarding)/([\w-]+)/?")


class StandinHandler(BaseHTTPRequestHandler):
    """Answers for one stand-in (``handler_class`` binds it): Stripe's API under /v1/ (GET
    reads an object, POST creates or updates one), and the hosted demo pages, each page kind
    with its own method (``HOSTED``)."""

    standin: StripeStandin

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    # --- answering -----------------------------------------------------------------------------

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_standin")
        self.end_headers()
        self.wfile.write(data)

    def _html(self, status: int, page: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(page)

    def _redirect(self, url: str) -> None:
        self.send_response(303)
        self.send_header("Location", url)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _body(self) -> list[tuple[str, str]]:
        length = int(self.headers.get("Content-Length") or 0)
        return parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True)

    def _record(self, body: dict[str, Any]) -> Request:
        request = Request(
            self.command,
            self.path,
            self.headers.get("Idempotency-Key"),
            body,
            self.headers.get("Stripe-Account"),
        )
        with self.standin._lock:
            self.standin.requests.append(request)
        return request

    # --- the hosted pages ----------------------------------------------------------------------

    def _hosted(self) -> bool:
        """Serve a hosted page (/pay/, /portal/, /onboarding/); False for the API."""
        match = HOSTED_PATH.fullmatch(self.path.split("?")[0])
        if match is None:
            return False
        page, obj_id = match.groups()
        form = dict(self._body()) if self.command == "POST" else {}
        store, serve = HOSTED[page]
        state = store(self.standin).get(obj_id)
        if state is None:
            body = "<p>Deze pagina bestaat niet (meer). Ga terug en probeer het opnieuw.</p>"
            self._html(404, _page(PAY_NOTICE, "Niet gevonden", body))
        else:
            serve(self, obj_id, state, form)
        return True

    def _pay(self, session_id: str, session: dict[str, Any], form: dict[str, str]) -> None:
        if self.command == "POST":
            self.standin.checkout_complete(session_id)
            self._redirect(_success_url(session, session_id))
        else:
            self._html(200, pay_page(self.standin, session_id, session))

    def _portal(self, portal_id: str, portal: dict[str, Any], form: dict[str, str]) -> None:
        if self.command != "POST":
            self._html(200, portal_page(self.standin, portal_id, portal))
            return
        sub_id = form.get("subscription") or ""
        owned = self.standin.subscriptions.get(sub_id, {}).get("customer")
        if owned and owned == portal.get("customer"):
            self.standin.subscription_cancel(sub_id)
        self._redirect(f"/portal/{portal_id}")

    def _onboarding(self, account_id: str, account: dict[str, Any], form: dict[str, str]) -> None:
        return_url = self.standin.onboarding_complete(account_id) if self.command == "POST" else ""
        if return_url:
            self._redirect(return_url)
        else:
            self._html(200, onboarding_page(account_id, account))

    # --- the API -------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self._hosted():
            return
        self._record({})
        with self.standin._lock:
            failure = self.standin._take_failure(self.path, "GET")
        if failure is not None:
            self._reply(500, _error("api_error", "Stand-in: Stripe is even weg"))
            return
        kind, obj_id = _split(self.path)
        if not (kind and obj_id):
            self._reply(404, _error("invalid_request_error", f"Unknown path {self.path}"))
            return
        obj = self.standin.object(kind, obj_id)
        if obj is None:
            message = f"No such {KINDS[kind][1]}: '{obj_id}'"
            self._reply(404, _error("invalid_request_error", message, "resource_missing"))
            return
        self._reply(200, obj)

    def do_POST(self) -> None:
        if self._hosted():
            return
        request = self._record(unflatten(self._body()))
        kind, obj_id = _split(self.path)
        if not kind:
            self._reply(404, _error("invalid_request_error", f"Unknown {self.path}"))
            return
        status, reply = self._write(request, kind, obj_id)
        self._reply(status, reply)

    def _write(self, request: Request, kind: str, obj_id: str | None) -> tuple[int, dict[str, Any]]:
        """Create or update, as Stripe does: a key seen before gets the first reply, and a
        failure asked for by a test answers 500 before the write or after it (a lost answer)."""
        standin = self.standin
        with standin._lock:
            failure = standin._take_failure(self.path)
            if failure is not None and not failure.after_write:
                return 500, _error("api_error", "Stand-in: Stripe is even weg")
            key = request.idempotency_key or ""
            reply = standin._replies.get(key) if key else None
            if reply is None:
                if obj_id:
                    reply = standin.update(kind, obj_id, request.body)
                    if reply is None:
                        message = f"No such {KINDS[kind][1]}: '{obj_id}'"
                        return 404, _error("invalid_request_error", message)
                else:
                    reply = standin.create(kind, request.body, request.stripe_account)
                if key:
                    standin._replies[key] = reply
            standin.save()
        if failure is not None:
            return 500, _error("api_error", "Stand-in: answer lost")
        return 200, reply


# A hosted page's kind -> where its objects are, and the method that serves it.
HOSTED: dict[
    str,
    tuple[
        Callable[[StripeStandin], dict[str, dict[str, Any]]],
        Callable[[StandinHandler, str, dict[str, Any], dict[str, str]], None],
    ],
] = {
    "pay": (lambda standin: standin.checkout_sessions, StandinHandler._pay),
    "portal": (lambda standin: standin.portal_sessions, StandinHandler._portal),
    "onboarding": (lambda standin: standin.accounts, StandinHandler._onboarding),
}


def handler_class(standin: StripeStandin) -> type[StandinHandler]:
    """The request handler for ``standin`` (the HTTP server makes one per request)."""

    class Handler(StandinHandler):
        pass

    Handler.standin = standin
    return Handler


def standin_server(standin: StripeStandin, port: int = 0) -> ThreadingHTTPServer:
    """An HTTP server for `standin` on 127.0.0.1 (never on other interfaces); port 0 picks a
    free one. The stand-in's base (and so the hosted pages' URLs) follows the real port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class(standin))
    server.daemon_threads = True
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    return server


@contextmanager
def running_standin(port: int = 0) -> Iterator[StripeStandin]:
    standin = StripeStandin()
    server = standin_server(standin, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
