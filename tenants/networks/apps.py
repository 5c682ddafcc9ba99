from django.apps import AppConfig


class NetworksConfig(AppConfig):
    """The network level (public schema): network administrators and their roles, which
    cooperatives belong to which network and what each shares with it. Everything a network
    user sees goes through ``tenants.networks.selectors`` (``cooperatives_visible_to``)."""

    name = "tenants.networks"
    label = "networks"
    verbose_name = "Netwerken"

    def ready(self) -> None:
        # The board's Netwerken page in the cooperative's menu, the home page's item for an
        # open invitation (shared.navigation), and the audit log's sentences of memberships.
        from shared.audit.sentences import audit_sentence_register
        from tenants.networks import navigation
        from tenants.networks.sentences import sentences

        navigation.register()
        audit_sentence_register(sentences())

        # Joining a network is decided by the body the statutes name (network_decided_by): the
        # decision puts the request or the acceptance into effect (cooperatives.governance).
        from cooperatives.governance.effects import effect_register
        from tenants.networks.services import EFFECT_KIND, membership_effect_apply

        effect_register(kind=EFFECT_KIND, apply=membership_effect_apply)
