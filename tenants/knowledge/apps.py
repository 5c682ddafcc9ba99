from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "tenants.knowledge"
    label = "knowledge"
    verbose_name = "Kennisnetwerk"
