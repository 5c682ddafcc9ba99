from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = "Coöperatie"

    def ready(self) -> None:
        # The permission layer (shared/) finds a request's member through the members feature;
        # registered here so that shared/ imports no feature app.
        from cooperatives.joining.selectors import application_pending_login_hint
        from cooperatives.members.selectors import member_for_user
        from shared.accounts.login_hints import login_hint_register
        from shared.permissions import member_loader_register

        member_loader_register(member_for_user)
        # An applicant whose application still waits is told so at login, not "wrong password".
        login_hint_register(application_pending_login_hint)

        # The menu and the home page's tasks (shared.navigation), from each feature.
        from cooperatives.audit import navigation as audit_navigation
        from cooperatives.decisions import navigation as decisions_navigation
        from cooperatives.home import navigation as home_navigation
        from cooperatives.joining import navigation as joining_navigation
        from cooperatives.members import navigation as members_navigation
        from cooperatives.rules import navigation as rules_navigation
        from cooperatives.setup import navigation as setup_navigation

        for feature in (
            home_navigation,
            members_navigation,
            joining_navigation,
            setup_navigation,
            rules_navigation,
            audit_navigation,
            decisions_navigation,
        ):
            feature.register()

        # The audit log's sentences for the actions the cooperative's features log.
        from cooperatives.audit.sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        audit_sentence_register(sentences())
        from cooperatives.decisions.sentences import sentences as decisions_sentences

        audit_sentence_register(decisions_sentences())

        # What an adopted decision can put into effect (cooperatives.governance.effects): a
        # rulebook version; a partner's social rate (an agreement).
        from cooperatives.governance.effects import effect_register
        from cooperatives.rules.services import rulebook_effect_apply
        from cooperatives.setup.services import partner_rate_effect_apply

        effect_register(kind="rulebook", apply=rulebook_effect_apply)
        effect_register(kind="partner_rate", apply=partner_rate_effect_apply)
