from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlussenConfig(AppConfig):
    """Klussen paid in euros: kept in each cooperative's own schema (they name members), apart
    from the points ledger, and linked to the service they pay for."""

    name = "billing.klussen"
    label = "klussen"
    verbose_name = _("klussen in euro's")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Billing takes the euros a confirmed service owes, and guards the allowance limit when
        # a paid klus is planned, through the settlement interface (cooperatives/settlement.py).
        from billing.klussen.selectors import allowance_check_plannable, allowance_reached
        from billing.klussen.services import klus_payment_record
        from cooperatives.settlement import (
            AllowanceGuard,
            CompensationDue,
            allowance_guard_register,
            settler_register,
        )

        settler_register(
            kind=CompensationDue.Kind.EUROS, settle=lambda due: klus_payment_record(due=due)
        )
        allowance_guard_register(
            AllowanceGuard(
                reached=lambda volunteer, year: allowance_reached(volunteer=volunteer, year=year),
                check_plannable=lambda volunteer, year: allowance_check_plannable(
                    volunteer=volunteer, year=year
                ),
            )
        )
        # An adopted decision can set a year's allowance amounts (the decisions register).
        from billing.klussen.services import allowance_effect_apply
        from cooperatives.settlement import effect_register

        effect_register(kind="allowance", apply=allowance_effect_apply)
        # The klussen group of the networks' figures (cooperatives.figures.registry).
        from billing.klussen.figures import klussen_cells
        from cooperatives.settlement import figure_group_register

        figure_group_register("klussen", klussen_cells)
        # A member's klussen and allowance totals in their own export (AVG art. 15 and 20).
        from billing.klussen.selectors import klussen_export
        from cooperatives.settlement import export_section_register

        export_section_register("klussen", klussen_export)
        from billing.klussen.services import klussen_erase
        from cooperatives.settlement import member_erase_step_register

        member_erase_step_register("klussen", klussen_erase)
        # Klussen in the menu and what waits on the home page (shared.navigation).
        from billing.klussen import navigation

        navigation.register()
