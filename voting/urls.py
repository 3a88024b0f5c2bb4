from django.urls import path

from . import code_views, views

app_name = "voting"

urlpatterns = [
    path("", views.ballot_list, name="ballots"),
    path("paper/", views.paper_vote, name="paper_vote"),
    path("identity/", views.verify_identity, name="verify_identity"),
    path("code/", code_views.code_vote, name="code_vote"),
    path("<int:pk>/code/done/", code_views.code_done, name="code_done"),
    path("<int:pk>/my-vote/", code_views.my_vote, name="my_vote"),
    path("<int:pk>/", views.ballot_detail, name="ballot"),
    path("<int:pk>/map.geojson", views.ballot_map_data, name="map_data"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.pb", views.results_pabulib, name="results_pabulib"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
