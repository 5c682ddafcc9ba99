from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Needs surveys (peilingen): the board asks the members short questions before it starts a
    new service (seed 002); members answer by email link or on paper through the coordinator,
    and the board sees only results of groups of at least five answers, never who answered
    what."""

    name = "cooperatives.surveys"
    label = "surveys"
    verbose_name = "Peilingen"

    def ready(self) -> None:
        # The menu items and home-page task (shared.navigation), and the audit log's sentences.
        from cooperatives.surveys import navigation
        from cooperatives.surveys.sentences import sentences
        from shared.audit.sentences import audit_sentence_register

        navigation.register()
        audit_sentence_register(sentences())
        self._register_figures()

    @staticmethod
    def _register_figures() -> None:
        """The figures group "wellbeing" (Positieve Gezondheid group results) for the nightly
        network figures (cooperatives.figures.registry)."""
        from cooperatives.figures.registry import figure_group_register
        from cooperatives.surveys.figures import GROUP, wellbeing_cells

        figure_group_register(GROUP, wellbeing_cells)
