from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "tenants.maps"
    label = "maps"
    verbose_name = "Kaart"
