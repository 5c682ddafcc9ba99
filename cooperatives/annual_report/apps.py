from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualReportConfig(AppConfig):
    """The annual report (jaarverslag): figures the platform has for a year, the board's own
    words, the kascommissie's findings, and the ALV's approval that freezes it."""

    name = "cooperatives.annual_report"
    label = "annual_report"
    verbose_name = _("jaarverslag")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The sections the cooperative's own data make; billing adds its own through
        # cooperatives.settlement (klussen in euros, the subscription).
        from cooperatives.annual_report import figures, navigation
        from cooperatives.annual_report.sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        figures.register()
        navigation.register()
        audit_sentence_register(sentences())
