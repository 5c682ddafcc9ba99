"""Members: pages (the list, a member's record, intake, roles, erasure, one's own data) and
the API under /api/v1/ (see cooperatives/urls.py)."""

from django.urls import path

from cooperatives.members import api, views

urlpatterns = [
    path("leden/", views.member_list, name="member-list"),
    path("leden/nieuw/", views.member_register, name="member-register"),
    path("leden/<int:pk>/", views.member_detail, name="member-detail"),
    path("leden/<int:pk>/bewerken/", views.member_edit, name="member-edit"),
    path("leden/<int:pk>/rollen/", views.member_roles, name="member-roles"),
    path("leden/<int:pk>/wissen/", views.member_erase, name="member-erase"),
    path(
        "leden/<int:pk>/wachtwoordlink/",
        views.member_password_reset,
        name="member-password-reset",
    ),
    path(
        "leden/<int:pk>/telefoon-loskoppelen/",
        views.member_two_factor_reset,
        name="member-two-factor-reset",
    ),
    path("mijn-gegevens/", views.my_data, name="my-data"),
    path("mijn-gegevens/bewerken/", views.my_data_edit, name="my-data-edit"),
    path("mijn-gegevens/export/", views.my_data_export, name="my-data-export"),
    path("mijn-gegevens/export.pdf", views.my_data_export_pdf, name="my-data-export-pdf"),
    path(
        "leden/<int:pk>/gegevens.json",
        views.member_export,
        {"kind": "json"},
        name="member-export-json",
    ),
    path(
        "leden/<int:pk>/gegevens.pdf",
        views.member_export,
        {"kind": "pdf"},
        name="member-export-pdf",
    ),
    path("mijn-gegevens/opzeggen/", views.my_data_leave, name="my-data-leave"),
    path("mijn-gegevens/e-mailadres/", views.my_email, name="my-email"),
    path(
        "e-mailadres-bevestigen/<str:token>/",
        views.email_change_confirm,
        name="email-change-confirm",
    ),
    path("i18n/setlang/", views.language_switch, name="set_language"),
]
api_urlpatterns = [
    path("members/", api.MemberListView.as_view(), name="api-member-list"),
    path("members/<int:pk>/", api.MemberDetailView.as_view(), name="api-member-detail"),
    path("members/<int:pk>/roles/", api.MemberRolesView.as_view(), name="api-member-roles"),
    path("members/<int:pk>/erase/", api.MemberEraseView.as_view(), name="api-member-erase"),
    path("me/export/", api.MyDataExportView.as_view(), name="api-my-data-export"),
    path("me/leave/", api.MyDataLeaveView.as_view(), name="api-my-data-leave"),
]
