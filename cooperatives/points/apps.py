from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "cooperatives.points"
    label = "points"
    verbose_name = "Tijdpunten"
