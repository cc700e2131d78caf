from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [
    path("", views.victim_list, name="list"),
    path("new/", views.victim_create, name="create"),
    path("<str:reference>/", views.victim_detail, name="detail"),
    path("<str:reference>/edit/", views.victim_edit, name="edit"),
    path("<str:reference>/close/", views.victim_close, name="close"),
    path("<str:reference>/consents/new/", views.consent_add, name="consent-add"),
    path("<str:reference>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
    path("<str:reference>/history/", views.victim_history, name="history"),
]
