from django.apps import AppConfig


class FiguresConfig(AppConfig):
    """Network figures: aggregate rows that each cooperative's nightly run writes to the public
    schema (computed inside its own schema by ``cooperatives.figures``, small groups
    suppressed before anything leaves the schema)."""

    name = "tenants.figures"
    label = "figures"
    verbose_name = "Netwerkcijfers"
