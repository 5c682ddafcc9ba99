"""Needs surveys (peilingen): pages and API."""

from django.urls import path

from cooperatives.surveys import api, views

urlpatterns = [
    path("peilingen/", views.survey_list, name="survey-list"),
    path("peilingen/<int:pk>/", views.survey_answer, name="survey-answer"),
    path("peilingen/beheer/", views.survey_manage_list, name="survey-manage-list"),
    path("peilingen/beheer/nieuw/", views.survey_create, name="survey-create"),
    path(
        "peilingen/beheer/positieve-gezondheid/",
        views.survey_positive_health_create,
        name="survey-positive-health-create",
    ),
    path("peilingen/beheer/<int:pk>/", views.survey_manage, name="survey-manage"),
    path("peilingen/beheer/<int:pk>/uitslag/", views.survey_results, name="survey-results"),
    path("peilingen/papier/", views.survey_paper_list, name="survey-paper-list"),
    path("peilingen/<int:pk>/papier/", views.survey_paper, name="survey-paper"),
    path("peilingen/<int:pk>/formulier.pdf", views.survey_pdf, name="survey-pdf"),
]
api_urlpatterns = [
    path("surveys/", api.SurveyListCreateView.as_view(), name="api-survey-list"),
    path("surveys/<int:pk>/", api.SurveyDetailView.as_view(), name="api-survey-detail"),
    path(
        "surveys/<int:pk>/questions/", api.QuestionCreateView.as_view(), name="api-survey-questions"
    ),
    path("surveys/<int:pk>/open/", api.SurveyOpenView.as_view(), name="api-survey-open"),
    path("surveys/<int:pk>/close/", api.SurveyCloseView.as_view(), name="api-survey-close"),
    path("surveys/<int:pk>/answers/", api.SurveyAnswerView.as_view(), name="api-survey-answer"),
    path(
        "surveys/<int:pk>/paper-answers/",
        api.SurveyPaperAnswerView.as_view(),
        name="api-survey-paper-answer",
    ),
    path("surveys/<int:pk>/results/", api.SurveyResultsView.as_view(), name="api-survey-results"),
]
