from django.urls import path

from . import views

app_name = "estimation"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/download.<str:fmt>", views.run_download, name="download"),
]
