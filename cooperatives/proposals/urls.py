"""Project proposals and projects: pages and API."""

from django.urls import path

from cooperatives.proposals import api, views

urlpatterns = [
    path("projectvoorstellen/", views.proposal_list, name="proposal-list"),
    path("projectvoorstellen/nieuw/", views.proposal_create, name="proposal-create"),
    path("projectvoorstellen/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("projectvoorstellen/<int:pk>/steun/", views.proposal_support, name="proposal-support"),
    path("projectvoorstellen/<int:pk>/behandelen/", views.proposal_handle, name="proposal-handle"),
    path("projecten/", views.project_list, name="project-list"),
    path("projecten/<int:pk>/", views.project_detail, name="project-detail"),
    path("projecten/<int:pk>/bericht/", views.project_update_create, name="project-update"),
    path("projecten/<int:pk>/uitgave/", views.project_spending_create, name="project-spending"),
    path("projecten/<int:pk>/projectgroep/", views.project_member_create, name="project-member"),
    path("projecten/<int:pk>/afronden/", views.project_finish, name="project-finish"),
]
api_urlpatterns = [
    path("proposals/", api.ProposalListCreateView.as_view(), name="api-proposal-list"),
    path("proposals/<int:pk>/", api.ProposalDetailView.as_view(), name="api-proposal-detail"),
    path(
        "proposals/<int:pk>/support/",
        api.ProposalSupportView.as_view(),
        name="api-proposal-support",
    ),
    path(
        "proposals/<int:pk>/status/", api.ProposalStatusView.as_view(), name="api-proposal-status"
    ),
    path("projects/", api.ProjectListView.as_view(), name="api-project-list"),
    path("projects/<int:pk>/", api.ProjectDetailView.as_view(), name="api-project-detail"),
    path(
        "projects/<int:pk>/updates/",
        api.ProjectUpdateCreateView.as_view(),
        name="api-project-updates",
    ),
    path(
        "projects/<int:pk>/spending/",
        api.ProjectSpendingCreateView.as_view(),
        name="api-project-spending",
    ),
]
