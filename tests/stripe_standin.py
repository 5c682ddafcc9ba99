"""A local stand-in for the Stripe API: a small threaded HTTP server on 127.0.0.1 that answers
with Stripe's own example objects (../shared/stripe/fixtures3.json), overwritten with what the
test says Stripe holds now. The stripe library is pointed at it through STRIPE_API_BASE, so
nothing reaches the network. Every request is recorded with its Idempotency-Key."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import stripe

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "stripe" / "fixtures3.json"
RESOURCES: dict[str, dict[str, Any]] = json.loads(FIXTURES.read_text())["resources"]
KINDS = {"subscriptions": "subscription", "invoices": "invoice", "customers": "customer"}


@dataclass
class Request:
    method: str
    path: str
    idempotency_key: str | None
    body: dict[str, str]


@dataclass
class StripeStandin:
    """What Stripe holds, per kind and id, as the few fields tests care about."""

    base: str = ""
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    _replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscription(self, sub_id: str, *, customer: str, status: str, price: str = "",
                     period_start: int = 0, period_end: int = 0) -> None:  # fmt: skip
        self.subscriptions[sub_id] = {
            "customer": customer,
            "status": status,
            "price": price,
            "current_period_start": period_start,
            "current_period_end": period_end,
        }

    def object(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        """Stripe's example object for `kind`, with this id's state written over it."""
        state = getattr(self, kind).get(obj_id)
        if state is None:
            return None
        obj = copy.deepcopy(RESOURCES[KINDS[kind]])
        obj["id"] = obj_id
        obj["metadata"] = dict(state.get("metadata", {}))
        if kind == "subscriptions":
            obj["customer"] = state["customer"]
            obj["status"] = state["status"]
            item = obj["items"]["data"][0]
            item["subscription"] = obj_id
            item["price"]["id"] = state["price"]
            # Since API version 2025-03-31 the period lives on the subscription item.
            item["current_period_start"] = state["current_period_start"]
            item["current_period_end"] = state["current_period_end"]
        elif kind == "invoices":
            obj["customer"] = state["customer"]
            obj["status"] = state.get("status", "open")
            obj["parent"] = {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"metadata": {}, "subscription": state["subscription"]},
            }
        elif kind == "customers":
            obj["name"] = state.get("name")
        return obj

    def create_customer(self, body: dict[str, str]) -> dict[str, Any]:
        cus_id = f"cus_standin{len(self.customers) + 1}"
        metadata = {k[9:-1]: v for k, v in body.items() if k.startswith("metadata[")}
        self.customers[cus_id] = {"name": body.get("name"), "metadata": metadata}
        return self.object("customers", cus_id)


def _error(obj_type: str, obj_id: str) -> dict[str, Any]:
    return {
        "error": {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "param": "id",
            "message": f"No such {obj_type}: '{obj_id}'",
        }
    }


def _handler(standin: StripeStandin) -> type[BaseHTTPRequestHandler]:
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

        def _record(self, body: dict[str, str]) -> Request:
            request = Request(self.command, self.path, self.headers.get("Idempotency-Key"), body)
            with standin._lock:
                standin.requests.append(request)
            return request

        def do_GET(self) -> None:
            self._record({})
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 3 and parts[0] == "v1" and parts[1] in KINDS:
                obj = standin.object(parts[1], parts[2])
                if obj is not None:
                    return self._reply(200, obj)
                return self._reply(404, _error(KINDS[parts[1]], parts[2]))
            return self._reply(404, _error("path", self.path))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = dict(parse_qsl(self.rfile.read(length).decode()))
            request = self._record(body)
            if self.path != "/v1/customers":
                return self._reply(404, _error("path", self.path))
            # Like Stripe: the same idempotency key gets the first reply again, not a new object.
            with standin._lock:
                key = request.idempotency_key or ""
                if key not in standin._replies:
                    standin._replies[key] = standin.create_customer(body)
                reply = standin._replies[key]
            return self._reply(200, reply)

    return Handler


@contextmanager
def running_standin() -> Iterator[StripeStandin]:
    standin = StripeStandin()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    standin.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()


def event_body(
    standin: StripeStandin, *, event_id: str, event_type: str, kind: str, obj_id: str,
    created: int | None = None, snapshot: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    """A webhook event in Stripe's own shape, its data.object a snapshot of the stand-in's
    object at sending time (with `snapshot` written over it: an old state, say)."""
    event = copy.deepcopy(RESOURCES["event"])
    obj = standin.object(kind, obj_id) or {"id": obj_id, "object": KINDS[kind]}
    event.update(id=event_id, type=event_type, created=created or int(time.time()))
    event["data"] = {"object": {**obj, **(snapshot or {})}}
    return json.dumps(event)


def signature(body: str, secret: str, *, timestamp: int | None = None) -> str:
    """The Stripe-Signature header, signed with the stripe library's own code."""
    timestamp = timestamp or int(time.time())
    signed = stripe.WebhookSignature._compute_signature(f"{timestamp}.{body}", secret)
    return f"t={timestamp},v1={signed}"
