from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "cooperatives.points"
    label = "points"
    verbose_name = "Tijdpunten"

    def ready(self) -> None:
        # The ledger settles what confirmed services owe in points (see
        # cooperatives/marketplace/hooks.py); the marketplace does not import the ledger.
        from cooperatives.marketplace.hooks import quality_approver_register, settler_register
        from cooperatives.marketplace.models import CompensationDue
        from cooperatives.points.services import due_approve_points, due_settle_points

        settler_register(
            kind=CompensationDue.Kind.POINTS, settle=lambda due: due_settle_points(due=due)
        )
        quality_approver_register(
            kind=CompensationDue.Kind.POINTS,
            approve=lambda due, actor: due_approve_points(due=due, actor=actor),
        )
        # Points in the menu and payments to approve on the home page (shared.navigation).
        from cooperatives.points import navigation

        navigation.register()
