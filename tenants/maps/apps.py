from django.apps import AppConfig


class MapsConfig(AppConfig):
    """The maps: where each cooperative is drawn (its neighbourhood's centre, set by its
    board), a network's map and the public one, as server-side SVG."""

    name = "tenants.maps"
    label = "maps"
    verbose_name = "Kaart"

    def ready(self) -> None:
        # The board's menu item and the audit sentence of its one write (shared knows no
        # feature app, so each registers its own).
        from shared.audit.sentences import audit_sentence_register
        from tenants.maps import navigation
        from tenants.maps.sentences import sentences

        navigation.register()
        audit_sentence_register(sentences())
