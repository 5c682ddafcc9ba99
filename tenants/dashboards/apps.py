from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "tenants.dashboards"
    label = "dashboards"
    verbose_name = "Netwerkdashboard"
