from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from navigator.core import views as core_views
from navigator.core.api import IssueTokenView, api_not_found
from navigator.screening.api import PoliceRecordViewSet, TriageDecisionViewSet
from navigator.victims.api import VictimViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("victims", VictimViewSet, basename="victim")
router.register("police-records", PoliceRecordViewSet, basename="police-record")
router.register("triage-decisions", TriageDecisionViewSet, basename="triage-decision")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("login/verify/", core_views.verify_view, name="login-verify"),
    path("login/recovery-codes/", core_views.recovery_codes_view, name="recovery-codes"),
    path("logout/", core_views.logout_view, name="logout"),
    path("session/keep-alive/", core_views.keep_alive, name="keep-alive"),
    path("tasks/<str:task_id>/", core_views.task_status, name="task-status"),
    path("victims/", include("navigator.victims.urls")),
    path("screening/", include("navigator.screening.urls")),
    path("estimates/", include("navigator.estimation.urls")),
    path("api/v1/", include(router.urls)),
    path("api/v1/token/", IssueTokenView.as_view(), name="api-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/(?P<path>.*)$", api_not_found, name="api-not-found"),
]
