from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlussenConfig(AppConfig):
    """Klussen paid in euros: kept in each cooperative's own schema (they name members), apart
    from the points ledger, and linked to the service they pay for."""

    name = "billing.klussen"
    label = "klussen"
    verbose_name = _("klussen in euro's")
    default_auto_field = "django.db.models.BigAutoField"
