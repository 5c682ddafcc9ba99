"""Pages and API of the points ledger."""

from django.urls import path

from cooperatives.points import api, views

urlpatterns = [
    path("punten/", views.points_mine, name="points-mine"),
    path("punten/overzicht.csv", views.points_statement_csv, name="points-statement-csv"),
    path("punten/geven/", views.points_gift, name="points-gift"),
    path("punten/pot/", views.points_solidarity, name="points-solidarity"),
    path("punten/cooperatie/", views.points_overview, name="points-overview"),
    path("punten/correctie/", views.points_correction, name="points-correction"),
    path("punten/overboeking/<int:pk>/terugdraaien/", views.points_reverse, name="points-reverse"),
    path("punten/betaling/<int:pk>/goedkeuren/", views.points_approve, name="points-approve"),
    path("punten/betaling/<int:pk>/afwijzen/", views.points_reject, name="points-reject"),
]
api_urlpatterns = [
    path("points/me/", api.MyPointsView.as_view(), name="api-points-me"),
    path("points/me/statement/", api.StatementView.as_view(), name="api-points-statement"),
    path("points/gifts/", api.GiftView.as_view(), name="api-points-gifts"),
    path("points/donations/", api.DonationView.as_view(), name="api-points-donations"),
    path("points/grants/", api.GrantView.as_view(), name="api-points-grants"),
    path("points/corrections/", api.CorrectionView.as_view(), name="api-points-corrections"),
    path(
        "points/transfers/<int:pk>/reverse/",
        api.ReverseView.as_view(),
        name="api-points-reverse",
    ),
    path("points/pending/", api.PendingListView.as_view(), name="api-points-pending"),
    path(
        "points/pending/<int:pk>/approve/",
        api.PendingApproveView.as_view(),
        name="api-points-approve",
    ),
    path(
        "points/pending/<int:pk>/reject/",
        api.PendingRejectView.as_view(),
        name="api-points-reject",
    ),
    path("points/overview/", api.OverviewView.as_view(), name="api-points-overview"),
    path("points/accounts/", api.AccountListView.as_view(), name="api-points-accounts"),
    path("points/snapshots/", api.SnapshotView.as_view(), name="api-points-snapshots"),
]
