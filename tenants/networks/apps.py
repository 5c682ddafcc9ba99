from django.apps import AppConfig


class NetworksConfig(AppConfig):
    """The network level (public schema): network administrators and their roles, which
    cooperatives belong to which network and what each shares with it. Everything a network
    user sees goes through ``tenants.networks.selectors`` (``cooperatives_visible_to``)."""

    name = "tenants.networks"
    label = "networks"
    verbose_name = "Netwerken"
