from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("upload/", views.upload, name="upload"),
    path("records/<int:record_id>/", views.record_detail, name="record"),
    path("decisions/", views.decisions, name="decisions"),
    path("summary/", views.summary, name="summary"),
    path("summary/csv/", views.summary_csv, name="summary-csv"),
    path("calibration/", views.calibration, name="calibration"),
]
