from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("ideas/<int:pk>/comments/", views.comment_create, {"kind": "idea"}, name="comment_idea"),
    path(
        "proposals/<int:pk>/comments/",
        views.comment_create,
        {"kind": "proposal"},
        name="comment_proposal",
    ),
    path("comments/<int:pk>/report/", views.comment_report, name="report"),
    path("comments/<int:pk>/moderate/", views.comment_moderate, name="moderate"),
    path("staff/discussion/", views.moderation, name="moderation"),
]
