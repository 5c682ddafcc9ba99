"""Reads for the accounts page: the network's people with their role and whether their phone
is set up, one account of the network (None for anyone not bound to it), and the log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.accounts import two_factor
from tenants.models import Network
from tenants.network_accounts.models import NetworkAccountAct
from tenants.networks.models import NetworkRole


@dataclass(frozen=True)
class AccountRow:
    role: NetworkRole
    two_factor: bool
    # Invited, but no password chosen yet.
    waiting: bool

    @property
    def user(self) -> Any:
        return self.role.user


def network_accounts(*, network: Network) -> list[AccountRow]:
    """Everyone bound to the network, managers first, then by name."""
    roles = sorted(
        NetworkRole.objects.filter(network=network).select_related("user"),
        key=lambda r: (
            r.role != NetworkRole.Role.MANAGER,
            r.user.full_name.casefold(),
            r.user.email,
        ),
    )
    with_phone = two_factor.users_with_two_factor([r.user_id for r in roles])
    return [
        AccountRow(
            role=r,
            two_factor=r.user_id in with_phone,
            waiting=not r.user.has_usable_password(),
        )
        for r in roles
    ]


def network_account_get(*, network: Network, user_id: int) -> NetworkRole | None:
    """The role of this user in this network; None when they are not bound to it (the page
    answers 404: accounts of other networks are not confirmed to exist)."""
    role: NetworkRole | None = (
        NetworkRole.objects.filter(network=network, user_id=user_id).select_related("user").first()
    )
    return role


def network_account_acts(*, network: Network, limit: int = 25) -> list[NetworkAccountAct]:
    return list(NetworkAccountAct.objects.filter(network=network)[:limit])


def managers_count(*, network: Network) -> int:
    return NetworkRole.objects.filter(network=network, role=NetworkRole.Role.MANAGER).count()
