"""Why a login failed, in words a person understands, when "wrong password" would mislead: an
applicant whose application is still waiting typed the right email and password, but has no
login yet. Feature apps register a check here (the joining feature does, from
``cooperatives.apps``), so ``shared`` imports no feature app."""

from __future__ import annotations

from typing import Protocol


class LoginHint(Protocol):
    def __call__(self, *, email: str, password: str) -> str | None: ...


_hints: list[LoginHint] = []


def login_hint_register(hint: LoginHint) -> None:
    if hint not in _hints:
        _hints.append(hint)


def login_hint(*, email: str, password: str) -> str | None:
    """The first registered explanation for a login that failed with these credentials."""
    for hint in _hints:
        message = hint(email=email, password=password)
        if message:
            return message
    return None
