from django.apps import AppConfig


class NetworkAccountsConfig(AppConfig):
    """A network manager's page for the network's administrators and analysts: invite, change
    a role, remove, reset someone's second factor; each act kept in an append-only log."""

    name = "tenants.network_accounts"
    label = "network_accounts"
    verbose_name = "Accounts van netwerken"
