from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Facturatie"

    def ready(self) -> None:
        # The outbox's result handlers register by name (billing.outbox.registry) when their
        # services module is imported: import every one that registers, so a stored call finds
        # its handler in any process (web, worker, manage.py) before it is made.
        import billing.connect.services
        import billing.klussen.services
        import billing.sponsorship.services
        import billing.subscriptions.services  # noqa: F401
        from billing.audit_sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        # What billing's actions in a cooperative's audit log mean, in sentences.
        audit_sentence_register(sentences())

        # The statements and the subscription in the menu (shared.navigation).
        from billing.statements import navigation as statements_navigation
        from billing.subscriptions import navigation as subscriptions_navigation

        statements_navigation.register()
        subscriptions_navigation.register()

        # The klussen in euros and the subscription in the annual report, through the
        # settlement interface (cooperatives never import billing).
        from billing.statements import report as statements_report

        statements_report.register()

        # A network's sponsorship ends with the cooperative's membership of that network.
        from billing.sponsorship.services import sponsorship_end_with_membership
        from tenants.networks.services import membership_ending_register

        membership_ending_register(sponsorship_end_with_membership)
