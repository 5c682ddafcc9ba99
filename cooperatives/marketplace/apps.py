from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "cooperatives.marketplace"
    label = "marketplace"
    verbose_name = "Marktplaats"
