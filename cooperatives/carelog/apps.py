from django.apps import AppConfig


class CarelogConfig(AppConfig):
    name = "cooperatives.carelog"
    label = "carelog"
    verbose_name = "Inzage in zorggegevens"

    def ready(self) -> None:
        # The board's page in the menu (shared.navigation).
        from cooperatives.carelog import navigation

        navigation.register()
