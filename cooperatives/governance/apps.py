from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """The cooperative governs itself: its bodies (ALV, boards, kascommissie, project groups),
    who holds a seat in them, the statutes' settings, and the register of their decisions."""

    name = "cooperatives.governance"
    label = "governance"
    verbose_name = "Bestuur"

    def ready(self) -> None:
        # The board and kascommissie roles of the permission layer follow seats: members ask
        # governance through this hook (governance imports members, never the reverse).
        from cooperatives.governance.selectors import seat_roles_of
        from cooperatives.members.models import Member, seat_roles_source_register

        def seat_roles(member: Member) -> frozenset[str]:
            return seat_roles_of(member=member)

        seat_roles_source_register(seat_roles)

        # The menu (shared.navigation) and the audit log's sentences of this feature.
        from cooperatives.governance import navigation
        from cooperatives.governance.sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        navigation.register()
        audit_sentence_register(sentences())
