"""The token in a link to choose a new password, bound to the cooperative it was made in.

User ids are per schema: user 7 of one cooperative and user 7 of another are different people,
and Django's own token would only tell them apart by their password hash. The schema's name is
part of what the token signs, so a link made on cooperative A never works on B, whatever the
two users have in common."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from shared.tenancy.current import connection


class CooperativePasswordResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "noaber.shared.accounts.tokens.CooperativePasswordResetTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{connection.schema_name}:{super()._make_hash_value(user, timestamp)}"


password_reset_token = CooperativePasswordResetTokenGenerator()
