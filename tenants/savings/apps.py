from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "tenants.savings"
    label = "savings"
    verbose_name = "Triple Aim en gedeelde besparing"
