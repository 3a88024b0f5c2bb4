from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("built/", views.built_list, name="built"),
    path("built/map.geojson", views.built_map_data, name="map_data"),
    path("built/<int:pk>/", views.project_detail, name="project"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/tables/<slug:key>.<str:fmt>",
        views.table_download,
        name="table_download",
    ),
    path("reports/", views.report_list, name="reports"),
    path("reports/request/", views.report_request, name="report_request"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report_publish"),
]
