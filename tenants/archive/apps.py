from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """A whole cooperative's data: the board's export (one zip with a manifest), the platform's
    restore into a new schema, and deleting archived cooperatives after their retention period.
    Its one table (the exports asked for) lives in each cooperative's schema."""

    name = "tenants.archive"
    label = "archive"
    verbose_name = "Gegevens van de coöperatie"

    def ready(self) -> None:
        from shared.audit.sentences import audit_sentence_register

        # The tasks register with Celery here: services queue the build task by its name.
        from tenants.archive import navigation, tasks  # noqa: F401
        from tenants.archive.sentences import sentences

        navigation.register()
        audit_sentence_register(sentences())
