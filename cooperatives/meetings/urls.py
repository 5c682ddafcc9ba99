"""Meetings: pages and API."""

from django.urls import path

from cooperatives.meetings import api, views

urlpatterns = [
    path("vergaderingen/", views.meeting_list, name="meeting-list"),
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("vergaderingen/<int:pk>/komt-u/", views.meeting_rsvp, name="meeting-rsvp"),
    path("vergaderingen/<int:pk>/machtiging/", views.meeting_proxy, name="meeting-proxy"),
    path("vergaderingen/punten/<int:pk>/stemmen/", views.item_vote, name="item-vote"),
    path("vergaderingen/punten/<int:pk>/bonnen/", views.item_receipts, name="item-receipts"),
    path("vergaderingen/beheer/", views.meeting_manage, name="meeting-manage"),
    path("vergaderingen/nieuw/", views.meeting_new, name="meeting-new"),
    path("vergaderingen/<int:pk>/voorbereiden/", views.meeting_prepare, name="meeting-prepare"),
    path("vergaderingen/<int:pk>/bijeenroepen/", views.meeting_convene, name="meeting-convene"),
    path("vergaderingen/<int:pk>/presentie/", views.meeting_attendance, name="meeting-attendance"),
    path("vergaderingen/punten/<int:pk>/uitslag/", views.item_result, name="item-result"),
    path("vergaderingen/<int:pk>/notulen/", views.meeting_minutes, name="meeting-minutes"),
    path("vergaderingen/<int:pk>/afsluiten/", views.meeting_close, name="meeting-close"),
    path("vergaderingen/brieven/", views.meeting_letters, name="meeting-letters"),
    path(
        "vergaderingen/<int:pk>/brieven.pdf", views.meeting_letters_pdf, name="meeting-letters-pdf"
    ),
]
api_urlpatterns = [
    path("meetings/", api.MeetingListView.as_view(), name="api-meeting-list"),
    path("meetings/<int:pk>/", api.MeetingDetailView.as_view(), name="api-meeting-detail"),
    path("meetings/<int:pk>/rsvp/", api.MeetingRsvpView.as_view(), name="api-meeting-rsvp"),
    path("meetings/<int:pk>/items/", api.AgendaItemListView.as_view(), name="api-item-list"),
    path("meetings/items/<int:pk>/votes/", api.VoteView.as_view(), name="api-item-vote"),
    path("meetings/items/<int:pk>/result/", api.ResultView.as_view(), name="api-item-result"),
]
