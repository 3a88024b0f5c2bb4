"""/api/v1/: the JSON API (described at /api/v1/openapi.json) and CSV files."""

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("<slug:resource>.csv", views.csv_download, name="opendata_csv"),
    path("", api.urls),
]
