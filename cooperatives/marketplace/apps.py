from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "cooperatives.marketplace"
    label = "marketplace"
    verbose_name = "Marktplaats"

    def ready(self) -> None:
        # The marketplace's menu items and home-page tasks (shared.navigation).
        from cooperatives.marketplace import navigation

        navigation.register()
