"""What runs once an outbox call's result is in, by a short stable name.

A feature that stores a call's result (a customer id, a price, a Checkout session) registers
the function under a name, and the call stores that name (``OutboxCall.on_result``):

    @outbox_result("customer_stored")
    def customer_stored(*, call: OutboxCall) -> Subscription: ...

The name, not a dotted path, is what sits in the database, so a function can move or be renamed
without touching stored calls. The features register when Django starts: ``billing.apps``
imports their services modules in ``ready()``. Registered names are for ever: a call stored
today may be made tomorrow (the data migration 0005 maps the dotted paths of before).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from billing.outbox.models import OutboxCall


class ResultHandler(Protocol):
    def __call__(self, *, call: OutboxCall) -> object: ...


H = TypeVar("H", bound=ResultHandler)

_handlers: dict[str, ResultHandler] = {}


def outbox_result(name: str) -> Callable[[H], H]:
    """Register ``handler(call=call)`` under ``name``; it runs in the call's cooperative's schema
    when there is one, inside the transaction that stores the result."""

    def register(handler: H) -> H:
        known = _handlers.get(name)
        if known is not None and _qualified(known) != _qualified(handler):
            raise ValueError(f"Outbox result {name!r} is already {_qualified(known)}")
        _handlers[name] = handler
        return handler

    return register


def outbox_result_handler(name: str) -> ResultHandler:
    try:
        return _handlers[name]
    except KeyError:
        raise LookupError(
            f"No outbox result {name!r}: register it with @outbox_result and import its module "
            "in billing.apps"
        ) from None


def outbox_result_names() -> frozenset[str]:
    return frozenset(_handlers)


def _qualified(handler: ResultHandler) -> str:
    return f"{handler.__module__}.{getattr(handler, '__qualname__', handler)}"
