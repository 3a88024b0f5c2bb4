from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("", views.ballot_list, name="ballots"),
    path("paper/", views.paper_vote, name="paper_vote"),
    path("identity/", views.verify_identity, name="verify_identity"),
    path("<int:pk>/", views.ballot_detail, name="ballot"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.pb", views.results_pabulib, name="results_pabulib"),
    path("<int:pk>/decide/", views.decide, name="decide"),
]
