from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings of the ALV and the boards: convocation, agenda, attendance, proxies, votes."""

    name = "cooperatives.meetings"
    label = "meetings"
    verbose_name = "Vergaderingen"

    def ready(self) -> None:
        # The tasks register with Celery here: services queue the reminder task by name.
        from cooperatives.meetings import navigation, sentences, tasks  # noqa: F401
        from shared.audit.sentences import audit_sentence_register

        navigation.register()
        audit_sentence_register(sentences.sentences())
