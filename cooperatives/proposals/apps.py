from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    """Project proposals by members and neighbourhood partners, handled by the board; an
    approved proposal becomes a project with its own project group, updates and spending."""

    name = "cooperatives.proposals"
    label = "proposals"
    verbose_name = "Projectvoorstellen"

    def ready(self) -> None:
        from cooperatives.proposals import navigation, report
        from cooperatives.proposals.sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        navigation.register()
        # The annual report shows each project's budget and spending (its section registry).
        report.register()
        audit_sentence_register(sentences())
