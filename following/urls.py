from django.urls import path

from . import views

app_name = "following"

urlpatterns = [
    path("follow/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("follows/", views.my_follows, name="mine"),
    path("follows/delivery/", views.delivery, name="delivery"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
