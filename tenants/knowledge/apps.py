from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """The knowledge network: documents a network shares with its member cooperatives."""

    name = "tenants.knowledge"
    label = "knowledge"
    verbose_name = "Kennisnetwerk"

    def ready(self) -> None:
        # The cooperative's menu item and the audit sentence of the board's suggestion
        # (shared knows no feature app, so each registers its own).
        from shared.audit.sentences import audit_sentence_register
        from tenants.knowledge import navigation
        from tenants.knowledge.sentences import sentences

        navigation.register()
        audit_sentence_register(sentences())
