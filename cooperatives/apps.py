from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = "Coöperatie"

    def ready(self) -> None:
        # The permission layer (shared/) finds a request's member through the members feature;
        # registered here so that shared/ imports no feature app.
        from cooperatives.audit.sentences import sentences
        from cooperatives.members.selectors import member_for_user
        from shared.audit.sentences import audit_sentence_register
        from shared.permissions import member_loader_register

        member_loader_register(member_for_user)
        # The audit log's sentences for the actions the cooperative's features log.
        audit_sentence_register(sentences())
