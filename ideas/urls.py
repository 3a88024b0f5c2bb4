from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("ideas/", views.idea_list, name="list"),
    path("ideas/map.geojson", views.idea_map_data, name="map_data"),
    path("ideas/new/", views.idea_submit, name="submit"),
    path("ideas/mine/", views.my_ideas, name="mine"),
    path("ideas/<int:pk>/", views.idea_detail, name="detail"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="edit"),
    path("ideas/<int:pk>/scan/", views.idea_scan, name="scan"),
    path("ideas/<int:pk>/support/", views.idea_support, name="support"),
    path("ideas/<int:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("ideas/<int:pk>/pledge/", views.pledge_create, {"kind": "idea"}, name="pledge_idea"),
    path("pledges/<int:pk>/withdraw/", views.pledge_withdraw, name="pledge_withdraw"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/register/", views.workshop_register, name="workshop_register"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop_cancel"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/map.geojson", views.proposal_map_data, name="proposal_map_data"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path(
        "proposals/<int:pk>/pledge/",
        views.pledge_create,
        {"kind": "proposal"},
        name="pledge_proposal",
    ),
]
