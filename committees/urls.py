from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("apply/", views.apply, name="apply"),
    path("apply/link-sent/", views.link_sent, name="link_sent"),
    path("applications/mine/", views.my_applications, name="my_applications"),
    path("applications/<str:token>/", views.application_status, name="application"),
    path("applications/<str:token>/edit/", views.application_edit, name="application_edit"),
    path("applications/<str:token>/submit/", views.application_submit, name="application_submit"),
    path("applications/<str:token>/attach/", views.application_attach, name="application_attach"),
    path(
        "applications/<str:token>/attachments/<int:pk>/",
        views.attachment_download,
        name="application_attachment",
    ),
    path(
        "applications/<str:token>/letters/<int:pk>/",
        views.application_letter,
        name="application_letter",
    ),
    path(
        "applications/<str:token>/report/<int:grant_pk>/",
        views.application_report,
        name="application_report",
    ),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("letters/<int:pk>/", views.member_letter, name="letter"),
    path("minutes/<int:pk>/", views.minutes_pdf, name="minutes"),
    path("chairs/", views.chairs_meetings, name="chairs"),
    path("chairs/new/", views.meeting_new, name="chairs_meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda_add, name="meeting_agenda"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/regrets/", views.meeting_regrets, name="meeting_regrets"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/decide/", views.meeting_decide, name="meeting_decide"
    ),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/approve/", views.meeting_approve, name="meeting_approve"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/comment/", views.request_comment, name="request_comment"),
    path("requests/<int:pk>/conflict/", views.request_conflict, name="request_conflict"),
    path("requests/<int:pk>/fast-track/", views.request_fast_track, name="request_fast_track"),
    path("<slug:slug>/", views.committee_detail, name="detail"),
    path("<slug:slug>/workspace/", views.workspace, name="workspace"),
    path("<slug:slug>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("<slug:slug>/adopt/", views.adopt_project, name="adopt"),
]
