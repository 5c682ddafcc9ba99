from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """The cooperative governs itself: its bodies (ALV, boards, kascommissie, project groups),
    who holds a seat in them, the statutes' settings, and the register of their decisions."""

    name = "cooperatives.governance"
    label = "governance"
    verbose_name = "Bestuur"
