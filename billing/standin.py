"""A local stand-in for the Stripe API, for tests and the demo (never for production): a small
threaded HTTP server on 127.0.0.1 that answers with Stripe's own example objects
(../shared/stripe/fixtures3.json), overwritten with what Stripe would hold now. The stripe
library is pointed at it through STRIPE_API_BASE, so nothing reaches the network.

Like Stripe, a write with an Idempotency-Key that was seen before gets the first answer again
and creates nothing. Every request is recorded, with its key and Stripe-Account header, and a
test can make the next calls to a path fail, before or after the write (a lost answer)."""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

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

    def fail_next(self, path: str, *, times: int = 1, after_write: bool = False) -> None:
        """The next `times` writes to `path` (e.g. "/v1/checkout/sessions") answer 500. With
        after_write, Stripe did the write and the answer was lost on the way back."""
        self.failures.append(Failure(path, times, after_write))

    def created(self, kind: str) -> list[dict[str, Any]]:
        """The objects of a kind created through the API (not set up by a test)."""
        return [s for s in getattr(self, KINDS[kind][0]).values() if s.get("_created")]

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
        attr, _resource, prefix = KINDS[kind]
        store = getattr(self, attr)
        obj_id = f"{prefix}{len(store) + 1}"
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
        elif kind == "prices":
            state["unit_amount"] = int(params.get("unit_amount") or 0)
        elif kind == "customers":
            state.setdefault("metadata", {})
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
        state.update({k: v for k, v in params.items() if k != "items"})
        return self.object(kind, obj_id)

    def _take_failure(self, path: str) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and path.startswith(failure.path):
                failure.times -= 1
                return failure
        return None


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


def handler_class(standin: StripeStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_standin")
            self.end_headers()
            self.wfile.write(data)

        def _record(self, body: dict[str, Any]) -> Request:
            request = Request(
                self.command,
                self.path,
                self.headers.get("Idempotency-Key"),
                body,
                self.headers.get("Stripe-Account"),
            )
            with standin._lock:
                standin.requests.append(request)
            return request

        def do_GET(self) -> None:
            self._record({})
            kind, obj_id = _split(self.path)
            if kind and obj_id:
                obj = standin.object(kind, obj_id)
                if obj is not None:
                    return self._reply(200, obj)
                message = f"No such {KINDS[kind][1]}: '{obj_id}'"
                return self._reply(
                    404, _error("invalid_request_error", message, "resource_missing")
                )
            return self._reply(404, _error("invalid_request_error", f"Unknown path {self.path}"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = unflatten(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
            request = self._record(body)
            kind, obj_id = _split(self.path)
            if not kind:
                return self._reply(404, _error("invalid_request_error", f"Unknown {self.path}"))
            with standin._lock:
                failure = standin._take_failure(self.path)
                if failure is not None and not failure.after_write:
                    return self._reply(500, _error("api_error", "Stand-in: Stripe is even weg"))
                # Like Stripe: the same idempotency key gets the first reply, not a new object.
                key = request.idempotency_key or ""
                reply = standin._replies.get(key) if key else None
                if reply is None:
                    if obj_id:
                        reply = standin.update(kind, obj_id, body)
                        if reply is None:
                            message = f"No such {KINDS[kind][1]}: '{obj_id}'"
                            return self._reply(404, _error("invalid_request_error", message))
                    else:
                        reply = standin.create(kind, body, request.stripe_account)
                    if key:
                        standin._replies[key] = reply
                if failure is not None:
                    return self._reply(500, _error("api_error", "Stand-in: answer lost"))
            return self._reply(200, reply)

    return Handler


@contextmanager
def running_standin(port: int = 0) -> Iterator[StripeStandin]:
    standin = StripeStandin()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class(standin))
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
